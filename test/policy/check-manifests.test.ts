import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  checkManifests,
  HARDENING_RULES,
  type HardeningRule,
  type ManifestObject,
  optOutAnnotation,
  ScheduledJob,
  selectorMatches,
  WebService,
} from '../../constructs';
import { drop, first, put } from '../helpers/kinds';
import { schemaErrors } from '../helpers/schema';

/** A hardened baseline: an autoscaled WebService with an Ingress (7 objects). */
function baseline(): ManifestObject[] {
  const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
  new WebService(chart, 'api', {
    image: 'ghcr.io/acme/api:1.0.0',
    port: 8080,
    autoscaling: { minReplicas: 2, maxReplicas: 4 },
    ingress: { host: 'api.example.com', clusterIssuer: 'letsencrypt-prod' },
  });
  return chart.toJson() as ManifestObject[];
}
const pod = (objs: readonly ManifestObject[]) => first(objs, 'Deployment').spec.template.spec;
const ctr = (objs: readonly ManifestObject[]) => pod(objs).containers[0];

/** A hardened ScheduledJob's objects, its CronJob given `concurrencyPolicy`. */
function cronJob(concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace' | undefined): ManifestObject[] {
  const chart = new Chart(Testing.app(), 'cj', { namespace: 'apps' });
  new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily' });
  const objects = chart.toJson() as ManifestObject[];
  const cj = first(objects, 'CronJob');
  if (concurrencyPolicy === undefined) drop(cj.spec, 'concurrencyPolicy');
  else cj.spec.concurrencyPolicy = concurrencyPolicy;
  return objects;
}

/** Applies `mutate` to a fresh baseline and returns the rules broken. */
function broken(mutate: (objs: ManifestObject[]) => ManifestObject[] | void): HardeningRule[] {
  const objs = baseline();
  const out = mutate(objs) ?? objs;
  return [...new Set(checkManifests(out).map((v) => v.rule))];
}

