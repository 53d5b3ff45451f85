import { Chart } from 'cdk8s';
import {
  AppNamespace,
  canReach,
  type ManifestObject,
  ScheduledJob,
  StatefulService,
  Tenant,
  WebService,
} from '../../constructs';
import { type Kind, named, type Obj, ofKind } from '../helpers/kinds';
import { all, errorOf, synth } from '../helpers/synth';
import { rendered } from '../helpers/stacks';

const kindPlatform = () => rendered('kind').contract;
const base = { name: 'team-a', environment: 'kind', namespaces: [{ name: 'team-a' }] };
/** The object of `kind` named `name`. */
const byName = <K extends Kind>(objs: readonly ManifestObject[], kind: K, name: string): Obj<K> =>
  named(ofKind(objs, kind), name);

describe('Tenant', () => {
  test('namespaces carry pinned Pod Security labels (restricted by default), the environment and the team', () => {
    const objs = synth(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          platform: kindPlatform(),
          namespaces: [{ name: 'team-a' }, { name: 'team-a-batch', podSecurity: 'baseline' }],
        }),
    );
    const a = byName(objs, 'Namespace', 'team-a');
    expect(a.metadata.labels).toMatchObject({
      environment: 'kind',
      'groundwork.io/tenant': 'team-a',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(byName(objs, 'Namespace', 'team-a-batch').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'baseline',
    );
  });

  test('quota per namespace: CPU, memory, ephemeral storage, Pods, Services, ConfigMaps, Secrets, claims; no LoadBalancers or NodePorts by default', () => {
    const objs = synth(
      (c) => new Tenant(c, 't', { ...base, platform: kindPlatform(), quota: { cpu: '2', memory: '4Gi', pods: 20 } }),
    );
    expect(byName(objs, 'ResourceQuota', 'tenant-quota').spec.hard).toEqual({
      'requests.cpu': '2',
      'requests.memory': '4Gi',
      'limits.memory': '8192Mi',
      'requests.ephemeral-storage': '20Gi',
      'limits.ephemeral-storage': '40Gi',
      pods: '20',
      services: '20',
      configmaps: '50',
      secrets: '50',
      persistentvolumeclaims: '10',
      'requests.storage': '100Gi',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(byName(objs, 'LimitRange', 'tenant-defaults').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
        default: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '1Gi' },
      },
    ]);
  });

  test("NetworkPolicies: default deny, then DNS, the Gateway's proxies and Prometheus from where they run (on the metrics ports)", () => {
    const objs = synth((c) => new Tenant(c, 't', { ...base, platform: kindPlatform() }));
    const np = (name: string) => byName(objs, 'NetworkPolicy', name).spec;
    expect(all(objs, 'NetworkPolicy').map((o) => o.metadata.name)).toEqual([
      'default-deny',
      'allow-dns',
      'allow-from-gateway',
      'allow-from-monitoring',
    ]);
    expect(np('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(np('allow-dns').egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
    expect(np('allow-from-gateway').ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: { matchLabels: kindPlatform().gateways[0].value.proxies.podLabels },
    });
    // Prometheus's own Pods (the label prometheus-operator gives them), not the whole monitoring namespace
    expect(np('allow-from-monitoring').ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    });
    expect(np('allow-from-monitoring').ingress[0].ports).toEqual([
      { port: 'metrics', protocol: 'TCP' },
      { port: 'http-metrics', protocol: 'TCP' },
    ]);
  });

  test('same-namespace traffic is opt-in: each workload names its peers, so a storefront cannot reach the cache it does not call', () => {
    // a cache only the api may call, and two callers of it; `network` is the tenant's
    const shop = (network: { sameNamespace?: boolean }) =>
      synth((c) => {
        new Tenant(c, 't', { ...base, platform: kindPlatform(), network });
        new WebService(c, 'cache', {
          namespace: 'team-a',
          image: 'redis:7.4.6-alpine',
          port: 6379,
          networkPolicy: { allowFrom: [{ app: 'api' }] },
        });
        for (const app of ['storefront', 'api'])
          new WebService(c, app, {
            namespace: 'team-a',
            image: `ghcr.io/acme/${app}:1.0.0`,
            port: 8080,
            networkPolicy: { egress: { allowTo: [{ app: 'cache' }] } },
          });
      });
    const objs = shop({});
    const pod = (app: string) => ({ namespace: 'team-a', labels: { 'app.kubernetes.io/name': app } });
    expect(canReach(objs, pod('api'), pod('cache'), 6379)).toBe(true);
    expect(canReach(objs, pod('storefront'), pod('cache'), 6379)).toBe(false);
    const open = shop({ sameNamespace: true });
    expect(canReach(open, pod('storefront'), pod('cache'), 6379)).toBe(true);
    expect(
      errorOf(
        (c) =>
          new Tenant(c, 't', { ...base, platform: kindPlatform(), network: { metricsPorts: ['Metrics!', 70000] } }),
      ),
    ).toBe(
      [
        `Tenant 'test/t': network.metricsPorts[0] ("Metrics!") must be an IANA service name: 1-15 lowercase alphanumerics or "-", with at least one letter and no "--" or leading/trailing "-"`,
        "Tenant 'test/t': network.metricsPorts[1] (70000) must be an integer between 1 and 65535",
      ].join('\n'),
    );
  });

  test('named egress: namespaces and CIDRs, the cloud metadata endpoint always cut out', () => {
    const objs = synth(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          platform: kindPlatform(),
          network: { egressToNamespaces: ['team-b'], egressToCidrs: ['0.0.0.0/0', '10.20.0.0/16'] },
        }),
    );
    expect(byName(objs, 'NetworkPolicy', 'allow-egress').spec.egress).toEqual([
      {
        to: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-b' } } },
          { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
          { ipBlock: { cidr: '10.20.0.0/16' } },
        ],
      },
    ]);
  });

  test('RBAC: team groups bound to namespaced roles, a CI deployer ServiceAccount, no cluster-wide rights', () => {
    const objs = synth(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          platform: kindPlatform(),
          access: { admins: ['a-admins'], viewers: ['a-viewers'] },
        }),
    );
    expect(
      all(objs, 'Role')
        .map((r) => r.metadata.name)
        .sort(),
    ).toEqual(['tenant-admin', 'tenant-deployer', 'tenant-view']);
    expect([...all(objs, 'ClusterRole'), ...all(objs, 'ClusterRoleBinding')]).toEqual([]);
    expect(byName(objs, 'RoleBinding', 'tenant-admin').subjects).toEqual([
      { kind: 'Group', name: 'a-admins', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    expect(byName(objs, 'RoleBinding', 'tenant-deployer').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ci-deployer', namespace: 'team-a' },
    ]);
    expect(byName(objs, 'ServiceAccount', 'ci-deployer').automountServiceAccountToken).toBe(false);
  });

  test('its own secret store: only its namespaces may use it, and it reaches only its secrets', () => {
    const objs = synth((c) => new Tenant(c, 't', { ...base, platform: kindPlatform() }));
    const store = byName(objs, 'ClusterSecretStore', 'tenant-team-a');
    expect(store.spec.conditions).toEqual([{ namespaces: ['team-a'] }]);
    expect(store.spec.provider.kubernetes.remoteNamespace).toBe('platform-secrets-team-a');
    expect(byName(objs, 'Namespace', 'platform-secrets-team-a')).toBeDefined();
    // on AWS the tenant's store assumes a role limited to its secrets
    const aws = synth(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          environment: 'prod',
          platform: rendered('prod').contract,
          secretStore: { roleArn: 'arn:aws:iam::210987654321:role/secrets-team-a' },
        }),
    );
    expect(byName(aws, 'ClusterSecretStore', 'tenant-team-a').spec.provider.aws).toMatchObject({
      service: 'SecretsManager',
      role: 'arn:aws:iam::210987654321:role/secrets-team-a',
    });
    expect(errorOf((c) => new Tenant(c, 't', { ...base, platform: rendered('prod').contract }))).toBe(
      "Tenant 'test/t': secretStore.roleArn (undefined) must name the IAM role limited to the tenant's secrets (the shared store's role reaches every secret)",
    );
  });

  test('mesh membership with Istio: injection label and STRICT mutual TLS; the CNI keeps Pod Security restricted', () => {
    const objs = synth(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          environment: 'prod',
          platform: rendered('prod').contract,
          mesh: true,
          secretStore: false,
        }),
    );
    expect(byName(objs, 'Namespace', 'team-a').metadata.labels['istio-injection']).toBe('enabled');
    expect(byName(objs, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(byName(objs, 'NetworkPolicy', 'allow-mesh-control-plane').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] },
    ]);
  });

  test('mesh membership without a mesh is refused', () => {
    expect(errorOf((c) => new Tenant(c, 't', { ...base, platform: kindPlatform(), mesh: true }))).toBe(
      "Tenant 'test/t': mesh (true) needs a service mesh in the platform (enable mesh in the add-on profile)",
    );
  });

  test("quota below what the tenant's workloads request at full scale is refused, naming them", () => {
    expect(
      errorOf((c) => {
        new Tenant(c, 't', { ...base, platform: kindPlatform(), quota: { cpu: '500m', memory: '1Gi' } });
        new WebService(c, 'api', {
          namespace: 'team-a',
          image: 'ghcr.io/acme/api:1.0.0',
          port: 8080,
          resources: { cpuRequest: '100m' },
          autoscaling: { minReplicas: 2, maxReplicas: 6 },
        });
      }),
    ).toBe(
      // 6 replicas at the HPA's maximum plus a 25% rolling surge (2 more Pods) at 100m each
      'Tenant \'test/t\': quota.cpu ("500m") must be >= the CPU its workloads request at full scale in team-a (0.8 cores: api 8x)',
    );
  });

  test('the quota check counts what ResourceQuota admission counts, from every chart of the tree', () => {
    const messages = errorOf((c) => {
      new Tenant(c, 't', {
        ...base,
        platform: kindPlatform(),
        quota: { pods: 10, persistentVolumeClaims: 2, storage: '5Gi', nodePorts: 0, services: 1 },
      });
      // placed by another chart of the same app: the quota binds it all the same
      const other = new Chart(c.node.root, 'other', { namespace: 'team-a' });
      new WebService(other, 'api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        autoscaling: { minReplicas: 2, maxReplicas: 6 },
      });
      new StatefulService(c, 'db', {
        namespace: 'team-a',
        image: 'postgres:17.2',
        port: 5432,
        replicas: 3,
        volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '2Gi' }],
      });
      new ScheduledJob(c, 'report', { namespace: 'team-a', image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily' });
    }).split('\n');
    expect(messages).toEqual([
      "Tenant 'test/t': quota.pods (10) must be >= the Pods its workloads run at their peak (HPA maximum, rolling surge, Jobs) in team-a (12: db 3x, report 1x, api 8x)",
      "Tenant 'test/t': quota.persistentVolumeClaims (2) must be >= the claims its workloads make in team-a (3)",
      'Tenant \'test/t\': quota.storage ("5Gi") must be >= the storage its claims request in team-a (6144Mi)',
      "Tenant 'test/t': quota.services (1) must be >= its Services in team-a (2)",
    ]);
  });

  test.each([
    [{ namespaces: [{ name: 'Team_A' }] }, 'namespaces[0].name ("Team_A") must be'],
    [{ namespaces: [{ name: 'a'.repeat(64) }] }, `namespaces[0].name ("${'a'.repeat(64)}") must be`],
    [{ namespaces: [] }, 'namespaces ([]) must list at least one namespace'],
    [{ network: { egressToCidrs: ['10.0.0.0/33'] } }, 'network.egressToCidrs[0] ("10.0.0.0/33") must be'],
    [
      { network: { egressToCidrs: ['169.254.169.254/32'] } },
      'network.egressToCidrs[0] ("169.254.169.254/32") is the cloud metadata endpoint',
    ],
    [{ quota: { cpu: 'lots' } }, 'quota.cpu ("lots") must be'],
    // kind's store keeps a tenant's Secrets in "platform-secrets-<name>": 17 + 50 characters is past 63
    [
      { name: 'a'.repeat(50) },
      `name ("${'a'.repeat(50)}") derives the secrets namespace "platform-secrets-${'a'.repeat(50)}", which must be`,
    ],
  ])('bad input is refused: %j', (patch, message) => {
    expect(errorOf((c) => new Tenant(c, 't', { ...base, platform: kindPlatform(), ...patch }))).toContain(
      `Tenant 'test/t': ${message}`,
    );
  });

  test('two tenants claiming one namespace is refused', () => {
    expect(
      errorOf((c) => {
        new Tenant(c, 'a', { ...base, platform: kindPlatform() });
        new Tenant(c, 'b', { ...base, name: 'team-b', platform: kindPlatform() });
      }),
    ).toBe(
      "Tenant 'test/b': namespaces[0].name (\"team-a\") is already held by Tenant 'test/a': a namespace belongs to one tenant or app",
    );
  });

  test.each([
    ['kube-system', 'must not be a namespace Kubernetes manages'],
    ['kube-flannel', 'must not start with "kube-" (reserved for Kubernetes)'],
    ['monitoring', "is the platform's namespace (kube-prometheus-stack): a team never shares it"],
    ['gateway-system', "is the platform's namespace (envoy-gateway): a team never shares it"],
    ['argocd', "is the platform's namespace (argo-cd): a team never shares it"],
    ['platform-secrets', "is the platform's namespace (external-secrets): a team never shares it"],
    ['platform-secrets-shop', 'starts with "platform-secrets-", where tenants\' secret stores keep their Secrets'],
  ])('a tenant namespace the platform holds is refused: %s', (name, message) => {
    expect(errorOf((c) => new Tenant(c, 't', { ...base, platform: kindPlatform(), namespaces: [{ name }] }))).toContain(
      `Tenant 'test/t': namespaces[0].name (${JSON.stringify(name)}) ${message}`,
    );
  });

  test('an AppNamespace and a Tenant cannot hold one namespace, in either order', () => {
    expect(
      errorOf((c) => {
        new AppNamespace(c, 'ns', { name: 'team-a' });
        new Tenant(c, 't', { ...base, platform: kindPlatform() });
      }),
    ).toContain('namespaces[0].name ("team-a") is already held by AppNamespace \'test/ns\'');
    expect(
      errorOf((c) => {
        new Tenant(c, 't', { ...base, platform: kindPlatform() });
        new AppNamespace(c, 'ns', { name: 'team-a' });
      }),
    ).toContain("AppNamespace 'test/ns': name (\"team-a\") is already held by Tenant 'test/t'");
  });
});

