import { AccessBinding, AccessRole, checkManifests, type ManifestObject, ROLE_PRESETS } from '../../constructs';
import { allowancesOf, ruleProblems, subjectProblems, widening } from '../../constructs/rbac/rbac-rules';
import { named, type Obj, ofKind } from '../helpers/kinds';
import { errorOf, one, synth } from '../helpers/synth';

/** Whether `role` grants `verb` on every object of `resource` (a rule limited to named objects does not). */
const grants = (role: Obj<'Role'>, resource: string, verb: string): boolean =>
  role.rules.some(
    (r) =>
      r.resources.includes(resource) &&
      (r.verbs.includes(verb) || r.verbs.includes('*')) &&
      r.resourceNames === undefined,
  );

describe('RBAC building blocks', () => {
  test('presets: view reads without Secrets; edit changes workloads without Secrets, exec or NetworkPolicies', () => {
    const objs = synth((c) => {
      new AccessRole(c, 'view', { rules: ROLE_PRESETS.view() });
      new AccessRole(c, 'edit', { rules: ROLE_PRESETS.editWorkloads() });
    });
    const [view, edit] = ofKind(objs, 'Role');
    expect([view.kind, view.metadata.namespace]).toEqual(['Role', 'apps']);
    expect(grants(view, 'deployments', 'get')).toBe(true);
    expect(grants(view, 'deployments', 'update')).toBe(false);
    for (const r of [view, edit]) {
      expect(grants(r, 'secrets', 'get')).toBe(false);
      expect(grants(r, 'pods/exec', 'create')).toBe(false);
      expect(grants(r, 'networkpolicies', 'delete')).toBe(false);
    }
    expect(grants(edit, 'deployments', 'update')).toBe(true);
    // kinds reaching past the namespace's own objects are written only when delegated
    for (const res of ['externalsecrets', 'analysistemplates', 'analysisruns', 'rolebindings'])
      expect([res, grants(edit, res, 'create')]).toEqual([res, false]);
    expect(grants(view, 'externalsecrets', 'get')).toBe(true);
  });

  test('presets: delegation adds ExternalSecrets or AnalysisTemplates to editors and the CI deployer, and an unknown delegation is refused', () => {
    const objs = synth((c) => {
      new AccessRole(c, 'edit', { rules: ROLE_PRESETS.editWorkloads(['externalSecrets']) });
      new AccessRole(c, 'deployer', { rules: ROLE_PRESETS.deployer(['analysis']) });
    });
    const [edit, deployer] = ofKind(objs, 'Role');
    expect([grants(edit, 'externalsecrets', 'create'), grants(edit, 'analysistemplates', 'create')]).toEqual([
      true,
      false,
    ]);
    expect([grants(deployer, 'externalsecrets', 'create'), grants(deployer, 'analysistemplates', 'create')]).toEqual([
      false,
      true,
    ]);
  });

  test('presets: the CI deployer applies workloads and nothing else; secretReader gets named Secrets only', () => {
    const objs = synth((c) => {
      new AccessRole(c, 'deployer', { rules: ROLE_PRESETS.deployer() });
      new AccessRole(c, 'db-reader', { rules: ROLE_PRESETS.secretReader(['shop-db']) });
    });
    const [deployer, reader] = ofKind(objs, 'Role');
    expect(grants(deployer, 'deployments', 'create')).toBe(true);
    expect(grants(deployer, 'httproutes', 'patch')).toBe(true);
    for (const res of [
      'secrets',
      'roles',
      'rolebindings',
      'resourcequotas',
      'networkpolicies',
      'pods/exec',
      'externalsecrets',
      'analysistemplates',
    ])
      expect([res, grants(deployer, res, 'create')]).toEqual([res, false]);
    expect(reader.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['shop-db'], verbs: ['get'] },
    ]);
  });

  test('presets: the namespace admin manages RBAC and Secrets but cannot raise quotas, change isolation or escalate', () => {
    const admin = one(
      synth((c) => new AccessRole(c, 'admin', { rules: ROLE_PRESETS.namespaceAdmin() })),
      'Role',
    );
    expect(grants(admin, 'rolebindings', 'create')).toBe(true);
    expect(grants(admin, 'secrets', 'update')).toBe(true);
    for (const res of ['resourcequotas', 'limitranges', 'networkpolicies']) {
      expect([res, grants(admin, res, 'get'), grants(admin, res, 'update')]).toEqual([res, true, false]);
    }
    expect(admin.rules.flatMap((r) => r.verbs)).not.toEqual(expect.arrayContaining(['escalate']));
    expect(
      admin.rules.flatMap((r) => r.verbs).filter((v: string) => ['escalate', 'bind', 'impersonate', '*'].includes(v)),
    ).toEqual([]);
  });

  test('a wildcard verb is a construction error with the way to allow it', () => {
    expect(
      errorOf(
        (c) => new AccessRole(c, 'all', { rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }] }),
      ),
    ).toBe(
      'AccessRole \'test/all\': rules[0].verbs (["*"]) must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
    );
  });

  test('a wildcard resource or API group is a construction error', () => {
    const msg = errorOf(
      (c) => new AccessRole(c, 'all', { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }] }),
    );
    expect(msg.split('\n')).toEqual([
      'AccessRole \'test/all\': rules[0].resources (["*"]) must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
      'AccessRole \'test/all\': rules[0].apiGroups (["*"]) must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
    ]);
  });

  test.each(['escalate', 'bind', 'impersonate'] as const)('the %s verb is a construction error', (verb) => {
    expect(
      errorOf(
        (c) =>
          new AccessRole(c, 'r', {
            rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', verb] }],
          }),
      ),
    ).toBe(
      `AccessRole 'test/r': rules[0].verbs (["get", "${verb}"]) must not grant ${verb}: they let a subject exceed its own rights (or allow it explicitly with a reason: allow.escalation)`,
    );
  });

  test.each(['system:anonymous', 'system:unauthenticated', 'system:authenticated'])(
    'binding %s is a construction error',
    (name) => {
      const who = name === 'system:authenticated' ? 'authenticated' : 'anonymous';
      expect(
        errorOf(
          (c) => new AccessBinding(c, 'b', { role: { clusterRole: 'view' }, subjects: [{ kind: 'Group', name }] }),
        ),
      ).toBe(
        `AccessBinding 'test/b': subjects[0] ("Group ${name}") must not be bound: ${name} is every ${who} caller (or allow it explicitly with a reason: allow.publicSubjects)`,
      );
    },
  );

  test('an explicit allowance with a reason is recorded as an annotation and accepted by checkManifests', () => {
    const objs = synth((c) => {
      const r = new AccessRole(c, 'crd-reader', {
        scope: 'cluster',
        rules: [{ apiGroups: ['apiextensions.k8s.io'], resources: ['*'], verbs: ['get'] }],
        allow: { wildcards: 'the schema tool reads every CRD subresource' },
      });
      new AccessBinding(c, 'b', {
        scope: 'cluster',
        role: r,
        subjects: [{ kind: 'Group', name: 'system:authenticated' }],
        allow: { publicSubjects: 'API discovery for every signed-in user' },
      });
    });
    const role = one(objs, 'ClusterRole');
    expect(role.metadata.annotations).toEqual({
      'groundwork.io/allow-rbac-wildcards': 'the schema tool reads every CRD subresource',
    });
    expect(one(objs, 'ClusterRoleBinding').metadata.annotations).toEqual({
      'groundwork.io/allow-public-subjects': 'API discovery for every signed-in user',
    });
  });

  test('a binding to a ClusterRole that does not exist, or to a Role in another namespace, is refused', () => {
    expect(
      errorOf(
        (c) =>
          new AccessBinding(c, 'b', {
            role: { clusterRole: 'viewer' as never },
            subjects: [{ kind: 'Group', name: 'devs' }],
          }),
      ),
    ).toBe(
      'AccessBinding \'test/b\': role.clusterRole ("viewer") is not a built-in ClusterRole (view, edit, admin, cluster-admin): pass the AccessRole that creates it',
    );
    expect(
      errorOf((c) => {
        const r = new AccessRole(c, 'r', { namespace: 'team-a', rules: ROLE_PRESETS.view() });
        new AccessBinding(c, 'b', { namespace: 'team-b', role: r, subjects: [{ kind: 'Group', name: 'devs' }] });
      }),
    ).toBe(
      'AccessBinding \'test/b\': role ("r") is a Role in namespace "team-a": bind it from that namespace (this binding is in "team-b")',
    );
  });

  test('bindings render subjects with their API group or namespace', () => {
    const objs = synth(
      (c) => {
        const r = new AccessRole(c, 'deployer', { rules: ROLE_PRESETS.deployer() });
        new AccessBinding(c, 'ci', {
          role: r,
          subjects: [
            { kind: 'ServiceAccount', name: 'ci' },
            { kind: 'Group', name: 'team-a-admins' },
            { kind: 'User', name: 'ana@acme.io' },
          ],
        });
        new AccessBinding(c, 'sa', { role: r, subjects: [{ kind: 'ServiceAccount', name: 'x' }] });
      },
      { hardening: { skip: ['dangling-reference'] } },
    );
    const b = named(ofKind(objs, 'RoleBinding'), 'ci');
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' });
    expect(b.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ci', namespace: 'apps' },
      { kind: 'Group', name: 'team-a-admins', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'User', name: 'ana@acme.io', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });
});

