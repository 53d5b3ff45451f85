/**
 * A hostile tenant against the shared Gateway, the issuers and the Rollouts controller: each way
 * in is refused at admission by the tenant's ValidatingAdmissionPolicy (evaluated here with a CEL
 * implementation; see helpers/cel.ts) and, where the rendering itself names it, at construction.
 */
import { type ManifestObject, Tenant, WebService } from '../../constructs';
import { hostnameCovers, hostnamesOverlap } from '../../constructs/internal/hostnames';
import { denials } from '../helpers/cel';
import { named, ofKind } from '../helpers/kinds';
import { rendered, renderedWithDemo, STACKS } from '../helpers/stacks';
import { errorOf, synth } from '../helpers/synth';

const prod = () => rendered('prod').contract;
const team = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  environment: 'prod',
  namespaces: [{ name }],
  platform: prod(),
  secretStore: false as const,
  ...extra,
});
const policyOf = (objs: readonly ManifestObject[], tenant: string) =>
  named(ofKind(objs, 'ValidatingAdmissionPolicy'), `groundwork-tenant-${tenant}`);
const route = (hostnames?: string[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'public', namespace: 'gateway-system' }],
    ...(hostnames ? { hostnames } : {}),
    rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
  },
});

describe('hostname ownership', () => {
  test('covers and overlaps follow Gateway API wildcard matching (suffix over any depth, never the apex)', () => {
    expect(hostnameCovers('*.a.example.com', 'x.a.example.com')).toBe(true);
    expect(hostnameCovers('*.a.example.com', 'y.x.a.example.com')).toBe(true);
    expect(hostnameCovers('*.a.example.com', '*.x.a.example.com')).toBe(true);
    expect(hostnameCovers('*.a.example.com', 'a.example.com')).toBe(false);
    expect(hostnameCovers('*.a.example.com', 'xa.example.com')).toBe(false);
    expect(hostnamesOverlap('login.a.example.com', '*.a.example.com')).toBe(true);
    expect(hostnamesOverlap('*.b.example.com', '*.a.example.com')).toBe(false);
  });

  test('a tenant owns *.<name>.<domain> by default (the domain read from the default Gateway), and its policy binds to its namespaces', () => {
    const objs = synth((c) => new Tenant(c, 't', team('team-a')));
    const policy = policyOf(objs, 'team-a');
    expect(policy.spec.variables).toContainEqual({ name: 'suffixes', expression: '[".team-a.example.com"]' });
    expect(named(ofKind(objs, 'ValidatingAdmissionPolicyBinding'), 'groundwork-tenant-team-a').spec).toEqual({
      policyName: 'groundwork-tenant-team-a',
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'groundwork.io/tenant': 'team-a' } } },
    });
  });

  test('claiming the whole domain, the apex, a bad name or another tenant’s names is a construction error', () => {
    expect(
      errorOf((c) => new Tenant(c, 't', team('team-a', { hostnames: ['*.example.com', 'example.com', 'Bad_Host'] }))),
    ).toBe(
      [
        `Tenant 'test/t': hostnames[0] ("*.example.com") claims the shared Gateway's whole domain (*.example.com): a tenant owns names below it, e.g. "*.team-a.example.com"`,
        `Tenant 'test/t': hostnames[1] ("example.com") claims the shared Gateway's whole domain (*.example.com): a tenant owns names below it, e.g. "*.team-a.example.com"`,
        `Tenant 'test/t': hostnames[2] ("Bad_Host") must be a lowercase DNS name such as "app.example.com" (a wildcard only as the leftmost label "*.example.com"; no port, no IP address)`,
      ].join('\n'),
    );
    expect(
      errorOf((c) => {
        new Tenant(c, 'a', team('team-a'));
        new Tenant(c, 'b', team('team-b', { hostnames: ['login.team-a.example.com'] }));
      }),
    ).toContain(
      `hostnames[0] ("login.team-a.example.com") overlaps *.team-a.example.com, which Tenant 'test/a' owns: a hostname belongs to one tenant`,
    );
  });

  test('a route in a tenant namespace for a host it does not own fails at construction, naming the route and the host', () => {
    const gateway = { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } };
    expect(
      errorOf((c) => {
        new Tenant(c, 't', team('team-a'));
        new WebService(c, 'web', {
          namespace: 'team-a',
          image: 'ghcr.io/acme/web:1.0.0',
          port: 8080,
          route: { gateway, hostnames: ['login.example.com'] },
        });
      }),
    ).toContain(
      "Tenant 'test/t': HTTPRoute team-a/web serves login.example.com, which the tenant does not own (hostnames: *.team-a.example.com); the API server would refuse it",
    );
  });
});