describe('checkManifests', () => {
  test('the baseline passes every rule', () => {
    expect(checkManifests(baseline())).toEqual([]);
  });

  test.each<[string, HardeningRule, (objs: ManifestObject[]) => ManifestObject[] | void]>([
    [
      'privileged container',
      'pod-security',
      (o) => {
        ctr(o).securityContext.privileged = true;
      },
    ],
    [
      'privilege escalation allowed',
      'pod-security',
      (o) => {
        drop(ctr(o).securityContext, 'allowPrivilegeEscalation');
      },
    ],
    [
      'capabilities not dropped',
      'pod-security',
      (o) => {
        put(ctr(o).securityContext, 'capabilities', {});
      },
    ],
    [
      'a capability other than NET_BIND_SERVICE added',
      'pod-security',
      (o) => {
        ctr(o).securityContext.capabilities.add = ['NET_ADMIN'];
      },
    ],
    [
      'runAsNonRoot missing',
      'pod-security',
      (o) => {
        drop(ctr(o).securityContext, 'runAsNonRoot');
        drop(pod(o).securityContext, 'runAsNonRoot');
      },
    ],
    [
      'UID 0',
      'pod-security',
      (o) => {
        pod(o).securityContext.runAsUser = 0;
      },
    ],
    [
      'seccomp Unconfined',
      'pod-security',
      (o) => {
        put(pod(o).securityContext, 'seccompProfile', { type: 'Unconfined' });
      },
    ],
    [
      'host network',
      'pod-security',
      (o) => {
        pod(o).hostNetwork = true;
      },
    ],
    [
      'hostPath volume',
      'pod-security',
      (o) => {
        put(pod(o), 'volumes', [...pod(o).volumes, { name: 'h', hostPath: { path: '/' } }]);
      },
    ],
    [
      'hostPort',
      'pod-security',
      (o) => {
        ctr(o).ports[0].hostPort = 80;
      },
    ],
    [
      'writable root filesystem',
      'read-only-root-filesystem',
      (o) => {
        ctr(o).securityContext.readOnlyRootFilesystem = false;
      },
    ],
    [
      'no memory limit',
      'resources',
      (o) => {
        drop(ctr(o).resources, 'limits');
      },
    ],
    [
      'no CPU request',
      'resources',
      (o) => {
        drop(ctr(o).resources.requests, 'cpu');
      },
    ],
    [
      'no liveness probe',
      'probes',
      (o) => {
        drop(ctr(o), 'livenessProbe');
      },
    ],
    [
      'no readiness probe',
      'probes',
      (o) => {
        drop(ctr(o), 'readinessProbe');
      },
    ],
    [
      ':latest image',
      'image-pinned',
      (o) => {
        ctr(o).image = 'nginx:latest';
      },
    ],
    [
      'untagged image behind a registry port',
      'image-pinned',
      (o) => {
        ctr(o).image = 'registry:5000/app';
      },
    ],
    ['no PDB for 2 replicas', 'disruption-budget', (o) => o.filter((x) => x.kind !== 'PodDisruptionBudget')],
    [
      'PDB that allows no eviction',
      'disruption-budget',
      (o) => {
        put(first(o, 'PodDisruptionBudget'), 'spec', {
          minAvailable: 2,
          selector: first(o, 'PodDisruptionBudget').spec.selector,
        });
      },
    ],
    [
      'PDB with maxUnavailable 0%',
      'disruption-budget',
      (o) => {
        first(o, 'PodDisruptionBudget').spec.maxUnavailable = '0%';
      },
    ],
    [
      'no spread for 2 replicas',
      'topology-spread',
      (o) => {
        drop(pod(o), 'topologySpreadConstraints');
        drop(pod(o), 'affinity');
      },
    ],
    ['no NetworkPolicy selects the Pods', 'network-policy', (o) => o.filter((x) => x.kind !== 'NetworkPolicy')],
    [
      'NetworkPolicy in another namespace',
      'network-policy',
      (o) => {
        first(o, 'NetworkPolicy').metadata.namespace = 'other';
      },
    ],
    [
      'object in the default namespace',
      'namespace',
      (o) => {
        first(o, 'ServiceAccount').metadata.namespace = 'default';
      },
    ],
    [
      'object with no namespace',
      'namespace',
      (o) => {
        drop(first(o, 'ServiceAccount').metadata, 'namespace');
      },
    ],
    [
      'Service selecting nothing',
      'dangling-reference',
      (o) => {
        first(o, 'Service').spec.selector = { 'app.kubernetes.io/name': 'ghost' };
      },
    ],
    [
      'Service targetPort naming no container port',
      'dangling-reference',
      (o) => {
        first(o, 'Service').spec.ports[0].targetPort = 'grpc';
      },
    ],
    [
      'Ingress to a missing Service',
      'dangling-reference',
      (o) => {
        first(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.name = 'ghost';
      },
    ],
    [
      'HPA targeting a missing Deployment',
      'dangling-reference',
      (o) => {
        first(o, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'ghost';
      },
    ],
    [
      'Secret with data',
      'secret-values',
      (o) => [
        ...o,
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'apps' }, stringData: { password: 'x' } },
      ],
    ],
    [
      'literal secret-looking env var',
      'secret-values',
      (o) => {
        put(ctr(o), 'env', [{ name: 'API_TOKEN', value: 'abc' }]);
      },
    ],
    // Pod Security Standards baseline controls
    [
      'procMount Unmasked',
      'pod-security',
      (o) => {
        ctr(o).securityContext.procMount = 'Unmasked';
      },
    ],
    [
      'an unsafe sysctl',
      'pod-security',
      (o) => {
        pod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
      },
    ],
    [
      'AppArmor unconfined (field)',
      'pod-security',
      (o) => {
        put(ctr(o).securityContext, 'appArmorProfile', { type: 'Unconfined' });
      },
    ],
    [
      'AppArmor unconfined (annotation)',
      'pod-security',
      (o) => {
        first(o, 'Deployment').spec.template.metadata.annotations = {
          'container.apparmor.security.beta.kubernetes.io/api': 'unconfined',
        };
      },
    ],
    [
      'an SELinux type outside the container types',
      'pod-security',
      (o) => {
        put(pod(o).securityContext, 'seLinuxOptions', { type: 'spc_t' });
      },
    ],
    [
      'a custom SELinux user',
      'pod-security',
      (o) => {
        put(ctr(o).securityContext, 'seLinuxOptions', { user: 'system_u' });
      },
    ],
    [
      'a Windows host process',
      'pod-security',
      (o) => {
        put(pod(o).securityContext, 'windowsOptions', { hostProcess: true });
      },
    ],
    // NetworkPolicy coverage
    [
      'an egress-only NetworkPolicy (ingress stays open)',
      'network-policy',
      (o) => {
        first(o, 'NetworkPolicy').spec.policyTypes = ['Egress'];
      },
    ],
    [
      'restricted egress without DNS',
      'network-policy',
      (o) => {
        put(first(o, 'NetworkPolicy').spec, 'egress', [
          { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        ]);
      },
    ],
    [
      'restricted egress with DNS over TCP only',
      'network-policy',
      (o) => {
        put(first(o, 'NetworkPolicy').spec, 'egress', [{ ports: [{ port: 53, protocol: 'TCP' }] }]);
      },
    ],
    [
      'an Ingress without TLS',
      'ingress-tls',
      (o) => {
        drop(first(o, 'Ingress').spec, 'tls');
      },
    ],
    [
      'a test image behind an Ingress',
      'exposed-test-image',
      (o) => {
        ctr(o).image = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
      },
    ],
    [
      'an old-registry test image behind an Ingress',
      'exposed-test-image',
      (o) => {
        ctr(o).image = 'gcr.io/kubernetes-e2e-test-images/echoserver:2.2';
      },
    ],
    ['a CronJob that may overlap itself', 'cronjob-concurrency', (o) => [...o, ...cronJob('Allow')]],
    ['a CronJob with concurrencyPolicy unset (Allow)', 'cronjob-concurrency', (o) => [...o, ...cronJob(undefined)]],
  ])('%s breaks %s', (_what, rule, mutate) => {
    expect(broken(mutate)).toEqual([rule]);
  });

  test('a test image behind a Gateway route is refused (the shipped demo once ran agnhost netexec); one nobody routes to passes', () => {
    const chart = new Chart(Testing.app(), 'r', { namespace: 'apps' });
    const gateway = { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } };
    new WebService(chart, 'api', {
      image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
      port: 8080,
      route: { gateway, hostnames: ['api.example.com'] },
    });
    new WebService(chart, 'internal', { image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', port: 8080 });
    expect(checkManifests(chart.toJson() as ManifestObject[])).toEqual([
      {
        rule: 'exposed-test-image',
        object: 'HTTPRoute apps/api',
        message:
          'routes to Service "api", whose Deployment apps/api runs the test image "registry.k8s.io/e2e-test-images/agnhost:2.53": test images serve endpoints that run commands (agnhost netexec /shell)',
      },
    ]);
  });

  test('a host anti-affinity alone also counts as spreading across nodes', () => {
    const objs = baseline();
    drop(pod(objs), 'topologySpreadConstraints');
    expect(checkManifests(objs)).toEqual([]);
  });

  test('selectors with matchExpressions only, or empty, are matched like any other', () => {
    const objs = baseline().filter((o) => o.kind !== 'NetworkPolicy');
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'by-expression', namespace: 'apps' },
      spec: {
        podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api'] }] },
        policyTypes: ['Ingress'],
      },
    };
    expect(checkManifests([...objs, np])).toEqual([]);
    const other = {
      ...np,
      spec: { podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] }] } },
    };
    expect(checkManifests([...objs, other]).map((v) => v.rule)).toEqual(['network-policy']);
    const all = { ...np, spec: { podSelector: {} } };
    expect(checkManifests([...objs, all])).toEqual([]);
  });

  test('a Service with an empty selector finds Pod templates that carry no labels', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'other' },
      spec: {
        template: {
          spec: {
            ...pod(baseline()),
            containers: [{ ...ctr(baseline()), ports: [{ name: 'http', containerPort: 8080 }] }],
          },
        },
      },
    };
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'other' },
      spec: { selector: {}, ports: [{ port: 80, targetPort: 'http' }] },
    };
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'all', namespace: 'other' },
      spec: { podSelector: {} },
    };
    expect(checkManifests([job, svc, np])).toEqual([]);
  });

  test('HTTPRoute backendRefs must resolve', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'apps' },
      spec: { rules: [{ backendRefs: [{ name: 'ghost', port: 80 }] }] },
    };
    expect(checkManifests([...baseline(), route]).map((v) => v.message)).toEqual([
      'backendRef Service "ghost" does not exist',
    ]);
  });

  test('Jobs need no probes, PDB or spread', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'apps' },
      spec: {
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'api' } },
          spec: {
            ...pod(baseline()),
            containers: [{ ...ctr(baseline()), readinessProbe: undefined, livenessProbe: undefined }],
          },
        },
      },
    };
    expect(checkManifests([...baseline(), job])).toEqual([]);
  });

  test('violations name the object and can be skipped explicitly', () => {
    const objs = baseline();
    ctr(objs).image = 'nginx';
    expect(checkManifests(objs)).toEqual([
      {
        rule: 'image-pinned',
        object: 'Deployment apps/api',
        message: 'container "api" image "nginx" must be pinned by a tag or digest (an untagged image means ":latest")',
      },
    ]);
    expect(checkManifests(objs, { skip: ['image-pinned'] })).toEqual([]);
  });

  test('cluster-scoped kinds need no namespace; custom ones can be declared', () => {
    const ns: ManifestObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } };
    const custom: ManifestObject = { apiVersion: 'example.com/v1', kind: 'ClusterThing', metadata: { name: 'x' } };
    expect(checkManifests([ns])).toEqual([]);
    expect(checkManifests([custom]).map((v) => v.rule)).toEqual(['namespace']);
    expect(checkManifests([custom], { clusterScopedKinds: ['ClusterThing'] })).toEqual([]);
  });

  test('selectorMatches supports matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'api', tier: 'web' };
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'api' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, labels)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
  });
});

