/**
 * The kind stack's apps against a real kube-apiserver: every object is admitted with strict field
 * validation and Pod Security, and what a tenant's people may do is what the API server lets them
 * do (RBAC and the tenant's ValidatingAdmissionPolicy), not what our own checks say.
 */
import type { ManifestObject } from '../../constructs';
import { renderedWithDemo } from '../helpers/stacks';
import { dryRunPodFor, vendoredCrds } from '../../stacks/apiserver/check';
import { startCluster, type TestCluster } from '../../stacks/apiserver/cluster';
import type { KubeClient, KubeObjectJson } from '../../stacks/apiserver/kube-client';

const r = renderedWithDemo('kind');
const domain = r.env.domain;
let cluster: TestCluster;
let admin: KubeClient;
const applied: { object: string; status: number; warnings: readonly string[]; message?: unknown }[] = [];
const skipped = new Set<string>();

beforeAll(async () => {
  cluster = await startCluster([
    { name: 'shop-dev', groups: ['shop-developers'] },
    { name: 'shop-lead', groups: ['shop-admins'] },
    { name: 'shop-auditor', groups: ['shop-viewers'] },
  ]);
  admin = cluster.as('admin');
  await admin.discover();
  for (const crd of vendoredCrds())
    expect([crd.metadata?.name, (await admin.apply(crd)).status]).toEqual([crd.metadata?.name, 201]);
  // the new kinds are served once their CRDs are established
  for (let i = 0; i < 60; i++) {
    await admin.discover();
    if (admin.serves({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' })) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  // the app waves in order, as the bootstrap applies them
  for (const wave of r.waves) {
    for (const o of wave.objects) {
      if (!admin.serves(o)) {
        skipped.add(`${o.apiVersion} ${o.kind}`);
        continue;
      }
      const res = await admin.apply(o);
      applied.push({
        object: `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`,
        status: res.status,
        warnings: res.warnings,
        message: res.body.message,
      });
    }
  }
  for (const user of ['shop-dev', 'shop-lead', 'shop-auditor']) await cluster.as(user).discover();
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the kind stack on a real API server', () => {
  test('every app object is admitted with strict field validation and without a Pod Security warning', () => {
    expect(applied.length).toBeGreaterThan(40);
    expect(applied.filter((a) => a.status >= 300 || a.warnings.length > 0)).toEqual([]);
  });

  test('only kinds of add-on CRDs are left out (this server runs no add-on), each served by an enabled add-on', () => {
    const crdGroups = new Set(r.contract.crdProviders.keys());
    expect([...skipped].filter((k) => !crdGroups.has(k.split('/')[0]))).toEqual([]);
  });

  test("every workload's Pod template is admitted as a Pod under its namespace's Pod Security level; a privileged Pod is refused", async () => {
    const pods = r.objects.flatMap((o) => {
      const pod = dryRunPodFor(o);
      return pod !== undefined ? [pod] : [];
    });
    expect(pods.length).toBeGreaterThan(5);
    for (const pod of pods) {
      const res = await admin.create(pod, true);
      expect([pod.metadata?.name, res.status, res.body.message]).toEqual([pod.metadata?.name, 201, undefined]);
    }
    const privileged = structuredClone(pods[0]) as KubeObjectJson & {
      spec: { containers: { securityContext: Record<string, unknown> }[] };
    };
    privileged.spec.containers[0].securityContext.privileged = true;
    privileged.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    const res = await admin.create(privileged, true);
    expect([res.status, String(res.body.message)]).toEqual([
      403,
      expect.stringContaining('violates PodSecurity "restricted'),
    ]);
  });
});

describe('what a tenant may do, as the API server decides', () => {
  const route = (hostnames?: string[]): KubeObjectJson => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'probe', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway-system' }],
      ...(hostnames ? { hostnames } : {}),
      rules: [{ backendRefs: [{ name: 'storefront', port: 80 }] }],
    },
  });

  test("an editor's route for a name the tenant owns is admitted; another name, a wildcard over the domain or no hostnames is refused by the tenant's policy", async () => {
    const dev = cluster.as('shop-dev');
    expect((await dev.create(route([`shop.${domain}`]), true)).status).toBe(201);
    for (const hosts of [
      [`login.${domain}`],
      [`*.${domain}`],
      [`shop.${domain}`, `reports.analytics.${domain}`],
      undefined,
    ]) {
      const res = await dev.create(route(hosts), true);
      expect([hosts, res.status]).toEqual([hosts, 403]);
      expect(String(res.body.message)).toContain("ValidatingAdmissionPolicy 'groundwork-tenant-shop'");
      expect(String(res.body.message)).toContain('a route must list its hostnames, each one the tenant owns');
    }
  });

  test("the policy's other rules hold on the real server for whoever writes there (the admin included): certificates, rollouts, analysis, monitors, external-dns annotations", async () => {
    const ns = { namespace: 'shop' };
    const denied = async (o: KubeObjectJson, words: string) => {
      const res = await admin.create(o, true);
      expect([o.kind, res.status, String(res.body.message)]).toEqual([o.kind, 403, expect.stringContaining(words)]);
    };
    const issuerRef = { kind: 'ClusterIssuer', name: 'selfsigned-ca' };
    const cert = (spec: Record<string, unknown>): KubeObjectJson => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'probe', ...ns },
      spec: { secretName: 'probe-tls', issuerRef, ...spec },
    });
    expect((await admin.create(cert({ dnsNames: [`shop.${domain}`] }), true)).status).toBe(201);
    await denied(cert({ dnsNames: [`login.${domain}`] }), 'a Certificate may name only DNS names the tenant owns');
    await denied(cert({ dnsNames: [`shop.${domain}`], isCA: true }), 'a Certificate may not be a CA');
    await denied(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: 'probe', ...ns },
        spec: { metrics: [{ name: 'm', provider: { web: { url: 'http://169.254.169.254/latest/meta-data/' } } }] },
      },
      "analysis may query only the platform's Prometheus",
    );
    await denied(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'probe', ...ns },
        spec: {
          selector: {},
          endpoints: [{ port: 'http', bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' }],
        },
      },
      "may not read files from Prometheus's filesystem",
    );
    await denied(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'probe',
          ...ns,
          annotations: { 'external-dns.alpha.kubernetes.io/hostname': `login.${domain}` },
        },
        spec: { ports: [{ port: 80 }] },
      },
      "external-dns annotations are the platform's",
    );
  });

  test('an Ingress for a name the tenant does not own, or with a default backend, is refused', async () => {
    const dev = cluster.as('shop-dev');
    const backend = { service: { name: 'storefront', port: { number: 80 } } };
    const ingress = (spec: unknown): KubeObjectJson => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'probe', namespace: 'shop' },
      spec,
    });
    const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });
    expect((await dev.create(ingress({ rules: [rule(`api.${domain}`)] }), true)).status).toBe(201);
    expect((await dev.create(ingress({ rules: [rule(`grafana.${domain}`)] }), true)).status).toBe(403);
    expect((await dev.create(ingress({ defaultBackend: backend }), true)).status).toBe(403);
  });

  test('the policy compiled on the real server: its expressions type-check against the kinds it matches', async () => {
    const policy = await admin.get({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'groundwork-tenant-shop' },
    });
    expect(policy.status).toBe(200);
    const status = policy.body.status as
      | { conditions?: { type: string; status: string }[]; typeChecking?: { expressionWarnings?: unknown[] } }
      | undefined;
    // warnings name fields that exist on one matched kind and not another: every expression guards on the resource first
    const warnings = status?.typeChecking?.expressionWarnings ?? [];
    expect(JSON.stringify(warnings)).not.toMatch(/compil|syntax/i);
  });

  test('editors and viewers read no Secrets, open no shell and grant no roles; the namespace admin may read Secrets', async () => {
    const can = async (user: string, verb: string, resource: string, group = '', subresource?: string) => {
      const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: { namespace: 'shop', verb, group, resource, ...(subresource ? { subresource } : {}) },
        },
      };
      const res = await cluster
        .as(user)
        .request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', review);
      return (res.body.status as { allowed?: boolean } | undefined)?.allowed === true;
    };
    for (const user of ['shop-dev', 'shop-auditor']) {
      expect([
        user,
        await can(user, 'get', 'secrets'),
        await can(user, 'list', 'secrets'),
        await can(user, 'create', 'pods', '', 'exec'),
      ]).toEqual([user, false, false, false]);
      expect([user, await can(user, 'create', 'rolebindings', 'rbac.authorization.k8s.io')]).toEqual([user, false]);
    }
    expect(await can('shop-dev', 'create', 'deployments', 'apps')).toBe(true);
    // kinds that reach the tenant's secret store or the Rollouts controller are not delegated in the demo
    for (const [resource, group] of [
      ['externalsecrets', 'external-secrets.io'],
      ['analysistemplates', 'argoproj.io'],
      ['analysisruns', 'argoproj.io'],
    ])
      expect([resource, await can('shop-dev', 'create', resource, group)]).toEqual([resource, false]);
    expect(await can('shop-lead', 'get', 'secrets')).toBe(true);
    // nobody in the tenant touches its quota, its isolation or its admission policy
    for (const user of ['shop-dev', 'shop-lead']) {
      expect([
        user,
        await can(user, 'update', 'resourcequotas'),
        await can(user, 'delete', 'networkpolicies', 'networking.k8s.io'),
      ]).toEqual([user, false, false]);
      expect([user, await can(user, 'delete', 'validatingadmissionpolicies', 'admissionregistration.k8s.io')]).toEqual([
        user,
        false,
      ]);
    }
  });
});

