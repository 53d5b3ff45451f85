import { Chart, Testing } from 'cdk8s';
import { GroundworkValidationError, WebService, type WebServiceProps } from '../../constructs';
import { renderWebService } from '../../constructs/workloads/web-service-render';
import { resolveWebService } from '../../constructs/workloads/web-service-spec';
import { resolveWorkload } from '../../constructs/workloads/workload-spec';
import { WORKLOAD_SHAPES } from '../../constructs/workloads/workload-props';

const image = 'ghcr.io/acme/api:1.4.2';
const base: WebServiceProps = { image, port: 8080, namespace: 'apps' };

/** What `resolveWebService` throws for `props` (named as the construct `test/web` is). */
function resolveError(props: WebServiceProps): string {
  try {
    resolveWebService(props, 'test/web');
  } catch (e) {
    expect(e).toBeInstanceOf(GroundworkValidationError);
    return (e as Error).message;
  }
  throw new Error('expected resolveWebService to throw');
}

/** What the construct throws for `props` at `test/web`. */
function constructError(props: WebServiceProps): string {
  try {
    new WebService(new Chart(Testing.app(), 'test'), 'web', props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected WebService to throw');
}

describe('resolveWebService (no construct tree)', () => {
  test('minimal props: every default resolved once', () => {
    expect(resolveWebService(base, 'test/web')).toEqual({
      workload: {
        name: 'web',
        namespace: 'apps',
        selectorLabels: { 'app.kubernetes.io/name': 'web' },
        labels: {
          'app.kubernetes.io/name': 'web',
          'app.kubernetes.io/component': 'web',
          'app.kubernetes.io/managed-by': 'k8s-groundwork',
        },
        image,
        imagePullPolicy: 'Always',
        env: [],
        envFrom: [],
        writablePaths: ['/tmp'],
        fileMounts: [],
        resources: {
          requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
          limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '1Gi' },
        },
        security: {
          runAsUser: 10001,
          runAsGroup: 10001,
          fsGroup: 10001,
          readOnlyRootFilesystem: true,
          allowNetBindService: false,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        serviceAccount: { automountToken: false },
        networkPolicy: { allowFrom: [], egress: 'unrestricted' },
        terminationGracePeriodSeconds: 30,
        optOuts: {},
      },
      ports: [{ name: 'http', containerPort: 8080, servicePort: 80, protocol: 'TCP' }],
      replicas: 2,
      scheduledReplicas: 2,
      probes: { readiness: { type: 'tcp' }, liveness: { type: 'tcp', periodSeconds: 20 } },
      exposedTo: [],
      delivery: { kind: 'rolling' },
    });
  });

  test('delivery is normalized once: blue-green Deployments know their colours, images and preview Service', () => {
    const spec = resolveWebService(
      {
        ...base,
        delivery: {
          strategy: 'blue-green',
          controller: 'deployments',
          active: 'green',
          previewImage: 'ghcr.io/acme/api:1.5.0',
        },
      },
      'test/web',
    );
    expect(spec.delivery).toEqual({
      kind: 'deployments-blue-green',
      previewService: 'web-preview',
      active: 'green',
      preview: 'blue',
      images: { green: image, blue: 'ghcr.io/acme/api:1.5.0' },
    });
  });

  test('invalid props: the messages the construct gives, in the same order', () => {
    const scaling: WebServiceProps = { ...base, autoscaling: { minReplicas: 3, maxReplicas: 2 } };
    expect(resolveError(scaling)).toBe("WebService 'test/web': minReplicas (3) must be <= maxReplicas (2)");
    expect(constructError(scaling)).toBe(resolveError(scaling));

    const canary: WebServiceProps = {
      ...base,
      name: 'Api',
      delivery: { strategy: 'canary', steps: [{ weight: 50 }, { weight: 40 }] },
    };
    expect(resolveError(canary).split('\n')).toEqual([
      `WebService 'test/web': name ("Api") must be a DNS-1123 label: 1-63 lowercase alphanumerics or "-", starting and ending with an alphanumeric`,
      `WebService 'test/web': name ("Api") must be a DNS-1035 label (it names a Service): 1-63 lowercase alphanumerics or "-", starting with a letter and ending with an alphanumeric`,
      `WebService 'test/web': name ("Api") derives the Service name "Api-canary", which must be a DNS-1035 label (it names a Service): 1-63 lowercase alphanumerics or "-", starting with a letter and ending with an alphanumeric: shorten the name`,
      `WebService 'test/web': delivery ("canary") needs route: the canary's traffic share is set on the HTTPRoute (Argo Rollouts gatewayAPI plugin)`,
      `WebService 'test/web': delivery.steps[1].weight (40) must be greater than the previous step's (50): traffic only grows during a canary`,
    ]);
    expect(constructError(canary)).toBe(resolveError(canary));
  });

  test('a workload path without a Chart needs its namespace in props', () => {
    expect(() =>
      resolveWorkload({ image }, 'test/w', 'Worker', {
        defaultName: 'w',
        component: 'worker',
        shapes: WORKLOAD_SHAPES,
      }),
    ).toThrow(
      'Worker \'test/w\': namespace (undefined) must be set to a namespace other than "default" (in props or on the Chart)',
    );
  });
});

describe('renderWebService (spec in, parts out)', () => {
  test('blue-green Deployments: the role ids, the members, and the manifests the construct creates', () => {
    const props: WebServiceProps = {
      ...base,
      autoscaling: { minReplicas: 2, maxReplicas: 4 },
      delivery: { strategy: 'blue-green', controller: 'deployments' },
    };
    const parts = renderWebService(resolveWebService(props, 'test/web'));
    expect(parts.map((p) => [p.id, p.role])).toEqual([
      ['Deployment-blue', 'deployment'],
      ['Deployment-green', undefined],
      ['Service', 'service'],
      ['PreviewService', undefined],
      ['Hpa-blue', 'hpa'],
      ['Hpa-green', undefined],
      ['Pdb', 'pdb'],
      ['NetworkPolicy', 'networkPolicy'],
    ]);
    const service = parts.find((p) => p.id === 'Service')?.manifest;
    expect(service?.spec).toMatchObject({
      selector: { 'app.kubernetes.io/name': 'web', 'groundwork.io/colour': 'blue' },
    });

    const chart = new Chart(Testing.app(), 'test');
    const ws = new WebService(chart, 'web', props);
    expect(ws.node.children.map((c) => c.node.id)).toEqual(['ServiceAccount', ...parts.map((p) => p.id)]);
    expect(ws.deployment?.name).toBe('web-blue');
    expect(ws.hpa?.name).toBe('web-blue');
    expect(ws.service.toJson()).toEqual(service);
  });
});