describe('schema helper', () => {
  test('reports structurally invalid objects and unknown kinds instead of passing them', () => {
    const objs = baseline();
    Reflect.set(first(objs, 'Service').spec.ports[0], 'port', 'eighty'); // a string where the schema wants an integer
    expect(schemaErrors(objs)).toEqual([
      expect.stringContaining('v1 Service apps/api: data/spec/ports/0/port must be integer'),
    ]);
    expect(() =>
      schemaErrors([{ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } }]),
    ).not.toThrow();
    expect(schemaErrors([{ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } }])[0]).toContain(
      'no schema model known for example.com/v1 Thing',
    );
  });

  test('hand-written CRD schemas reject missing fields, bad enums and unknown fields', () => {
    const bsl = {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: 'velero' },
      spec: { provider: 'aws', objectStorage: { bucket: 'b' } },
    };
    expect(schemaErrors([bsl])).toEqual([]);
    expect(schemaErrors([{ ...bsl, spec: { provider: 'aws', objectStorage: {} } }])[0]).toContain(
      "must have required property 'bucket'",
    );
    expect(schemaErrors([{ ...bsl, spec: { ...bsl.spec, accessMode: 'Write' } }])[0]).toContain(
      'must be equal to one of the allowed values',
    );
    expect(schemaErrors([{ ...bsl, spec: { ...bsl.spec, bukket: 'x' } }])[0]).toContain(
      'must NOT have additional properties',
    );
    const constraint = {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'Anything',
      metadata: { name: 'c' },
      spec: { enforcementAction: 'block' },
    };
    expect(schemaErrors([constraint])[0]).toContain('must be equal to one of the allowed values');
  });

  test('egress open to every port, or UDP 53 within a port range, allows DNS', () => {
    const objs = baseline();
    put(first(objs, 'NetworkPolicy').spec, 'egress', [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]);
    expect(checkManifests(objs)).toEqual([]);
    put(first(objs, 'NetworkPolicy').spec, 'egress', [{ ports: [{ port: 1, endPort: 1024, protocol: 'UDP' }] }]);
    expect(checkManifests(objs)).toEqual([]);
  });
});