describe('the README promises, one test each, as the API server decides', () => {
  /** What `user` (in `groups`) may do, asked by the admin through a SubjectAccessReview. */
  const may = async (
    user: string,
    groups: string[],
    verb: string,
    resource: string,
    namespace: string | undefined,
    group = '',
    name?: string,
  ) => {
    const review = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user,
        groups,
        resourceAttributes: { verb, group, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) },
      },
    };
    const res = await admin.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
    return (res.body.status as { allowed?: boolean } | undefined)?.allowed === true;
  };
  const dev = ['shop-dev', ['shop-developers']] as const;
  const lead = ['shop-lead', ['shop-admins']] as const;
  const auditor = ['shop-auditor', ['shop-viewers']] as const;
  const deployer = [
    'system:serviceaccount:shop:ci-deployer',
    ['system:serviceaccounts', 'system:serviceaccounts:shop'],
  ] as const;

  test('viewers read and do not write', async () => {
    expect(await may(auditor[0], [...auditor[1]], 'list', 'deployments', 'shop', 'apps')).toBe(true);
    for (const verb of ['create', 'update', 'patch', 'delete'])
      expect([verb, await may(auditor[0], [...auditor[1]], verb, 'deployments', 'shop', 'apps')]).toEqual([
        verb,
        false,
      ]);
  });

  test("editors and the CI deployer cannot touch another tenant's namespace", async () => {
    for (const [user, groups] of [dev, deployer]) {
      expect([user, await may(user, [...groups], 'create', 'deployments', 'shop', 'apps')]).toEqual([user, true]);
      expect([
        user,
        await may(user, [...groups], 'create', 'deployments', 'analytics', 'apps'),
        await may(user, [...groups], 'get', 'configmaps', 'analytics'),
      ]).toEqual([user, false, false]);
    }
  });

  test('editors and the CI deployer read no Secret directly, and edit no quota, LimitRange, NetworkPolicy or namespace labels', async () => {
    for (const [user, groups] of [dev, deployer]) {
      const denied = [
        await may(user, [...groups], 'get', 'secrets', 'shop'),
        await may(user, [...groups], 'list', 'secrets', 'shop'),
        await may(user, [...groups], 'update', 'resourcequotas', 'shop'),
        await may(user, [...groups], 'update', 'limitranges', 'shop'),
        await may(user, [...groups], 'patch', 'networkpolicies', 'shop', 'networking.k8s.io'),
        await may(user, [...groups], 'patch', 'namespaces', undefined, '', 'shop'),
      ];
      expect([user, denied]).toEqual([user, [false, false, false, false, false, false]]);
    }
  });

  test('namespace admins cannot change their own quota or Pod Security labels', async () => {
    expect(await may(lead[0], [...lead[1]], 'update', 'resourcequotas', 'shop')).toBe(false);
    expect(await may(lead[0], [...lead[1]], 'patch', 'namespaces', undefined, '', 'shop')).toBe(false);
  });

  test('a RoleBinding that grants more than its author holds is refused by the API server (RBAC escalation check)', async () => {
    const lead = cluster.as('shop-lead');
    const binding = (role: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `probe-${role}`, namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
    });
    // `admin` itself is aggregated by kube-controller-manager, which this server does not run (it stays
    // empty here); `system:aggregate-to-admin` holds the rules it aggregates (bootstrap policy)
    for (const role of ['cluster-admin', 'system:aggregate-to-admin', 'system:aggregate-to-edit']) {
      const res = await lead.create(binding(role), true);
      expect([role, res.status, String(res.body.message)]).toEqual([
        role,
        403,
        expect.stringContaining('attempting to grant RBAC permissions not currently held'),
      ]);
    }
    // what the admin holds it may hand on within the namespace
    expect((await lead.create(binding('view'), true)).status).toBe(201);
  });
});

/** The objects of the rendering that the tests above rely on exist (a guard against an empty rendering). */
test('the rendering holds the demo tenants', () => {
  const tenants = new Set(
    r.objects.map((o: ManifestObject) => o.metadata?.labels?.['groundwork.io/tenant']).filter(Boolean),
  );
  expect([...tenants].sort()).toEqual(['analytics', 'shop']);
});
