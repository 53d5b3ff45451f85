import {
  type AddonDeclaration,
  certManager,
  declareAddon,
  externalDns,
  ingressNginx,
  kyverno,
  platformAddons,
  planAddons,
} from '../../constructs';
import { validationErrorOf as errorOf } from '../helpers/synth';
import { shippedEnv, STACKS } from '../helpers/stacks';
import { as } from '../helpers/kinds';

/** A minimal declaration with the given dependencies (for graph tests). */
function addon(id: AddonDeclaration['id'], dependsOn: AddonDeclaration['id'][] = []): AddonDeclaration {
  return declareAddon({ id, props: {}, defaultNamespace: 'x', values: {}, dependsOn, components: {} });
}

describe('dependency graph', () => {
  test('waves put every add-on after what it depends on', () => {
    const plan = planAddons([
      addon('alloy', ['loki']),
      addon('loki'),
      addon('cert-manager', ['kube-prometheus-stack']),
      addon('kube-prometheus-stack'),
    ]);
    expect(plan.waves).toEqual([
      ['kube-prometheus-stack', 'loki'],
      ['alloy', 'cert-manager'],
    ]);
    expect(plan.waveOf.get('alloy')).toBe(1);
  });

  test("each stack's order puts every step after all it depends on", () => {
    for (const stack of STACKS) {
      const { plan } = platformAddons(shippedEnv(stack).addons);
      for (const s of plan.steps.values()) {
        for (const dep of s.dependsOn)
          expect([stack, s.id, dep, (plan.waveOf.get(dep) as number) < (plan.waveOf.get(s.id) as number)]).toEqual([
            stack,
            s.id,
            dep,
            true,
          ]);
      }
    }
  });

  test('objects follow the step serving their CRD group and the steps creating what they refer to (derived, not declared)', () => {
    const plan = planAddons([
      {
        ...addon('cert-manager'),
        providesCrds: ['cert-manager.io'],
        companions: [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca' } }],
      },
      {
        ...addon('linkerd-control-plane'),
        prerequisites: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'linkerd' } },
          {
            apiVersion: 'cert-manager.io/v1',
            kind: 'Certificate',
            metadata: { name: 'issuer', namespace: 'linkerd' },
            spec: { secretName: 'issuer', issuerRef: { kind: 'ClusterIssuer', name: 'ca' } },
          },
        ],
      },
    ]);
    expect(plan.waves).toEqual([
      ['cert-manager'],
      ['cert-manager/resources'],
      ['linkerd-control-plane/prerequisites'],
      ['linkerd-control-plane'],
    ]);
    expect([...(plan.steps.get('linkerd-control-plane/prerequisites')?.dependsOn ?? [])].sort()).toEqual([
      'cert-manager',
      'cert-manager/resources',
    ]);
  });

  test('a cycle is an error naming the add-ons on it', () => {
    expect(errorOf(() => planAddons([addon('loki', ['alloy']), addon('alloy', ['loki'])]))).toBe(
      "Addon dependency cycle: 'alloy' -> 'loki' -> 'alloy'",
    );
  });

  test('depending on an add-on that is not enabled is an error naming both', () => {
    expect(errorOf(() => planAddons([addon('alloy', ['loki'])]))).toBe(
      "Addon 'alloy': depends on 'loki', which is not enabled; enable 'loki' or drop what needs it",
    );
  });

  test('a chart needing CRDs no enabled add-on provides is refused', () => {
    expect(errorOf(() => planAddons([{ ...addon('cert-manager'), requiresCrds: ['monitoring.coreos.com'] }]))).toBe(
      "Addon 'cert-manager': needs the monitoring.coreos.com CRDs, which no enabled add-on provides",
    );
    expect(errorOf(() => platformAddons({ certManager: { serviceMonitor: true }, monitoring: false }))).toContain(
      "Addon 'cert-manager': needs the monitoring.coreos.com CRDs, which no enabled add-on provides",
    );
  });

  test('an object of a kind no enabled add-on serves is refused, naming the object and the group', () => {
    const decl = {
      ...addon('envoy-gateway'),
      companions: [{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'gw', namespace: 'x' } }],
    };
    expect(errorOf(() => planAddons([decl]))).toBe(
      "Addon 'envoy-gateway': its Certificate 'gw' (cert-manager.io/v1) needs the cert-manager.io CRDs, which no enabled add-on provides",
    );
  });

  test('kinds of a shared group are served only by the add-on that lists them (Argo CD vs Argo Rollouts)', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'x' } };
    const plan = planAddons([
      { ...addon('argo-cd'), providesCrds: ['argoproj.io'], providesKinds: { 'argoproj.io': ['Application'] } },
      { ...addon('argo-rollouts'), providesCrds: ['argoproj.io'], providesKinds: { 'argoproj.io': ['Rollout'] } },
      { ...addon('loki'), companions: [rollout] },
    ]);
    expect([...(plan.steps.get('loki/resources')?.dependsOn ?? [])].sort()).toEqual(['argo-rollouts', 'loki']);
    expect(
      errorOf(() =>
        planAddons([
          { ...addon('argo-cd'), providesCrds: ['argoproj.io'], providesKinds: { 'argoproj.io': ['Application'] } },
          { ...addon('loki'), companions: [rollout] },
        ]),
      ),
    ).toContain("its Rollout 'r' (argoproj.io/v1alpha1) needs the argoproj.io CRDs");
  });

  test('an add-on declared twice is refused', () => {
    expect(errorOf(() => planAddons([addon('loki'), addon('loki')]))).toBe("Addon 'loki': declared twice");
  });
});

