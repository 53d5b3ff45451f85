import { CATALOG, platformAddons } from '../../constructs';
import { shippedEnv } from '../helpers/stacks';
import { installMocks, recordDependsOn, settle, value } from '../helpers/pulumi-mocks';

const created = installMocks('staging');
/** dependsOn of every resource, captured through a transformation on the component. */
const dependsOn = new Map<string, string[]>();

describe('Pulumi add-on rendering (mocked engine)', () => {
  test('a helm.v3.Release per add-on with dependsOn from the graph; companions depend on their releases', async () => {
    const k8s = await import('@pulumi/kubernetes');
    const { AddonsStack } = await import('../../constructs/pulumi');
    const addons = platformAddons(shippedEnv('staging').addons);
    const provider = new k8s.Provider('p', { context: 'test' });
    const stack = new AddonsStack('addons', { addons, provider }, { transformations: [recordDependsOn(dependsOn)] });
    await settle([...stack.companions.values()]);
    await Promise.all([...stack.releases.values()].map((r) => value(r.urn)));

    const releases = created.filter((c) => c.type === 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => r.inputs.name).sort()).toEqual([...addons.plan.addons.keys()].sort());
    const cm = releases.find((r) => r.inputs.name === 'cert-manager');
    expect(cm?.inputs).toMatchObject({
      chart: 'cert-manager',
      version: CATALOG['cert-manager'].version,
      namespace: 'cert-manager',
      createNamespace: true,
      repositoryOpts: { repo: 'https://charts.jetstack.io' },
    });
    expect(cm?.inputs.values.crds).toEqual({ enabled: true, keep: true });
    const eg = releases.find((r) => r.inputs.name === 'envoy-gateway');
    expect(eg?.inputs.chart).toBe('oci://docker.io/envoyproxy/gateway-helm');
    expect(eg?.inputs.repositoryOpts).toBeUndefined();

    // derived from the CRD groups each chart requires (cert-manager: ServiceMonitors and Gateway API)
    expect(dependsOn.get('addons-cert-manager')?.sort()).toEqual([
      'addons-cert-manager-prerequisites',
      'addons-envoy-gateway',
      'addons-kube-prometheus-stack',
    ]);
    expect(dependsOn.get('addons-istiod')?.sort()).toEqual([
      'addons-istio-base',
      'addons-istio-base-prerequisites',
      'addons-istio-cni',
    ]);
    expect(dependsOn.get('addons-alloy')?.sort()).toEqual(['addons-loki', 'addons-loki-prerequisites']);
    expect(dependsOn.get('addons-cert-manager-resources')?.sort()).toEqual([
      'addons-cert-manager',
      'addons-cert-manager-prerequisites',
    ]);
    // the Gateway's certificate annotation names a ClusterIssuer: it waits for the issuers
    expect(dependsOn.get('addons-envoy-gateway-resources')?.sort()).toEqual([
      'addons-cert-manager-resources',
      'addons-envoy-gateway',
    ]);
    expect(dependsOn.get('addons-kyverno-resources')).toEqual(['addons-kyverno']);
    // Grafana's admin Secret (an ExternalSecret) exists before the chart, which waits for it
    expect(dependsOn.get('addons-kube-prometheus-stack-prerequisites')?.sort()).toEqual([
      'addons-external-secrets',
      'addons-external-secrets-resources',
    ]);
    expect(dependsOn.get('addons-kube-prometheus-stack')).toEqual(['addons-kube-prometheus-stack-prerequisites']);

    const issuers = created
      .filter((c) => c.type === 'kubernetes:cert-manager.io/v1:ClusterIssuer')
      .map((c) => c.inputs.metadata.name)
      .sort();
    expect(issuers).toEqual(['letsencrypt-prod', 'letsencrypt-staging']);
    expect(created.filter((c) => c.type === 'kubernetes:velero.io/v1:Schedule')).toHaveLength(1);
  });
  test('the selectable alternatives render too: Flux, Linkerd, Gatekeeper (templates before constraints), Telepresence, ingress-nginx', async () => {
    const k8s = await import('@pulumi/kubernetes');
    const { AddonsStack } = await import('../../constructs/pulumi');
    const addons = platformAddons({
      ingress: { ingressNginx: { default: true } },
      certManager: { selfSignedCa: true },
      gitops: { engine: 'flux' },
      mesh: {
        engine: 'linkerd',
        linkerd: { trustAnchorsPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
      },
      policy: { engine: 'gatekeeper' },
      telepresence: {},
    });
    const provider = new k8s.Provider('p2', { context: 'test' });
    const stack = new AddonsStack('alt', { addons, provider }, { transformations: [recordDependsOn(dependsOn)] });
    await settle([...stack.companions.values()]);
    await Promise.all([...stack.releases.values()].map((r) => value(r.urn)));
    for (const id of ['flux', 'linkerd-crds', 'linkerd-control-plane', 'gatekeeper', 'telepresence', 'ingress-nginx']) {
      expect(created.some((c) => c.type === 'kubernetes:helm.sh/v3:Release' && c.name === `alt-${id}`)).toBe(true);
    }
    // the control plane waits for its prerequisites (trust roots, issuer certificate) and the CRDs it watches
    expect(dependsOn.get('alt-linkerd-control-plane')?.sort()).toEqual([
      'alt-linkerd-control-plane-prerequisites',
      'alt-linkerd-crds',
      'alt-linkerd-crds-prerequisites',
    ]);
    expect(dependsOn.get('alt-linkerd-control-plane-prerequisites')?.sort()).toEqual([
      'alt-cert-manager',
      'alt-linkerd-crds-prerequisites',
    ]);
    expect(dependsOn.get('alt-gatekeeper-definitions')).toEqual(['alt-gatekeeper']);
    expect(dependsOn.get('alt-gatekeeper-resources')).toEqual(['alt-gatekeeper', 'alt-gatekeeper-definitions']);
    expect(created.filter((c) => c.type === 'kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate')).toHaveLength(
      4,
    );
    const tp = created.find((c) => c.name === 'alt-telepresence');
    expect(tp?.inputs.chart).toBe('oci://ghcr.io/telepresenceio/telepresence-oss');
  });
});