describe('per-object opt-out', () => {
  test('an annotation naming the rule, with a reason, opts that object out of that rule only', () => {
    // GIVEN an Ingress without TLS, opted out with a reason
    const objs = baseline();
    const ing = first(objs, 'Ingress');
    drop(ing.spec, 'tls');
    ing.metadata.annotations = { 'groundwork.io/allow-ingress-tls': 'TLS terminates at the cloud load balancer' };
    // THEN it passes; another rule on the same object still applies
    expect(checkManifests(objs)).toEqual([]);
    ing.spec.rules[0].http.paths[0].backend.service.name = 'ghost';
    expect(checkManifests(objs).map((v) => v.rule)).toEqual(['dangling-reference']);
  });

  test('an opt-out without a reason does not opt out, and says so', () => {
    const objs = baseline();
    const ing = first(objs, 'Ingress');
    drop(ing.spec, 'tls');
    ing.metadata.annotations = { 'groundwork.io/allow-ingress-tls': ' ' };
    expect(checkManifests(objs)).toEqual([
      {
        rule: 'ingress-tls',
        object: 'Ingress apps/api',
        message:
          'serves plaintext: add spec.tls (a cert-manager issued certificate or an existing TLS Secret) (its groundwork.io/allow-ingress-tls annotation gives no reason, so it does not opt out)',
      },
    ]);
  });

  test('rules that guard secrets, references, namespaces, images and RBAC cannot be opted out of this way', () => {
    const objs = baseline();
    ctr(objs).image = 'nginx:latest';
    first(objs, 'Deployment').metadata.annotations = {
      'groundwork.io/allow-image-pinned': 'we like to live dangerously',
    };
    expect(checkManifests(objs).map((v) => v.rule)).toEqual(['image-pinned']);
  });
});

