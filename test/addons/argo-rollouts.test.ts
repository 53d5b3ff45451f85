import { argoRollouts, canReach, type ManifestObject, platformAddons } from '../../constructs';
import { first } from '../helpers/kinds';
import { validated, validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

const V015_AMD64 = '24816da0e613836b3f180a2b50f6199431668c72d7f4adeef09284bffc6582a1';
const RELEASES = 'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download';
/** A well-formed digest for pairs the table does not know (any 64 lowercase hex characters). */
const ARM64_DIGEST = 'a'.repeat(64);

/** The controller Pods (argo-helm argo-rollouts-2.40.10 deployment selector; release name = add-on id). */
const controller = {
  namespace: 'argo-rollouts',
  labels: {
    'app.kubernetes.io/component': 'rollouts-controller',
    'app.kubernetes.io/name': 'argo-rollouts',
    'app.kubernetes.io/instance': 'argo-rollouts',
  },
};
const coreDns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const prometheusPod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

/** Every plugin list entry in the chart values the controller downloads. */
function pluginEntries(values: Readonly<Record<string, unknown>>): unknown[] {
  const c = (values.controller ?? {}) as Record<string, unknown>;
  return ['trafficRouterPlugins', 'metricProviderPlugins', 'stepPlugins'].flatMap((k) =>
    Array.isArray(c[k]) ? (c[k] as unknown[]) : [],
  );
}

describe('argo-rollouts: the gatewayAPI plugin is pinned by its sha256', () => {
  test('the default renders the v0.15.0 linux-amd64 entry with its known digest', () => {
    expect(v(argoRollouts(), 'controller.trafficRouterPlugins')).toEqual([
      {
        name: 'argoproj-labs/gatewayAPI',
        location: `${RELEASES}/v0.15.0/gatewayapi-plugin-linux-amd64`,
        sha256: V015_AMD64,
      },
    ]);
  });

  test('arm64 without a sha256 is refused: no digest is known for it', () => {
    expect(validationErrorOf(() => argoRollouts({ gatewayApiPlugin: { version: 'v0.15.0', arch: 'arm64' } }))).toBe(
      "Addon 'argo-rollouts': gatewayApiPlugin.sha256 (undefined) is required for v0.15.0 linux-arm64 (no digest is known for that pair): set it to the `sha256sum` of the release asset gatewayapi-plugin-linux-arm64 of v0.15.0",
    );
    // a version the table does not know needs it on amd64 too
    expect(
      validationErrorOf(() => argoRollouts({ gatewayApiPlugin: { version: 'v0.16.0', arch: 'amd64' } })),
    ).toContain('gatewayApiPlugin.sha256 (undefined) is required for v0.16.0 linux-amd64');
  });

  test.each([
    ['in upper case', V015_AMD64.toUpperCase()],
    ['of 63 characters', V015_AMD64.slice(1)],
    ['with a "sha256:" prefix', `sha256:${V015_AMD64}`],
    ['not hex', 'g'.repeat(64)],
  ])('a sha256 that is %s is refused', (_, sha256) => {
    expect(
      validationErrorOf(() => argoRollouts({ gatewayApiPlugin: { version: 'v0.15.0', arch: 'arm64', sha256 } })),
    ).toBe(
      `Addon 'argo-rollouts': gatewayApiPlugin.sha256 (${JSON.stringify(sha256)}) must be 64 lowercase hexadecimal characters (the \`sha256sum\` of the release asset; Argo Rollouts compares lowercase hex)`,
    );
  });

  test('a given sha256 is rendered (and overrides the known one)', () => {
    expect(
      v(
        argoRollouts({ gatewayApiPlugin: { version: 'v0.15.0', arch: 'arm64', sha256: ARM64_DIGEST } }),
        'controller.trafficRouterPlugins',
      ),
    ).toEqual([
      {
        name: 'argoproj-labs/gatewayAPI',
        location: `${RELEASES}/v0.15.0/gatewayapi-plugin-linux-arm64`,
        sha256: ARM64_DIGEST,
      },
    ]);
    const other = 'b'.repeat(64);
    expect(
      v(
        argoRollouts({ gatewayApiPlugin: { version: 'v0.15.0', arch: 'amd64', sha256: other } }),
        'controller.trafficRouterPlugins[0].sha256',
      ),
    ).toBe(other);
  });

  test('every plugin entry in the values carries a 64-hex sha256, in the add-on and in the platform profiles', () => {
    const declarations = [
      argoRollouts(),
      argoRollouts({ gatewayApiPlugin: { version: 'v0.15.0', arch: 'arm64', sha256: ARM64_DIGEST } }),
      argoRollouts({ gatewayApiPlugin: false }),
      ...platformAddons({ certManager: { selfSignedCa: true } }).declarations.filter((d) => d.id === 'argo-rollouts'),
    ];
    const entries = declarations.flatMap((d) => pluginEntries(d.values));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) expect((e as { sha256?: unknown }).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('plugins added through the raw values need a valid sha256 too', () => {
    const extra = { name: 'acme/metrics', location: 'https://example.com/plugin' };
    expect(validationErrorOf(() => argoRollouts({ values: { controller: { metricProviderPlugins: [extra] } } }))).toBe(
      "Addon 'argo-rollouts': values.controller.metricProviderPlugins[0].sha256 (undefined) must be 64 lowercase hexadecimal characters (the `sha256sum` of the release asset; Argo Rollouts compares lowercase hex)",
    );
    const pinned = argoRollouts({ values: { controller: { stepPlugins: [{ ...extra, sha256: ARM64_DIGEST }] } } });
    expect(v(pinned, 'controller.stepPlugins[0].sha256')).toBe(ARM64_DIGEST);
  });
});

describe('argo-rollouts: the controller NetworkPolicy', () => {
  const policyOf = (d: ReturnType<typeof argoRollouts>): ManifestObject[] => validated([...d.companions]);

  test('selects the controller Pods in the add-on namespace and admits only metrics and healthz', () => {
    const np = first(policyOf(argoRollouts()), 'NetworkPolicy');
    expect(np.metadata).toMatchObject({ name: 'argo-rollouts-controller', namespace: 'argo-rollouts' });
    expect(np.spec.podSelector.matchLabels).toEqual(controller.labels);
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const objects = policyOf(argoRollouts());
    const anyPod = { namespace: 'shop', labels: { app: 'x' } };
    expect(canReach(objects, anyPod, controller, 8090)).toBe(true);
    expect(canReach(objects, anyPod, controller, 8080)).toBe(true);
    expect(canReach(objects, anyPod, controller, 9443)).toBe(false);
    // a namespace override moves the policy with the chart
    expect(first(argoRollouts({ namespace: 'delivery' }).companions, 'NetworkPolicy').metadata.namespace).toBe(
      'delivery',
    );
  });

  test('denies egress to the cloud metadata endpoint, allows DNS, the API server and HTTPS, nothing else', () => {
    const objects = policyOf(argoRollouts());
    expect(canReach(objects, controller, { ip: '169.254.169.254' }, 443)).toBe(false);
    expect(canReach(objects, controller, { ip: '169.254.169.254' }, 80)).toBe(false);
    expect(canReach(objects, controller, coreDns, 53, 'UDP')).toBe(true);
    expect(canReach(objects, controller, coreDns, 53, 'TCP')).toBe(true);
    expect(canReach(objects, controller, { ip: '10.96.0.1' }, 443)).toBe(true);
    expect(canReach(objects, controller, { ip: '172.18.0.2' }, 6443)).toBe(true);
    expect(canReach(objects, controller, { ip: '140.82.121.4' }, 443)).toBe(true);
    expect(canReach(objects, controller, { ip: '140.82.121.4' }, 80)).toBe(false);
    expect(canReach(objects, controller, prometheusPod, 9090)).toBe(false);
  });

  test('allows Prometheus on 9090 only when it is given, and only to its Pods', () => {
    const objects = policyOf(
      argoRollouts({ prometheus: { namespace: 'monitoring', podLabels: prometheusPod.labels } }),
    );
    expect(canReach(objects, controller, prometheusPod, 9090)).toBe(true);
    expect(
      canReach(objects, controller, { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } }, 9090),
    ).toBe(false);
    expect(canReach(objects, controller, { namespace: 'shop', labels: prometheusPod.labels }, 9090)).toBe(false);
    expect(canReach(objects, controller, prometheusPod, 9091)).toBe(false);
    // a namespace alone admits its Pods; the port can be set
    const nsOnly = policyOf(argoRollouts({ prometheus: { namespace: 'monitoring', port: 9091 } }));
    expect(canReach(nsOnly, controller, prometheusPod, 9091)).toBe(true);
    expect(canReach(nsOnly, controller, prometheusPod, 9090)).toBe(false);
  });

  test('an invalid Prometheus peer is refused', () => {
    expect(
      validationErrorOf(() =>
        argoRollouts({ prometheus: { namespace: 'Monitoring', port: 70000, podLabels: { app: '-x' } } }),
      ).split('\n'),
    ).toEqual([
      'Addon \'argo-rollouts\': prometheus.namespace ("Monitoring") must be a DNS-1123 label: 1-63 lowercase alphanumerics or "-", starting and ending with an alphanumeric',
      'Addon \'argo-rollouts\': prometheus.podLabels.app ("-x") must be a label value: at most 63 alphanumerics, "-", "_" or "." starting and ending alphanumeric',
      "Addon 'argo-rollouts': prometheus.port (70000) must be an integer between 1 and 65535",
    ]);
  });

  test('raw values that would move the controller off the policy are refused', () => {
    expect(
      validationErrorOf(() =>
        argoRollouts({
          values: { nameOverride: 'rollouts', controller: { component: 'ctl', containerPorts: { metrics: 9000 } } },
        }),
      ).split('\n'),
    ).toEqual(
      [
        'values.nameOverride ("rollouts")',
        'values.controller.component ("ctl")',
        'values.controller.containerPorts ({"metrics":9000})',
      ].map(
        (f) =>
          `Addon 'argo-rollouts': ${f} is fixed: the controller NetworkPolicy selects the chart's default labels and ports (argo-helm argo-rollouts-2.40.10 values.yaml)`,
      ),
    );
  });
});

test('the controller gets RBAC for the Gateway API provider only (Helm merges maps: the chart enables every provider by default)', () => {
  const providers = v(argoRollouts(), 'providerRBAC.providers') as Record<string, boolean>;
  expect(Object.entries(providers).filter(([, on]) => on)).toEqual([['gatewayAPI', true]]);
  // every provider argo-helm argo-rollouts-2.40.10 values.yaml lists is named, so none stays at its default true
  expect(Object.keys(providers).sort()).toEqual(
    [
      'ambassador',
      'apisix',
      'awsAppMesh',
      'awsLoadBalancerController',
      'contour',
      'gatewayAPI',
      'glooPlatform',
      'istio',
      'smi',
      'traefik',
    ].sort(),
  );
});