describe("the tenant's people", () => {
  const grantsCreate = (objs: readonly ManifestObject[], role: string, resource: string) =>
    named(ofKind(objs, 'Role'), role).rules.some((r) => r.resources.includes(resource) && r.verbs.includes('create'));

  test('editors and the CI deployer write ExternalSecrets and AnalysisTemplates only when the tenant delegates them', () => {
    const plain = synth((c) => new Tenant(c, 't', team('team-a', { access: { editors: ['devs'] } })));
    const delegated = synth(
      (c) =>
        new Tenant(
          c,
          't',
          team('team-a', { access: { editors: ['devs'], delegate: ['externalSecrets', 'analysis'] } }),
        ),
    );
    for (const role of ['tenant-edit', 'tenant-deployer']) {
      expect([
        role,
        grantsCreate(plain, role, 'externalsecrets'),
        grantsCreate(plain, role, 'analysistemplates'),
      ]).toEqual([role, false, false]);
      expect([
        role,
        grantsCreate(delegated, role, 'externalsecrets'),
        grantsCreate(delegated, role, 'analysistemplates'),
      ]).toEqual([role, true, true]);
    }
    expect(errorOf((c) => new Tenant(c, 't', team('team-a', { access: { delegate: ['secrets'] } })))).toBe(
      `Tenant 'test/t': access.delegate[0] ("secrets") must be one of externalSecrets, analysis`,
    );
  });
});

