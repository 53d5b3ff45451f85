import { Chart, Testing } from 'cdk8s';
import { checkManifests, type ManifestObject, Tenant, WebService, WebServiceMonitoring } from '../../constructs';
import { schemaErrors } from '../helpers/schema';
import { renderedWithDemo, STACKS } from '../helpers/stacks';
import { synth } from '../helpers/synth';
import { first } from '../helpers/kinds';
/** A platform with monitoring (the kind stack's contract). */
const monitoringPlatform = () => renderedWithDemo('kind').contract;

/** A deterministic pseudo-random sequence (the same corpus on every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Every (parent, key) place in a JSON tree. */
function places(
  value: unknown,
  out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [],
): typeof out {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      places(v, out);
    });
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      places(v, out);
    }
  return out;
}

const GARBAGE: unknown[] = [null, undefined, 0, -1, 'x', '', true, [], {}, [null], { a: 1 }, [1, 'two'], Number.NaN];

describe('checkManifests on malformed input: reports, never throws', () => {
  test('entries that are not objects, or lack apiVersion or kind, are reported as malformed and the rest is checked', () => {
    // GIVEN an empty YAML document (null), a number, a list, and objects missing their type or with odd metadata
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const good = chart.toJson() as ManifestObject[];
    const input: unknown[] = [
      null,
      42,
      ['x'],
      { kind: 'Pod' },
      { apiVersion: 'v1' },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'cfg' },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 1 } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps', labels: { a: 1 } } },
      ...good,
    ];
    // WHEN / THEN
    expect(checkManifests(input)).toEqual([
      { rule: 'malformed', object: 'entry 0', message: 'is null, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 1', message: 'is a number, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 2', message: 'is a list, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 3', message: 'has no apiVersion' },
      { rule: 'malformed', object: 'entry 4', message: 'has no kind' },
      { rule: 'malformed', object: 'entry 5', message: 'has metadata that is not an object' },
      { rule: 'malformed', object: 'entry 6', message: 'has a metadata.name that is not a string' },
      { rule: 'malformed', object: 'entry 7', message: 'has metadata.labels that are not a string map' },
    ]);
    // no list at all checks nothing: that is reported, never a silent pass
    expect(checkManifests(null as never).map((v) => v.rule)).toEqual(['malformed']);
  });

  test('wrong types inside objects (containers not a list, null containers, spec a string) are findings, not crashes', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const objs = chart.toJson() as ManifestObject[];
    const deployment = first(objs, 'Deployment');
    // values of the wrong type, written past the types on purpose
    Reflect.set(deployment.spec.template.spec, 'containers', 'nginx');
    Reflect.set(first(objs, 'Service'), 'spec', 'ClusterIP');
    expect(() => checkManifests(objs)).not.toThrow();
    Reflect.set(deployment.spec.template.spec, 'containers', [
      null,
      { name: 'x', securityContext: 'yes', env: 'A=1', ports: 80, resources: [] },
    ]);
    const found = checkManifests(objs);
    expect(
      found.some(
        (v) =>
          v.rule === 'pod-security' && v.message.startsWith('container "x" must set allowPrivilegeEscalation: false'),
      ),
    ).toBe(true);
    expect(
      found.some(
        (v) =>
          v.rule === 'resources' &&
          v.message === 'container "x" must set a CPU request, a memory request, a memory limit',
      ),
    ).toBe(true);
  });

  test('8,000 random corruptions of a whole rendered platform: checkManifests never throws', () => {
    const next = seeded(11);
    const source = JSON.stringify([
      ...renderedWithDemo('prod').objects,
      ...renderedWithDemo('prod').gitops.files.flatMap((f) => f.objects),
    ]);
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      const objects = JSON.parse(source) as unknown[];
      const spots = places(objects);
      for (let i = 0; i < 200; i++) {
        const { parent, key } = spots[Math.floor(next() * spots.length)];
        (parent as Record<string | number, unknown>)[key] = GARBAGE[Math.floor(next() * GARBAGE.length)];
        checked++;
      }
      // every rule reads defensively: the last-resort guard ("could not be checked") never fires
      expect(checkManifests(objects).filter((v) => v.message.startsWith('could not be checked'))).toEqual([]);
    }
    expect(checked).toBe(8000);
  });
});

