import { WebService, type WebServiceProps } from '../../constructs';
import { all, errorOf, one, synth } from '../helpers/synth';

const base: WebServiceProps = { image: 'ghcr.io/acme/api:1.4.2', port: 8080 };

describe('WebService verticalScaling (VerticalPodAutoscaler)', () => {
  test('default: recommendations only, for the main container, cpu and memory', () => {
    // GIVEN / WHEN
    const objects = synth((c) => new WebService(c, 'api', { ...base, verticalScaling: {} }));
    // THEN
    const vpa = one(objects, 'VerticalPodAutoscaler');
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.metadata).toMatchObject({ name: 'api', namespace: 'apps' });
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Off' },
      resourcePolicy: { containerPolicies: [{ containerName: 'api', controlledResources: ['cpu', 'memory'] }] },
    });
  });

  test('bounds and an acting mode on the resource the HPA does not scale on', () => {
    const objects = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 },
          verticalScaling: {
            updateMode: 'InPlaceOrRecreate',
            controlledResources: ['memory'],
            minAllowed: { memory: '64Mi' },
            maxAllowed: { memory: '1Gi' },
          },
        }),
    );
    expect(one(objects, 'VerticalPodAutoscaler').spec).toMatchObject({
      updatePolicy: { updateMode: 'InPlaceOrRecreate' },
      resourcePolicy: {
        containerPolicies: [
          {
            containerName: 'api',
            controlledResources: ['memory'],
            minAllowed: { memory: '64Mi' },
            maxAllowed: { memory: '1Gi' },
          },
        ],
      },
    });
    expect(one(objects, 'HorizontalPodAutoscaler').spec.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
  });

  test('follows the workload: the Rollout of a canary, each colour of blue-green Deployments', () => {
    const canary = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          route: { gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['api.acme.io'] },
          delivery: { strategy: 'canary' },
          verticalScaling: {},
        }),
    );
    expect(one(canary, 'VerticalPodAutoscaler').spec.targetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'api',
    });
    const blueGreen = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          delivery: { strategy: 'blue-green', controller: 'deployments' },
          verticalScaling: {},
        }),
    );
    expect(all(blueGreen, 'VerticalPodAutoscaler').map((o) => o.spec.targetRef.name)).toEqual([
      'api-blue',
      'api-green',
    ]);
  });

  test.each([
    [
      { updateMode: 'Auto' },
      "verticalScaling.updateMode (\"Auto\") must be one of 'Off', 'Initial', 'Recreate', 'InPlaceOrRecreate' ('Auto' is deprecated upstream: use 'Recreate')",
    ],
    [{ controlledResources: [] }, "verticalScaling.controlledResources ([]) must name 'cpu', 'memory' or both"],
    [
      { controlledResources: ['cpu', 'disk'] },
      "verticalScaling.controlledResources[1] (\"disk\") must be 'cpu' or 'memory'",
    ],
    [{ minAllowed: { cpu: 'lots' } }, 'verticalScaling.minAllowed.cpu ("lots") must be'],
    [{ maxAllowed: { memory: '1GB' } }, 'verticalScaling.maxAllowed.memory ("1GB") must be'],
  ])('refused: %j', (verticalScaling, message) => {
    expect(errorOf((c) => new WebService(c, 'api', { ...base, verticalScaling: verticalScaling as never }))).toContain(
      `WebService 'test/api': ${message}`,
    );
  });

  test.each([
    // the HPA scales on CPU by default (70%), so an acting VPA on cpu fights it
    [{}, { updateMode: 'Recreate' }, 'cpu'],
    [{ memoryUtilization: 80 }, { updateMode: 'Initial', controlledResources: ['memory'] }, 'memory'],
    [{ cpuUtilization: 60, memoryUtilization: 80 }, { updateMode: 'InPlaceOrRecreate' }, 'cpu and memory'],
  ])('refused: an HPA (%j) and an acting VPA (%j) on the same resource', (hpa, verticalScaling, resources) => {
    const text = errorOf(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          autoscaling: { minReplicas: 2, maxReplicas: 4, ...hpa },
          verticalScaling: verticalScaling as never,
        }),
    );
    expect(text).toContain(
      `WebService 'test/api': verticalScaling.updateMode ("${verticalScaling.updateMode}") must be 'Off' while autoscaling scales on ${resources} (an HPA and an acting VPA on the same resource undo each other)`,
    );
  });

  test("'Off' next to an HPA on the same resource is allowed: recommendations change nothing", () => {
    const objects = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          autoscaling: { minReplicas: 2, maxReplicas: 4 },
          verticalScaling: { updateMode: 'Off' },
        }),
    );
    expect(one(objects, 'VerticalPodAutoscaler').spec.updatePolicy.updateMode).toBe('Off');
  });
});