describe("the tenant's admission policy", () => {
  const policy = policyOf(
    synth((c) => new Tenant(c, 't', team('team-a', { hostnames: ['shop.example.com', '*.team-a.example.com'] }))),
    'team-a',
  );
  const req = (resource: string, object: unknown, username?: string) =>
    denials(policy, { resource, namespace: 'team-a', object, ...(username ? { username } : {}) });

  test('routes: only owned hostnames, and a route must list them', () => {
    expect(req('httproutes', route(['shop.example.com', 'x.team-a.example.com', '*.eu.team-a.example.com']))).toEqual(
      [],
    );
    // another tenant's name, the login page, a wildcard over the domain, a route left open to every name
    for (const bad of [
      ['api.example.com'],
      ['login.example.com'],
      ['*.example.com'],
      ['shop.example.com', 'team-b.example.com'],
      undefined,
    ])
      expect([bad, req('httproutes', route(bad))]).toEqual([
        bad,
        [expect.stringContaining('a route must list its hostnames, each one the tenant owns')],
      ]);
    expect(req('grpcroutes', route(['api.example.com']))).toHaveLength(1);
  });

  test('Ingresses: owned hosts on every rule and TLS entry, no default backend', () => {
    const ingress = (spec: unknown) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i' },
      spec,
    });
    const backend = { service: { name: 'web', port: { number: 80 } } };
    const rule = (host?: string) => ({
      ...(host ? { host } : {}),
      http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
    });
    expect(
      req(
        'ingresses',
        ingress({ rules: [rule('shop.example.com')], tls: [{ hosts: ['shop.example.com'], secretName: 's' }] }),
      ),
    ).toEqual([]);
    expect(req('ingresses', ingress({ rules: [rule('login.example.com')] }))).toHaveLength(1);
    expect(req('ingresses', ingress({ rules: [rule()] }))).toHaveLength(1);
    expect(req('ingresses', ingress({ defaultBackend: backend }))).toHaveLength(1);
    // a certificate for any name through the TLS section (cert-manager's ingress-shim issues for tls.hosts)
    expect(
      req(
        'ingresses',
        ingress({ rules: [rule('shop.example.com')], tls: [{ hosts: ['*.example.com'], secretName: 's' }] }),
      ),
    ).toHaveLength(1);
  });

  test('Certificates: never a CA, a literal subject, other names or usages beyond TLS (a CA from a CA issuer signs any name)', () => {
    const cert = (spec: unknown) => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'c' },
      spec,
    });
    const base = {
      secretName: 's',
      issuerRef: { kind: 'ClusterIssuer', name: 'selfsigned-ca' },
      dnsNames: ['shop.example.com'],
    };
    expect(req('certificates', cert({ ...base, usages: ['server auth', 'digital signature'] }))).toEqual([]);
    for (const extra of [
      { isCA: true },
      { literalSubject: 'CN=evil' },
      { otherNames: [{ oid: '1.2', utf8Value: 'x' }] },
      { usages: ['cert sign'] },
    ])
      expect([extra, req('certificates', cert({ ...base, ...extra }))]).toEqual([
        extra,
        [expect.stringContaining('a Certificate may not be a CA')],
      ]);
  });

  test('external-dns annotations on Services, Ingresses and routes are refused (they would publish any name)', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'login.example.com' } },
      spec: {},
    };
    expect(req('services', svc)).toEqual([expect.stringContaining("external-dns annotations are the platform's")]);
    expect(req('services', { ...svc, metadata: { name: 's', annotations: { note: 'x' } } })).toEqual([]);
    const r = route(['shop.example.com']);
    expect(
      req('httproutes', {
        ...r,
        metadata: { ...r.metadata, annotations: { 'external-dns.alpha.kubernetes.io/target': '203.0.113.9' } },
      }),
    ).toHaveLength(1);
  });

  test('Certificates: owned DNS names only; CertificateRequests only from cert-manager', () => {
    const cert = (spec: unknown) => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'c' },
      spec,
    });
    const issuerRef = { kind: 'ClusterIssuer', name: 'letsencrypt-prod' };
    expect(
      req('certificates', cert({ secretName: 's', issuerRef, dnsNames: ['shop.example.com', '*.team-a.example.com'] })),
    ).toEqual([]);
    for (const spec of [
      { dnsNames: ['*.example.com'] },
      { dnsNames: ['shop.example.com', 'login.example.com'] },
      { commonName: 'login.example.com' },
      { dnsNames: ['shop.example.com'], ipAddresses: ['10.0.0.1'] },
      {},
    ])
      expect([spec, req('certificates', cert({ secretName: 's', issuerRef, ...spec }))]).toEqual([
        spec,
        [expect.stringContaining('a Certificate may name only')],
      ]);
    const csr = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'CertificateRequest',
      metadata: { name: 'r' },
      spec: { request: 'LS0t', issuerRef },
    };
    expect(req('certificaterequests', csr)).toHaveLength(1);
    expect(req('certificaterequests', csr, 'system:serviceaccount:cert-manager:cert-manager')).toEqual([]);
  });

  test("Rollouts: the traffic-router plugin names only the Rollout's own namespace", () => {
    const rollout = (plugin: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'api' },
      spec: { strategy: { canary: { trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': plugin } } } } },
    });
    expect(req('rollouts', rollout({ httpRoute: 'api' }))).toEqual([]);
    expect(req('rollouts', rollout({ httpRoute: 'api', namespace: 'team-a' }))).toEqual([]);
    const refused = [
      "a Rollout routes traffic only through the platform's plugin, and only on routes in its own namespace",
    ];
    expect(req('rollouts', rollout({ httpRoute: 'storefront', namespace: 'shop' }))).toEqual(refused);
    // a built-in provider names its object as name.namespace (argo-rollouts GetVirtualServiceNamespaceName)
    const istio = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'api' },
      spec: { strategy: { canary: { trafficRouting: { istio: { virtualService: { name: 'vs.shop' } } } } } },
    };
    expect(req('rollouts', istio)).toEqual(refused);
  });

  test("analysis: only the platform's Prometheus, without authentication, headers or Secret arguments", () => {
    const address = 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';
    const template = (provider: unknown, args?: unknown) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'a' },
      spec: { ...(args ? { args } : {}), metrics: [{ name: 'm', successCondition: 'result[0] > 0.99', provider }] },
    });
    expect(req('analysistemplates', template({ prometheus: { address, query: 'up' } }))).toEqual([]);
    // the cloud metadata endpoint through the web provider, a Job the controller runs, another Prometheus
    expect(
      req('analysistemplates', template({ web: { url: 'http://169.254.169.254/latest/meta-data/iam/' } })),
    ).toHaveLength(1);
    expect(req('analysisruns', template({ job: { spec: { template: { spec: { containers: [] } } } } }))).toHaveLength(
      1,
    );
    expect(
      req('analysistemplates', template({ prometheus: { address: 'http://evil.example.com', query: 'up' } })),
    ).toHaveLength(1);
    expect(
      req(
        'analysistemplates',
        template({
          prometheus: { address, query: 'up', authentication: { sigv4: { roleArn: 'arn:aws:iam::1:role/x' } } },
        }),
      ),
    ).toHaveLength(1);
    expect(
      req(
        'analysistemplates',
        template({ prometheus: { address, query: 'up' } }, [
          { name: 't', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } },
        ]),
      ),
    ).toEqual(['analysis arguments may not read Secrets (valueFrom.secretKeyRef)']);
  });

  test("monitors: no file from Prometheus's filesystem (its token, other targets' keys)", () => {
    const monitor = (endpoint: Record<string, unknown>, list = 'endpoints', kind = 'ServiceMonitor') => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind,
      metadata: { name: 'm' },
      spec: { selector: {}, [list]: [{ port: 'metrics' }, endpoint] },
    });
    expect(req('servicemonitors', monitor({ port: 'http', bearerTokenSecret: { name: 'own', key: 'token' } }))).toEqual(
      [],
    );
    for (const endpoint of [
      { port: 'http', bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      { port: 'http', tlsConfig: { keyFile: '/etc/prometheus/secrets/other/tls.key' } },
      { port: 'http', tlsConfig: { caFile: '/etc/ssl/ca.pem' } },
    ])
      expect(req('servicemonitors', monitor(endpoint))).toHaveLength(1);
    expect(
      req('podmonitors', monitor({ port: 'http', bearerTokenFile: '/x' }, 'podMetricsEndpoints', 'PodMonitor')),
    ).toHaveLength(1);
  });

  test("monitors scrape their own namespace and keep its label (no reading, no faking another tenant's series)", () => {
    const monitor = (spec: Record<string, unknown>) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'm' },
      spec: { selector: {}, ...spec },
    });
    expect(
      req(
        'servicemonitors',
        monitor({ namespaceSelector: { matchNames: ['team-a'] }, endpoints: [{ port: 'metrics' }] }),
      ),
    ).toEqual([]);
    for (const spec of [
      { namespaceSelector: { any: true } },
      { namespaceSelector: { matchNames: ['shop'] } },
      { endpoints: [{ port: 'metrics', honorLabels: true }] },
      { endpoints: [{ port: 'metrics', relabelings: [{ targetLabel: 'namespace', replacement: 'shop' }] }] },
      { endpoints: [{ port: 'metrics', metricRelabelings: [{ targetLabel: 'namespace', replacement: 'shop' }] }] },
    ])
      expect([spec, req('servicemonitors', monitor(spec))]).toEqual([
        spec,
        [expect.stringContaining('scrapes only its own namespace')],
      ]);
  });

  test('everything else passes untouched (the policy reads only what it matches)', () => {
    expect(
      req('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} }),
    ).toEqual([]);
  });
});

describe('the shared Gateway', () => {
  test.each(STACKS)(
    '%s: no listener admits routes from every namespace; the demo tenants own what they serve',
    (stack) => {
      const r = renderedWithDemo(stack);
      const all = [
        ...r.objects,
        ...r.gitops.files.flatMap((f) => f.objects),
        ...r.gitops.bootstrap,
        ...r.addons.declarations.flatMap((d) => d.companions),
      ];
      const listeners = ofKind(all, 'Gateway').flatMap((g) => g.spec.listeners);
      expect(listeners.length).toBeGreaterThan(0);
      expect(
        listeners.filter((l) => l.allowedRoutes?.namespaces?.from === 'All' || l.allowedRoutes === undefined),
      ).toEqual([]);
      // every route the demo renders passes its tenant's policy
      for (const rt of ofKind(r.objects, 'HTTPRoute')) {
        const tenant = r.objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === rt.metadata.namespace)
          ?.metadata?.labels?.['groundwork.io/tenant'];
        expect(
          denials(policyOf(r.objects, String(tenant)), {
            resource: 'httproutes',
            namespace: rt.metadata.namespace ?? '',
            object: rt,
          }),
        ).toEqual([]);
      }
    },
  );
});