describe('strict schema validation in the test harness', () => {
  test('a typo in a core object is an unknown field, as kubectl --validate=strict reports it', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const objs = chart.toJson() as ManifestObject[];
    expect(schemaErrors(objs)).toEqual([]);
    const deployment = first(objs, 'Deployment');
    // fields the type does not have, written past it on purpose
    Reflect.set(deployment.spec, 'replcas', 3);
    Reflect.set(deployment.spec.template.spec.containers[0], 'securityContex', {});
    expect(schemaErrors(objs)).toEqual([
      'apps/v1 Deployment apps/api: unknown fields (kubectl --validate=strict refuses them): spec.template.spec.containers[0].securityContex, spec.replcas',
    ]);
  });

  /** Maps whose keys are data, not fields: a typo there is not a schema error. */
  const FREE_FORM = new Set([
    'labels',
    'annotations',
    'matchLabels',
    'valuesObject',
    'values',
    'data',
    'config',
    'nodeSelector',
    'podSelector',
    'selector',
  ]);

  /** The first object below `spec` whose keys are fields, as a path of keys from `spec`. */
  function nestedFieldObject(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = nestedFieldObject(value[i], [...path, i]);
        if (found) return found;
      }
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    if (path.length >= 1 && Object.keys(value).length > 0) return path;
    for (const [k, v] of Object.entries(value)) {
      if (FREE_FORM.has(k)) continue;
      const found = nestedFieldObject(v, [...path, k]);
      if (found) return found;
    }
    return undefined;
  }

  test('every custom resource kind the project emits refuses an unknown field in its spec and deeper', () => {
    // GIVEN one object of each custom resource kind: the shipped stacks' apps, add-ons and GitOps
    // trees, plus the kinds only optional features emit (canary analysis, monitoring, Istio tenants)
    const corpus: ManifestObject[] = [
      ...STACKS.flatMap((s) => [
        ...renderedWithDemo(s).objects,
        ...renderedWithDemo(s).gitops.files.flatMap((f) => f.objects),
        ...renderedWithDemo(s).gitops.bootstrap,
      ]),
      ...synth(
        (c) =>
          new WebService(c, 'api', {
            image: 'ghcr.io/acme/api:1.0.0',
            port: 8080,
            route: {
              gateway: { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } },
              hostnames: ['api.acme.io'],
            },
            delivery: {
              strategy: 'canary',
              analysis: {
                prometheusUrl: 'http://prometheus.monitoring.svc:9090',
                query: 'sum(rate(ok[2m])) / sum(rate(all[2m]))',
                minSuccessRate: 0.99,
              },
            },
          }),
      ),
      ...synth(
        (c) =>
          new WebServiceMonitoring(c, 'mon', {
            platform: monitoringPlatform(),
            service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }),
          }),
      ),
      ...synth(
        (c) =>
          new Tenant(c, 't', {
            name: 'team-a',
            environment: 'prod',
            namespaces: [{ name: 'team-a' }],
            platform: renderedWithDemo('prod').contract,
            mesh: true,
            secretStore: false,
          }),
      ),
    ];
    const firstOfKind = new Map<string, ManifestObject>();
    for (const o of corpus) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
      const core =
        group === '' ||
        ['apps', 'batch', 'autoscaling', 'policy'].includes(group) ||
        (group.endsWith('.k8s.io') && group !== 'gateway.networking.k8s.io' && group !== 'autoscaling.k8s.io');
      if (!core && !firstOfKind.has(`${o.apiVersion} ${o.kind}`)) firstOfKind.set(`${o.apiVersion} ${o.kind}`, o);
    }
    const missed: string[] = [];
    const flat: string[] = [];
    for (const [kind, original] of firstOfKind) {
      expect([kind, schemaErrors([original])]).toEqual([kind, []]);
      // WHEN a typo'd field is added at spec level and in the first object of fields below it
      const atSpec = structuredClone(original) as ManifestObject & { spec: Record<string, unknown> };
      atSpec.spec.zzTypo = 1;
      const nested = structuredClone(original) as ManifestObject & { spec: Record<string, unknown> };
      const path = nestedFieldObject(nested.spec, []);
      const cases: [string, ManifestObject][] = [['spec', atSpec]];
      if (path === undefined) flat.push(kind);
      else {
        let target: unknown = nested.spec;
        for (const key of path) target = (target as Record<string | number, unknown>)[key];
        (target as Record<string, unknown>).zzTypo = 1;
        cases.push([`spec.${path.join('.')}`, nested]);
      }
      // THEN each is a schema error
      for (const [where, o] of cases) {
        const errors = schemaErrors([o]);
        if (!(errors.length === 1 && /zzTypo|must NOT have additional properties/.test(errors[0])))
          missed.push(`${kind} at ${where}: ${JSON.stringify(errors)}`);
      }
    }
    expect(missed).toEqual([]);
    // the kinds whose spec we emit has no nested object (typos there are covered at spec level)
    expect(flat).toEqual(['source.toolkit.fluxcd.io/v1 HelmRepository', 'gateway.networking.k8s.io/v1 GatewayClass']);
    expect([...firstOfKind.keys()].sort()).toEqual([
      'argoproj.io/v1alpha1 AnalysisTemplate',
      'argoproj.io/v1alpha1 AppProject',
      'argoproj.io/v1alpha1 Application',
      'argoproj.io/v1alpha1 Rollout',
      'autoscaling.k8s.io/v1 VerticalPodAutoscaler',
      'cert-manager.io/v1 Certificate',
      'cert-manager.io/v1 ClusterIssuer',
      'external-secrets.io/v1 ClusterSecretStore',
      'external-secrets.io/v1 ExternalSecret',
      'gateway.envoyproxy.io/v1alpha1 EnvoyProxy',
      'gateway.networking.k8s.io/v1 Gateway',
      'gateway.networking.k8s.io/v1 GatewayClass',
      'gateway.networking.k8s.io/v1 HTTPRoute',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'kyverno.io/v1 ClusterPolicy',
      'monitoring.coreos.com/v1 PrometheusRule',
      'monitoring.coreos.com/v1 ServiceMonitor',
      'security.istio.io/v1 PeerAuthentication',
      'source.toolkit.fluxcd.io/v1 GitRepository',
      'source.toolkit.fluxcd.io/v1 HelmRepository',
      'velero.io/v1 BackupStorageLocation',
      'velero.io/v1 Schedule',
    ]);
  });
});