describe('checkManifests: RBAC rules for any manifest', () => {
  const binding = (
    name: string,
    role: string,
    subjects: object[],
    annotations?: Record<string, string>,
  ): ManifestObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });

  test('cluster-admin bound to system:anonymous is reported twice: the public subject and cluster-admin', () => {
    const v = checkManifests([
      binding('oops', 'cluster-admin', [
        { kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ]);
    expect(v).toEqual([
      {
        rule: 'rbac',
        object: 'ClusterRoleBinding oops',
        message:
          'subjects[0] ("User system:anonymous") must not be bound: system:anonymous is every anonymous caller (or allow it explicitly with a reason: allow.publicSubjects)',
      },
      {
        rule: 'rbac',
        object: 'ClusterRoleBinding oops',
        message:
          'binds cluster-admin (every verb on every resource): bind a narrower role (or allow it explicitly with a reason: the groundwork.io/allow-rbac-escalation annotation)',
      },
    ]);
  });

  test('a Role with wildcards or escalation verbs is reported; the reason annotation accepts it', () => {
    const role = (annotations?: Record<string, string>): ManifestObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: 'apps', ...(annotations ? { annotations } : {}) },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['*'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['bind'] },
      ],
    });
    expect(checkManifests([role()]).map((x) => x.message)).toEqual([
      'rules[0].verbs (["*"]) must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
      'rules[1].verbs (["bind"]) must not grant bind: they let a subject exceed its own rights (or allow it explicitly with a reason: allow.escalation)',
    ]);
    expect(
      checkManifests([
        role({
          'groundwork.io/allow-rbac-wildcards': 'operator',
          'groundwork.io/allow-rbac-escalation': 'operator grants',
        }),
      ]),
    ).toEqual([]);
    expect(checkManifests([binding('ok', 'view', [{ kind: 'Group', name: 'devs' }])])).toEqual([]);
  });
});