describe('add-on validation', () => {
  test('an unknown add-on option', () => {
    expect(errorOf(() => ingressNginx({ replica: 2 } as never))).toBe(
      "Addon 'ingress-nginx': replica (2) is not an option of ingress-nginx; allowed: namespace, version, values, className, default, replicas, size, hostPorts, serviceMonitor",
    );
  });

  test.each(['^4.14.0', '~4.14', '4.x', 'latest', '4.14'])('a version that is not an exact pin: %s', (version) => {
    expect(errorOf(() => ingressNginx({ version }))).toBe(
      `Addon 'ingress-nginx': version (${JSON.stringify(version)}) must be an exact version such as "1.19.1" (no ranges like "^1.2", wildcards or "latest")`,
    );
  });

  test('an issuer email that is not an email', () => {
    expect(
      errorOf(() => certManager({ letsEncrypt: { email: 'ops-at-example.com', solver: { type: 'http01' } } })),
    ).toBe(
      'Addon \'cert-manager\': letsEncrypt.email ("ops-at-example.com") must be an email address such as "platform@example.com"',
    );
  });

  test('a DNS provider without its credentials reference', () => {
    expect(
      errorOf(() =>
        externalDns({
          dns: { provider: 'route53', region: 'eu-west-1' } as never,
          domainFilters: ['example.com'],
          txtOwnerId: 'x',
        }),
      ),
    ).toBe("Addon 'external-dns': dns.roleArn (undefined) must reference the route53 credentials (roleArn)");
    expect(
      errorOf(() =>
        certManager({
          letsEncrypt: {
            email: 'a@example.com',
            solver: { type: 'dns01', dns: { provider: 'cloudflare', apiTokenSecret: { name: '', key: '' } } },
          },
        }),
      ),
    ).toBe(
      'Addon \'cert-manager\': letsEncrypt.solver.dns.apiTokenSecret ({"name":"","key":""}) must reference the cloudflare credentials (apiTokenSecret)',
    );
  });

  test('two ingress controllers both set as default', () => {
    expect(
      errorOf(() =>
        platformAddons({
          ingress: { envoyGateway: { default: true }, ingressNginx: { default: true } },
          certManager: {},
        }),
      ),
    ).toBe('PlatformAddons: ingress (envoy-gateway, ingress-nginx) must mark at most one controller as default');
  });

  test('an HTTP-01 solver through an IngressClass needs ingress-nginx', () => {
    expect(
      errorOf(() =>
        platformAddons({ certManager: { letsEncrypt: { email: 'a@example.com', solver: { type: 'http01' } } } }),
      ),
    ).toBe(
      "PlatformAddons: certManager.letsEncrypt.solver (http01 through IngressClass 'nginx') needs ingress-nginx; set solver.gateway to answer challenges through the Gateway",
    );
    const viaGateway = platformAddons({
      certManager: {
        letsEncrypt: {
          email: 'a@example.com',
          solver: { type: 'http01', gateway: { name: 'public', namespace: 'gateway-system' } },
        },
      },
    });
    expect(
      as(viaGateway.plan.steps.get('cert-manager/resources')?.objects[0], 'ClusterIssuer').spec.acme.solvers[0].http01
        .gatewayHTTPRoute.parentRefs[0].name,
    ).toBe('public');
  });

  test('resource sizes are validated like workload quantities', () => {
    expect(errorOf(() => kyverno({ size: { cpu: '100m', memory: '256m' } }))).toContain(
      'Addon \'kyverno\': size.memory ("256m") means 0.256 bytes',
    );
  });

  test('problems from several add-ons are reported together', () => {
    const message = errorOf(() =>
      platformAddons({
        certManager: { letsEncrypt: { email: 'bad', solver: { type: 'http01' } } },
        ingress: { ingressNginx: { version: 'latest' } },
      }),
    );
    expect(message.split('\n')).toHaveLength(2);
  });
});