describe('isolation of the demo tenants (canReach over the kind rendering)', () => {
  const objs = () => rendered('kind').objects;
  const podOf = (name: string) => {
    const o = objs().find(
      (x) => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind) && x.metadata?.name === name,
    );
    expect(o).toBeDefined();
    const w = o as unknown as Obj<'Deployment'> | Obj<'StatefulSet'> | Obj<'CronJob'>;
    const template = w.kind === 'CronJob' ? w.spec.jobTemplate.spec.template : w.spec.template;
    return { namespace: w.metadata.namespace, labels: template.metadata.labels };
  };
  const gatewayProxy = () => ({
    namespace: 'envoy-gateway-system',
    labels: { ...rendered('kind').contract.gateways[0].value.proxies.podLabels, 'app.kubernetes.io/name': 'envoy' },
  });
  const prometheus = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

  test('gateway -> storefront and api: allowed', () => {
    expect(canReach(objs(), gatewayProxy(), podOf('storefront'), 8080)).toBe(true);
    expect(canReach(objs(), gatewayProxy(), podOf('api'), 8080)).toBe(true);
  });

  test("Prometheus -> app: only on the metrics ports, not the app's own (8080)", () => {
    expect(canReach(objs(), prometheus, podOf('api'), 8080)).toBe(false);
  });

  test('a workload -> a peer it does not call in its own namespace: denied (storefront -> redis)', () => {
    expect(canReach(objs(), podOf('storefront'), podOf('redis'), 6379)).toBe(false);
    expect(canReach(objs(), podOf('storefront'), podOf('api'), 8080)).toBe(true);
  });

  test('app -> its database: allowed; DNS: allowed', () => {
    expect(canReach(objs(), podOf('api'), podOf('redis'), 6379)).toBe(true);
    expect(canReach(objs(), podOf('orders-worker'), podOf('redis'), 6379)).toBe(true);
    expect(
      canReach(objs(), podOf('api'), { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 53, 'UDP'),
    ).toBe(true);
  });

  test('tenant analytics -> tenant shop: denied (both directions)', () => {
    expect(canReach(objs(), podOf('nightly-report'), podOf('api'), 8080)).toBe(false);
    expect(canReach(objs(), podOf('api'), podOf('nightly-report'), 8080)).toBe(false);
  });

  test('app -> the cloud metadata endpoint: denied; an unrelated namespace -> app: denied', () => {
    expect(canReach(objs(), podOf('storefront'), { ip: '169.254.169.254' }, 80)).toBe(false);
    expect(canReach(objs(), podOf('api'), { ip: '169.254.169.254' }, 80)).toBe(false);
    expect(canReach(objs(), { namespace: 'default', labels: {} }, podOf('api'), 8080)).toBe(false);
  });
});

test('an AppNamespace may not carry the tenant label (it would attach routes to the shared Gateway that no tenant policy holds)', () => {
  expect(errorOf((c) => new AppNamespace(c, 'ns', { name: 'tools', labels: { 'groundwork.io/tenant': 'shop' } }))).toBe(
    `AppNamespace 'test/ns': labels["groundwork.io/tenant"] ("shop") is set by a Tenant on its own namespaces: make this namespace a Tenant's instead`,
  );
});
