import { platformAddons, WebService, type WebServiceProps } from '../../constructs';
import { all, errorOf, one, synth, validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

const route = {
  gateway: { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } },
  hostnames: ['api.acme.io'],
};
const base: WebServiceProps = {
  image: 'ghcr.io/acme/api:1.4.2',
  port: 8080,
  route,
  autoscaling: { minReplicas: 2, maxReplicas: 6 },
};

describe('progressive delivery', () => {
  test('canary: a Rollout instead of a Deployment, stable and canary Services, weights on the HTTPRoute, HPA on the Rollout', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          delivery: { strategy: 'canary', steps: [{ weight: 20, pauseSeconds: 60 }, { weight: 60 }] },
        }),
    );
    expect(all(objs, 'Deployment')).toEqual([]);
    const rollout = one(objs, 'Rollout');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.replicas).toBeUndefined();
    expect(rollout.spec.strategy.canary).toEqual({
      stableService: 'api',
      canaryService: 'api-canary',
      trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'apps' } } },
      steps: [{ setWeight: 20 }, { pause: { duration: '60s' } }, { setWeight: 60 }, { pause: {} }],
    });
    // the hardened Pod template is the same as a Deployment's
    expect(rollout.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(all(objs, 'Service').map((s) => s.metadata.name)).toEqual(['api', 'api-canary']);
    expect(one(objs, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'api', port: 80, weight: 100 },
      { group: '', kind: 'Service', name: 'api-canary', port: 80, weight: 0 },
    ]);
    expect(one(objs, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'api',
    });
    expect(one(objs, 'PodDisruptionBudget').spec.selector).toEqual(rollout.spec.selector);
    // Flux creates the route once and leaves its weights to the plugin (a Kustomization cannot ignore fields)
    expect(one(objs, 'HTTPRoute').metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
    expect(
      one(
        synth((c) => new WebService(c, 'web', base)),
        'HTTPRoute',
      ).metadata.annotations,
    ).toBeUndefined();
  });

  test('canary analysis: an AnalysisTemplate querying Prometheus, run from the first step', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          delivery: {
            strategy: 'canary',
            analysis: {
              prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
              query: 'sum(rate(ok[2m])) / sum(rate(all[2m]))',
              minSuccessRate: 0.995,
            },
          },
        }),
    );
    const t = one(objs, 'AnalysisTemplate');
    expect(t.metadata.name).toBe('api-success-rate');
    expect(t.spec.metrics).toEqual([
      {
        name: 'success-rate',
        interval: '60s',
        failureLimit: 2,
        successCondition: 'len(result) == 0 || result[0] >= 0.995',
        provider: {
          prometheus: {
            address: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
            query: 'sum(rate(ok[2m])) / sum(rate(all[2m]))',
          },
        },
      },
    ]);
    expect(one(objs, 'Rollout').spec.strategy.canary.analysis).toEqual({
      templates: [{ templateName: 'api-success-rate' }],
      startingStep: 1,
    });
  });

  test('blue-green through Argo Rollouts: active and preview Services, manual promotion by default', () => {
    const objs = synth(
      (c) => new WebService(c, 'api', { ...base, delivery: { strategy: 'blue-green', controller: 'argo-rollouts' } }),
    );
    expect(one(objs, 'Rollout').spec.strategy).toEqual({
      blueGreen: { activeService: 'api', previewService: 'api-preview', autoPromotionEnabled: false },
    });
    expect(all(objs, 'Service').map((s) => s.metadata.name)).toEqual(['api', 'api-preview']);
    expect(one(objs, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'api', port: 80 },
    ]);
  });

  test('blue-green without Argo Rollouts: two Deployments, the Service selects the active colour, the preview the other', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          delivery: {
            strategy: 'blue-green',
            controller: 'deployments',
            active: 'green',
            previewImage: 'ghcr.io/acme/api:1.5.0',
          },
        }),
    );
    const deployments = all(objs, 'Deployment');
    expect(
      deployments.map((d) => [
        d.metadata.name,
        d.spec.selector.matchLabels['groundwork.io/colour'],
        d.spec.template.spec.containers[0].image,
      ]),
    ).toEqual([
      ['api-blue', 'blue', 'ghcr.io/acme/api:1.5.0'],
      ['api-green', 'green', 'ghcr.io/acme/api:1.4.2'],
    ]);
    const [live, preview] = all(objs, 'Service');
    expect([live.metadata.name, live.spec.selector['groundwork.io/colour']]).toEqual(['api', 'green']);
    expect([preview.metadata.name, preview.spec.selector['groundwork.io/colour']]).toEqual(['api-preview', 'blue']);
    expect(all(objs, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).toEqual([
      'api-blue',
      'api-green',
    ]);
    // one PDB and one NetworkPolicy cover both colours
    expect(one(objs, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
  });

  test.each([
    [
      { strategy: 'canary', steps: [{ weight: 50 }, { weight: 30 }] },
      "delivery.steps[1].weight (30) must be greater than the previous step's (50): traffic only grows during a canary",
    ],
    [{ strategy: 'canary', steps: [{ weight: 150 }] }, 'delivery.steps[0].weight (150) must be'],
    [{ strategy: 'canary', steps: [] }, 'delivery.steps ([]) must list at least one step'],
    [
      { strategy: 'canary', analysis: { prometheusUrl: 'prometheus:9090', query: 'x' } },
      'delivery.analysis.prometheusUrl ("prometheus:9090") must be an http(s) URL',
    ],
    [
      { strategy: 'blue-green', controller: 'deployments', previewImage: 'ghcr.io/acme/api' },
      'delivery.previewImage ("ghcr.io/acme/api") must be pinned',
    ],
    [
      { strategy: 'blue-green', controller: 'argo-rollouts', active: 'green' },
      'delivery ("argo-rollouts") active and previewImage apply to controller "deployments"',
    ],
    [{ strategy: 'bluegreen' }, 'delivery.strategy ("bluegreen") must be "rolling", "canary" or "blue-green"'],
  ])('bad delivery is refused: %j', (delivery, message) => {
    expect(errorOf((c) => new WebService(c, 'api', { ...base, delivery: delivery as never }))).toContain(
      `WebService 'test/api': ${message}`,
    );
  });

  test('a canary needs a route: its traffic share is set on the HTTPRoute', () => {
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, delivery: { strategy: 'canary' } }),
      ),
    ).toBe(
      "WebService 'test/api': delivery (\"canary\") needs route: the canary's traffic share is set on the HTTPRoute (Argo Rollouts gatewayAPI plugin)",
    );
  });

  test('a Rollout without the Argo Rollouts add-on, or a Gateway canary without its plugin, is refused by the contract', () => {
    const without = platformAddons({ certManager: { selfSignedCa: true }, rollouts: false }).contract;
    expect(validationErrorOf(() => without.progressiveDeliveryFor("DemoApps 'apps/shop'", true))).toBe(
      "DemoApps 'apps/shop': a Rollout needs Argo Rollouts, which is not enabled; enable rollouts in the add-on profile or use a Deployment",
    );
    const noPlugin = platformAddons({
      certManager: { selfSignedCa: true },
      rollouts: { gatewayApiPlugin: false },
    }).contract;
    expect(validationErrorOf(() => noPlugin.progressiveDeliveryFor('x', true))).toBe(
      "x: canary traffic through the Gateway needs Argo Rollouts' gatewayAPI traffic-router plugin, which is off (rollouts.gatewayApiPlugin)",
    );
    expect(noPlugin.progressiveDeliveryFor('x', false)).toEqual({ gatewayApiTrafficRouting: false });
  });

  test('Argo Rollouts is configured with the pinned gatewayAPI plugin and its sha256 (argo-helm argo-rollouts 2.40.10 controller.trafficRouterPlugins)', () => {
    const sha256 = 'a'.repeat(64);
    const d = platformAddons({
      certManager: { selfSignedCa: true },
      rollouts: { gatewayApiPlugin: { version: 'v0.15.0', arch: 'arm64', sha256 } },
    }).plan.addons.get('argo-rollouts');
    expect(v(d, 'controller.trafficRouterPlugins')).toEqual([
      {
        name: 'argoproj-labs/gatewayAPI',
        location:
          'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-arm64',
        sha256,
      },
    ]);
    expect(v(d, 'providerRBAC.enabled')).toBe(true);
    expect(v(d, 'providerRBAC.providers.gatewayAPI')).toBe(true);
  });
});