describe('opt-outs chosen in props are recorded for checkManifests', () => {
  test('a WebService that opts out per field passes every rule, each exception annotated with its reason', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'legacy', {
      image: 'ghcr.io/acme/legacy:2.0.0',
      port: 8080,
      replicas: 2,
      security: { readOnlyRootFilesystem: false },
      probes: { liveness: false },
      disruptionBudget: false,
      networkPolicy: false,
      spread: { nodes: 'off' },
    });
    const objects = chart.toJson() as ManifestObject[];
    expect(checkManifests(objects)).toEqual([]);
    expect(first(objects, 'Deployment').metadata.annotations).toEqual({
      'groundwork.io/allow-read-only-root-filesystem': 'security.readOnlyRootFilesystem: false',
      'groundwork.io/allow-probes': 'a probe set to false in props.probes',
      'groundwork.io/allow-disruption-budget': 'disruptionBudget: false',
      'groundwork.io/allow-topology-spread': 'spread across nodes turned off in props.spread',
      'groundwork.io/allow-network-policy': 'networkPolicy: false',
    });
  });
});

describe('the rule table', () => {
  test('the README documents every rule with its requirement and whether an object may opt out', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    for (const [id, info] of Object.entries(HARDENING_RULES)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
      expect([id, row]).toEqual([
        id,
        `| \`${id}\` | ${info.requires} | ${info.optOut ? `\`${optOutAnnotation(id as HardeningRule)}: "<reason>"\`` : 'no'} |`,
      ]);
    }
  });
});