describe('RBAC that widens through the back door', () => {
  test.each<[string, Parameters<typeof ruleProblems>[1], string]>([
    [
      'every resource’s scale subresource',
      { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
      'rules[0].resources',
    ],
    [
      'every subresource of deployments',
      { apiGroups: ['apps'], resources: ['deployments/*'], verbs: ['get'] },
      'rules[0].resources',
    ],
    ['every non-resource URL', { nonResourceURLs: ['*'], verbs: ['get'] }, 'rules[0].nonResourceURLs'],
    ['a URL prefix', { nonResourceURLs: ['/api/*'], verbs: ['get'] }, 'rules[0].nonResourceURLs'],
  ])('%s is a wildcard', (_what, rule, field) => {
    expect(ruleProblems('rules[0]', rule).map((p) => p.field)).toEqual([field]);
  });

  test('a blank reason allows nothing: the construct refuses it and checkManifests ignores the annotation', () => {
    expect(
      errorOf(
        (c) =>
          new AccessRole(c, 'r', {
            rules: [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }],
            allow: { wildcards: '   ' },
          }),
      ),
    ).toContain(`allow.wildcards ("   ") must give the reason (a blank reason allows nothing)`);
    expect(allowancesOf({ 'groundwork.io/allow-rbac-wildcards': ' ' })).toEqual({
      wildcards: undefined,
      escalation: undefined,
      publicSubjects: undefined,
    });
  });

  test('system:serviceaccounts (every ServiceAccount of the cluster) is a public subject', () => {
    expect(subjectProblems('subjects', [{ kind: 'Group', name: 'system:serviceaccounts' }])[0].message).toBe(
      'must not be bound: system:serviceaccounts is every ServiceAccount of every namespace (any Pod anyone can create) (or allow it explicitly with a reason: allow.publicSubjects)',
    );
  });

  test('aggregation labels and aggregation rules widen the built-in roles; admin and edit bound cluster-wide reach every namespace', () => {
    expect(
      errorOf(
        (c) =>
          new AccessRole(c, 'r', {
            scope: 'cluster',
            rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
            labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
          }),
      ),
    ).toContain(
      "must not carry aggregation labels: the role's rules join the built-in edit role everywhere it is bound",
    );
    expect(
      widening({ kind: 'ClusterRole', aggregationRule: { clusterRoleSelectors: [{}] } }).map((p) => p.field),
    ).toEqual(['aggregationRule']);
    for (const name of ['admin', 'edit', 'cluster-admin'])
      expect(
        errorOf(
          (c) =>
            new AccessBinding(c, 'b', {
              scope: 'cluster',
              role: { clusterRole: name as 'admin' },
              subjects: [{ kind: 'Group', name: 'devs' }],
            }),
        ),
      ).toContain(`must not bind ${name} cluster-wide`);
    // in a namespace, admin is the tenant's business
    expect(widening({ kind: 'RoleBinding', roleRef: { kind: 'ClusterRole', name: 'admin' } })).toEqual([]);
    expect(widening({ kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'view' } })).toEqual([]);
  });
});