describe('inputs that would otherwise pass unchecked', () => {
  test('one manifest without its list is reported, not passed as "no violations"', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'apps' },
      spec: {},
    };
    expect(checkManifests(deployment as never)).toEqual([
      {
        rule: 'malformed',
        object: 'input',
        message: 'must be a list of objects (got one object: wrap it in a list); nothing was checked',
      },
    ]);
    expect(checkManifests(null as never)[0].message).toBe('must be a list of objects (got null); nothing was checked');
  });

  test('RBAC that joins the built-in roles or binds admin or edit cluster-wide is reported; a blank reason does not excuse it', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'sneaky',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
        annotations: { 'groundwork.io/allow-rbac-escalation': ' ' },
      },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'devs-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    expect(checkManifests([role, binding]).map((v) => [v.object, v.message.split(':')[0]])).toEqual([
      [
        'ClusterRole sneaky',
        'metadata.labels (["rbac.authorization.k8s.io/aggregate-to-view"]) must not carry aggregation labels',
      ],
      ['ClusterRoleBinding devs-edit', 'roleRef ("edit") must not bind edit cluster-wide'],
    ]);
  });
});

test('a secret-looking label is a secret value (labels are readable by whoever lists the object)', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'apps', labels: { 'api-token': 'abc123', app: 'x' } },
    data: {},
  };
  expect(checkManifests([cm]).map((v) => [v.rule, v.message.split(' (')[0]])).toEqual([
    ['secret-values', 'metadata.labels.api-token looks like a secret'],
  ]);
});

test('a manifest whose own fields look like the checker’s internal records (obj, spec, longRunning, id) is read as a manifest, never a crash', () => {
  const odd = {
    apiVersion: 'v1',
    kind: 'X',
    metadata: { name: 'x', namespace: 'default' },
    obj: null,
    spec: {},
    longRunning: true,
    id: 'Fake other/object',
  };
  expect(checkManifests([odd])).toEqual([
    { rule: 'namespace', object: 'X default/x', message: 'must be in a namespace other than "default" (got default)' },
  ]);
});
