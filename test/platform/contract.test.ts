import { type EnvironmentDefinition, type PlatformAddonsProps, renderEnvironment } from '../../constructs';
import { kind } from '../../environments';
import { demoApps } from '../../apps/demo';
import { loadStack } from '../../stacks/stack-config';
import { all, validated, validationErrorOf as errorOf } from '../helpers/synth';
import { rendered, STACKS } from '../helpers/stacks';
import { first, named, ofKind } from '../helpers/kinds';

/** The kind definition with some add-ons changed. */
function kindWith(patch: Partial<PlatformAddonsProps>): EnvironmentDefinition {
  return {
    ...kind,
    build: (c, s) => {
      const e = kind.build(c, s);
      return { ...e, addons: { ...e.addons, ...patch } };
    },
  };
}
const { config } = loadStack('kind');
const render = (def: EnvironmentDefinition) => renderEnvironment(def, config, { stack: 'kind', apps: demoApps });

describe('platform contract', () => {
  test('the contract is derived from the enabled add-ons: gateway and its proxies, issuers, store, storage, metrics, CRD groups', () => {
    const { contract } = rendered('kind');
    expect(contract.gateways.map((g) => [g.by, g.value.namespace, g.value.name, g.value.proxies.namespace])).toEqual([
      ['envoy-gateway', 'gateway-system', 'public', 'envoy-gateway-system'],
    ]);
    expect(contract.clusterIssuers.map((i) => i.value)).toEqual(['selfsigned-bootstrap', 'selfsigned-ca']);
    expect(contract.secretStores).toEqual([{ value: 'platform-secrets', by: 'external-secrets' }]);
    expect(contract.storageClasses).toEqual([{ value: { name: 'standard', default: true }, by: 'cluster' }]);
    expect(contract.metricsApi).toBe('metrics-server');
    expect(contract.providersOf('monitoring.coreos.com')).toEqual(['kube-prometheus-stack']);
    expect(contract.ingressClasses).toEqual([]);
    // EKS: storage comes from the EBS CSI add-on, not restated
    expect(rendered('prod').contract.storageClasses).toEqual([
      { value: { name: 'gp3', default: true }, by: 'aws-ebs-csi-driver' },
    ]);
    expect(rendered('prod').contract.mesh).toEqual({
      value: { engine: 'istio', namespace: 'istio-system', cni: true },
      by: 'istiod',
    });
  });

  test.each(STACKS)(
    '%s: every Ingress class, HTTPRoute parent, issuer, secret store, storage class and gateway peer is provided',
    (stack) => {
      const r = rendered(stack);
      const c = r.contract;
      const objs = validated([...r.objects]);
      for (const route of all(objs, 'HTTPRoute')) {
        for (const p of route.spec.parentRefs)
          expect(c.gateways.some((g) => g.value.name === p.name && g.value.namespace === p.namespace)).toBe(true);
      }
      for (const ing of all(objs, 'Ingress')) {
        expect(c.ingressClasses.map((x) => x.value.name)).toContain(ing.spec.ingressClassName);
        expect(c.clusterIssuers.map((x) => x.value)).toContain(
          ing.metadata.annotations['cert-manager.io/cluster-issuer'],
        );
      }
      // the shop tenant's own store (on the platform's backend) or the platform's
      const stores = [
        ...c.secretStores.map((x) => x.value),
        ...all(objs, 'ClusterSecretStore').map((s) => s.metadata.name),
      ];
      for (const es of all(objs, 'ExternalSecret')) expect(stores).toContain(es.spec.secretStoreRef.name);
      for (const sts of all(objs, 'StatefulSet')) {
        for (const t of sts.spec.volumeClaimTemplates)
          expect(c.storageClasses.map((x) => x.value.name)).toContain(t.spec.storageClassName);
      }
      // gateway traffic: each exposed app's NetworkPolicy admits exactly where the Gateway's proxies run
      const gw = c.gateways[0].value;
      for (const route of all(objs, 'HTTPRoute')) {
        const np = named(ofKind(objs, 'NetworkPolicy'), route.metadata.name);
        expect(np.spec.ingress[0].from[0]).toEqual({
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gw.proxies.namespace } },
          podSelector: { matchLabels: gw.proxies.podLabels },
        });
      }
    },
  );

  test('disabling External Secrets, which the apps read from, is a construction error naming both sides', () => {
    expect(errorOf(() => render(kindWith({ externalSecrets: false }))).split('\n')).toEqual([
      'Tenant \'apps/shop/ShopTenant\': secretStore ("default") needs a secret store in the platform (enable externalSecrets) or secretStore: false',
    ]);
  });

  test('disabling the Gateway with no IngressClass left: no entry point for the storefront', () => {
    expect(errorOf(() => render(kindWith({ ingress: { envoyGateway: false } })))).toBe(
      "DemoApps 'apps/shop': needs a default entry point (a Gateway or IngressClass marked default), which no enabled add-on provides; no gateways are provided, no ingress classes are provided",
    );
  });

  test('with ingress-nginx selected instead, the storefront goes through its IngressClass and controller namespace', () => {
    const r = render(kindWith({ ingress: { envoyGateway: false, ingressNginx: { default: true, replicas: 1 } } }));
    const ing = first(r.objects, 'Ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'selfsigned-ca' });
    const np = named(ofKind(r.objects, 'NetworkPolicy'), 'storefront');
    expect(np.spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      },
    });
    expect(r.addons.warnings.some((w) => w.includes('retired upstream'))).toBe(true);
    expect([r.checks.platform, r.checks.hardening]).toEqual([[], []]);
  });

  test('disabling metrics-server while the apps autoscale is a construction error', () => {
    expect(errorOf(() => render(kindWith({ metricsServer: false })))).toBe(
      "DemoApps 'apps/shop': autoscaling needs the resource metrics API (metrics.k8s.io), which no enabled add-on serves; enable metricsServer",
    );
  });

  test('a cluster without a default StorageClass (and no storage add-on) fails the stateful app', () => {
    expect(errorOf(() => render(kindWith({ cluster: { systemNamespaces: ['kube-system'] } })))).toBe(
      "DemoApps 'apps/shop': needs a default StorageClass, which neither the cluster nor an enabled add-on provides (no storage classes are provided)",
    );
  });

  test('an issuer the apps ask for must be created by an enabled add-on', () => {
    const def: EnvironmentDefinition = {
      ...kind,
      build: (c, s) => {
        const e = kind.build(c, s);
        return {
          ...e,
          tlsIssuer: 'letsencrypt-prod',
          addons: { ...e.addons, ingress: { envoyGateway: false, ingressNginx: { default: true } } },
        };
      },
    };
    expect(errorOf(() => render(def))).toBe(
      "DemoApps 'apps/shop': needs ClusterIssuer 'letsencrypt-prod', which no enabled add-on creates (provided cluster issuers: selfsigned-bootstrap, selfsigned-ca)",
    );
  });
});
