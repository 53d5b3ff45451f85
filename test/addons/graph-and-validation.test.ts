import {
  AddonDeclaration, certManager, declareAddon, externalDns, GroundworkValidationError, ingressNginx, kyverno, platformAddons, planAddons,
} from '../../constructs';
import { environments } from '../../environments';

/** A minimal declaration with the given dependencies (for graph tests). */
function addon(id: AddonDeclaration['id'], dependsOn: AddonDeclaration['id'][] = []): AddonDeclaration {
  return declareAddon({ id, props: {}, defaultNamespace: 'x', values: {}, dependsOn, components: {} });
}
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GroundworkValidationError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('dependency graph', () => {
  test('waves put every add-on after what it depends on', () => {
    const plan = planAddons([addon('alloy', ['loki']), addon('loki'), addon('cert-manager', ['kube-prometheus-stack']), addon('kube-prometheus-stack')]);
    expect(plan.waves).toEqual([['kube-prometheus-stack', 'loki'], ['alloy', 'cert-manager']]);
    expect(plan.waveOf.get('alloy')).toBe(1);
  });

  test('each environment\'s order respects every dependency', () => {
    for (const env of Object.values(environments)) {
      const { plan } = platformAddons(env.addons);
      for (const d of plan.addons.values()) {
        for (const dep of d.dependsOn) expect([env.name, d.id, (plan.waveOf.get(dep) as number) < (plan.waveOf.get(d.id) as number)]).toEqual([env.name, d.id, true]);
      }
    }
  });

  test('companions follow their chart and the charts they need; dependsOnResourcesOf waits for companions', () => {
    const plan = planAddons([
      { ...addon('cert-manager'), companions: [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca' } }] },
      { ...addon('linkerd-crds'), companions: [{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'issuer', namespace: 'linkerd' } }], companionsDependOn: ['cert-manager'] },
      { ...addon('linkerd-control-plane', ['linkerd-crds', 'cert-manager']), dependsOnResourcesOf: ['linkerd-crds'] },
    ]);
    expect(plan.waves).toEqual([
      ['cert-manager', 'linkerd-crds'],
      ['cert-manager/resources', 'linkerd-crds/resources'],
      ['linkerd-control-plane'],
    ]);
    expect(plan.steps.get('linkerd-crds/resources')?.dependsOn).toEqual(['linkerd-crds', 'cert-manager']);
  });

  test('a cycle is an error naming the add-ons on it', () => {
    expect(errorOf(() => planAddons([addon('loki', ['alloy']), addon('alloy', ['loki'])]))).toBe("Addon dependency cycle: 'alloy' -> 'loki' -> 'alloy'");
  });

  test('depending on an add-on that is not enabled is an error naming both', () => {
    expect(errorOf(() => planAddons([addon('alloy', ['loki'])]))).toBe("Addon 'alloy': depends on 'loki', which is not enabled; enable 'loki' or drop what needs it");
    expect(errorOf(() => platformAddons({ certManager: { serviceMonitor: true }, monitoring: false })))
      .toContain("Addon 'cert-manager': depends on 'kube-prometheus-stack', which is not enabled");
  });

  test('companions that need a disabled add-on are refused', () => {
    const decl = { ...addon('envoy-gateway'), companionsDependOn: ['cert-manager' as const] };
    expect(errorOf(() => planAddons([decl]))).toBe("Addon 'envoy-gateway': its custom resources need 'cert-manager', which is not enabled");
  });

  test('an add-on declared twice is refused', () => {
    expect(errorOf(() => planAddons([addon('loki'), addon('loki')]))).toBe("Addon 'loki': declared twice");
  });
});

describe('add-on validation', () => {
  test('an unknown add-on option', () => {
    expect(errorOf(() => ingressNginx({ replica: 2 } as never)))
      .toBe("Addon 'ingress-nginx': replica (2) is not an option of ingress-nginx; allowed: namespace, version, values, className, default, replicas, size, hostPorts, serviceMonitor");
  });

  test.each(['^4.14.0', '~4.14', '4.x', 'latest', '4.14'])('a version that is not an exact pin: %s', (version) => {
    expect(errorOf(() => ingressNginx({ version }))).toBe(`Addon 'ingress-nginx': version (${JSON.stringify(version)}) must be an exact version such as "1.19.1" (no ranges like "^1.2", wildcards or "latest")`);
  });

  test('an issuer email that is not an email', () => {
    expect(errorOf(() => certManager({ letsEncrypt: { email: 'ops-at-example.com', solver: { type: 'http01' } } })))
      .toBe('Addon \'cert-manager\': letsEncrypt.email ("ops-at-example.com") must be an email address such as "platform@example.com"');
  });

  test('a DNS provider without its credentials reference', () => {
    expect(errorOf(() => externalDns({ dns: { provider: 'route53', region: 'eu-west-1' } as never, domainFilters: ['example.com'], txtOwnerId: 'x' })))
      .toBe("Addon 'external-dns': dns.roleArn (undefined) must reference the route53 credentials (roleArn)");
    expect(errorOf(() => certManager({ letsEncrypt: { email: 'a@example.com', solver: { type: 'dns01', dns: { provider: 'cloudflare', apiTokenSecret: { name: '', key: '' } } } } })))
      .toBe('Addon \'cert-manager\': letsEncrypt.solver.dns.apiTokenSecret ({"name":"","key":""}) must reference the cloudflare credentials (apiTokenSecret)');
  });

  test('two ingress controllers both set as default', () => {
    expect(errorOf(() => platformAddons({ ingress: { envoyGateway: { default: true }, ingressNginx: { default: true } }, certManager: {} })))
      .toBe('PlatformAddons: ingress (envoy-gateway, ingress-nginx) must mark at most one controller as default');
  });

  test('an HTTP-01 solver through an IngressClass needs ingress-nginx', () => {
    expect(errorOf(() => platformAddons({ certManager: { letsEncrypt: { email: 'a@example.com', solver: { type: 'http01' } } } })))
      .toBe("PlatformAddons: certManager.letsEncrypt.solver (http01 through IngressClass 'nginx') needs ingress-nginx; set solver.gateway to answer challenges through the Gateway");
    const viaGateway = platformAddons({ certManager: { letsEncrypt: { email: 'a@example.com', solver: { type: 'http01', gateway: { name: 'public', namespace: 'gateway-system' } } } } });
    expect((viaGateway.plan.steps.get('cert-manager/resources')?.objects[0] as any).spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0].name).toBe('public');
  });

  test('resource sizes are validated like workload quantities', () => {
    expect(errorOf(() => kyverno({ size: { cpu: '100m', memory: '256m' } }))).toContain("Addon 'kyverno': admission.memory (\"256m\") means 0.256 bytes");
  });

  test('problems from several add-ons are reported together', () => {
    const message = errorOf(() => platformAddons({ certManager: { letsEncrypt: { email: 'bad', solver: { type: 'http01' } } }, ingress: { ingressNginx: { version: 'latest' } } }));
    expect(message.split('\n')).toHaveLength(2);
  });
});
