/**
 * A WebService's objects rendered from its resolved {@link WebServiceSpec}, in the order the
 * construct creates them. Pure: spec in, parts out (a role id, a manifest, and the public member
 * it becomes). The ServiceAccount is the Workload base's (created when the props are valid).
 */
import type { ApiObjectProps } from 'cdk8s';
import { FLUX_CREATE_ONLY_ANNOTATION } from '../internal/labels';
import { renderPodTemplate, renderScheduling } from './pod';
import type { IngressProps, HttpRouteProps } from './web-service-props';
import type { AutoscalingSpec, Colour, DeliverySpec, VerticalScalingSpec, WebServiceSpec } from './web-service-spec';
import {
  renderDeployment,
  renderDisruptionBudget,
  renderNetworkPolicy,
  renderService,
  workloadMetadata,
} from './workload-render';

type Json = Record<string, unknown>;

/** Label telling the blue and green Pods apart. */
export const COLOUR_LABEL = 'groundwork.io/colour';
const ROLLOUTS_API = 'argoproj.io/v1alpha1';
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
const COLOURS = ['blue', 'green'] as const;

/** The public member of WebService an object becomes. */
export type WebServiceRole =
  'deployment' | 'rollout' | 'service' | 'ingress' | 'route' | 'hpa' | 'vpa' | 'pdb' | 'networkPolicy';

/** One object of a WebService: its role id (a contract), its manifest and, when it has one, its public member. */
export interface WebServicePart {
  readonly id: string;
  readonly manifest: ApiObjectProps;
  readonly role?: WebServiceRole;
}

/** What an HPA or VPA scales, resolved once for both: its `scaleTargetRef` / `targetRef`, fields in that order. */
interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** Every object of the WebService but its ServiceAccount, in creation order. */
export function renderWebService(spec: WebServiceSpec): WebServicePart[] {
  const wl = spec.workload;
  const template = renderPodTemplate(wl, spec.ports, spec.probes, {
    spec: renderScheduling(wl.selectorLabels, spec.spread, spec.scheduledReplicas),
  });
  const parts: WebServicePart[] = [...controllerParts(spec, template)];
  if (spec.ingress) parts.push({ id: 'Ingress', manifest: renderIngress(spec, spec.ingress), role: 'ingress' });
  if (spec.route) parts.push({ id: 'HttpRoute', manifest: renderRoute(spec, spec.route), role: 'route' });
  const d = spec.delivery;
  const rollout = d.kind === 'canary' || d.kind === 'rollouts-blue-green';
  if (spec.autoscaling)
    parts.push(
      ...scalerParts(
        spec,
        d,
        'Hpa',
        'hpa',
        (target) => renderHpa(spec, spec.autoscaling as AutoscalingSpec, target),
        rollout,
      ),
    );
  if (spec.verticalScaling) {
    parts.push(
      ...scalerParts(
        spec,
        d,
        'Vpa',
        'vpa',
        (target) => renderVpa(spec, spec.verticalScaling as VerticalScalingSpec, target),
        rollout,
      ),
    );
  }
  const pdb = renderDisruptionBudget(wl, spec.disruptionBudget);
  if (pdb) parts.push({ id: 'Pdb', manifest: pdb, role: 'pdb' });
  const np = renderNetworkPolicy(wl, spec.ports, spec.exposedTo);
  if (np) parts.push({ id: 'NetworkPolicy', manifest: np, role: 'networkPolicy' });
  return parts;
}

/** The controller (Deployment, Rollout, or a Deployment per colour) and the Services, by delivery. */
function controllerParts(spec: WebServiceSpec, template: Json): WebServicePart[] {
  const wl = spec.workload;
  const d = spec.delivery;
  const service = (
    as: { id?: string; name?: string; selector?: Readonly<Record<string, string>> } = {},
    role?: WebServiceRole,
  ): WebServicePart => ({
    id: as.id ?? 'Service',
    manifest: renderService(wl, spec.ports, { type: 'ClusterIP' }, as),
    role,
  });
  switch (d.kind) {
    case 'rolling':
      return [
        {
          id: 'Deployment',
          manifest: renderDeployment(wl, template, spec.replicas, spec.rollingUpdate),
          role: 'deployment',
        },
        service({}, 'service'),
      ];
    case 'canary': {
      const parts = [service({}, 'service'), service({ id: 'CanaryService', name: d.canaryService })];
      if (d.analysis) parts.push({ id: 'AnalysisTemplate', manifest: renderAnalysis(spec, d) });
      return [...parts, rolloutPart(spec, template, { canary: canaryStrategy(spec, d) })];
    }
    case 'rollouts-blue-green':
      return [
        service({}, 'service'),
        service({ id: 'PreviewService', name: d.previewService }),
        rolloutPart(spec, template, {
          blueGreen: {
            activeService: wl.name,
            previewService: d.previewService,
            autoPromotionEnabled: d.autoPromotion,
          },
        }),
      ];
    case 'deployments-blue-green':
      return [
        ...COLOURS.map((colour): WebServicePart => ({
          id: `Deployment-${colour}`,
          manifest: renderDeployment(
            wl,
            colourTemplate(template, colour, d.images[colour]),
            spec.replicas,
            spec.rollingUpdate,
            {
              name: `${wl.name}-${colour}`,
              selector: { [COLOUR_LABEL]: colour },
            },
          ),
          role: colour === d.active ? 'deployment' : undefined,
        })),
        service({ selector: { [COLOUR_LABEL]: d.active } }, 'service'),
        service({ id: 'PreviewService', name: d.previewService, selector: { [COLOUR_LABEL]: d.preview } }),
      ];
  }
}

/** An HPA or VPA: one per colour with blue-green Deployments (the active colour's is the member), else one for the Deployment or Rollout. */
function scalerParts(
  spec: WebServiceSpec,
  d: DeliverySpec,
  id: 'Hpa' | 'Vpa',
  role: 'hpa' | 'vpa',
  render: (target: ScaleTarget) => ApiObjectProps,
  rollout: boolean,
): WebServicePart[] {
  const name = spec.workload.name;
  if (d.kind !== 'deployments-blue-green') {
    const target = rollout
      ? { apiVersion: ROLLOUTS_API, kind: 'Rollout', name }
      : { apiVersion: 'apps/v1', kind: 'Deployment', name };
    return [{ id, manifest: render(target), role }];
  }
  return COLOURS.map((colour) => ({
    id: `${id}-${colour}`,
    manifest: render({ apiVersion: 'apps/v1', kind: 'Deployment', name: `${name}-${colour}` }),
    role: colour === d.active ? role : undefined,
  }));
}

function rolloutPart(spec: WebServiceSpec, template: Json, strategy: Json): WebServicePart {
  const wl = spec.workload;
  const rolloutSpec: Json = {
    selector: { matchLabels: { ...wl.selectorLabels } },
    revisionHistoryLimit: 5,
    template,
    strategy,
  };
  if (spec.replicas !== undefined) rolloutSpec.replicas = spec.replicas;
  return {
    id: 'Rollout',
    manifest: {
      apiVersion: ROLLOUTS_API,
      kind: 'Rollout',
      metadata: workloadMetadata(wl, { podOwner: true }),
      spec: rolloutSpec,
    },
    role: 'rollout',
  };
}

/** The Argo Rollouts canary strategy: stable/canary Services, HTTPRoute traffic routing, steps, analysis. */
function canaryStrategy(spec: WebServiceSpec, d: Extract<DeliverySpec, { kind: 'canary' }>): Json {
  const wl = spec.workload;
  const steps = d.steps.flatMap((st) => [
    { setWeight: st.weight },
    { pause: st.pauseSeconds !== undefined ? { duration: `${st.pauseSeconds}s` } : {} },
  ]);
  return {
    stableService: wl.name,
    canaryService: d.canaryService,
    // argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi v0.15.0 examples: plugin config names the HTTPRoute and its namespace
    trafficRouting: { plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: wl.name, namespace: wl.namespace } } },
    steps,
    ...(d.analysis !== undefined
      ? { analysis: { templates: [{ templateName: d.analysis.name }], startingStep: 1 } }
      : {}),
  };
}

function renderAnalysis(spec: WebServiceSpec, d: Extract<DeliverySpec, { kind: 'canary' }>): ApiObjectProps {
  const a = d.analysis as NonNullable<typeof d.analysis>;
  return {
    apiVersion: ROLLOUTS_API,
    kind: 'AnalysisTemplate',
    metadata: workloadMetadata(spec.workload, { name: a.name }),
    spec: {
      metrics: [
        {
          name: 'success-rate',
          interval: `${a.intervalSeconds}s`,
          failureLimit: 2,
          successCondition: `len(result) == 0 || result[0] >= ${a.minSuccessRate}`,
          provider: { prometheus: { address: a.prometheusUrl, query: a.query } },
        },
      ],
    },
  };
}

function renderIngress(spec: WebServiceSpec, ing: IngressProps): ApiObjectProps {
  const wl = spec.workload;
  const annotations: Record<string, string> = { ...ing.annotations };
  if (ing.clusterIssuer !== undefined) annotations['cert-manager.io/cluster-issuer'] = ing.clusterIssuer;
  const ingressSpec: Json = {
    rules: [
      {
        host: ing.host,
        http: {
          paths: [
            {
              path: ing.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: wl.name, port: { name: spec.ports[0].name } } },
            },
          ],
        },
      },
    ],
  };
  if (ing.className !== undefined) ingressSpec.ingressClassName = ing.className;
  ingressSpec.tls = [{ hosts: [ing.host], secretName: ing.tlsSecretName ?? `${wl.name}-tls` }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: workloadMetadata(wl, { annotations }),
    spec: ingressSpec,
  };
}

function renderRoute(spec: WebServiceSpec, route: HttpRouteProps): ApiObjectProps {
  const wl = spec.workload;
  const canary = spec.delivery.kind === 'canary' ? spec.delivery : undefined;
  const stable = { group: '', kind: 'Service', name: wl.name, port: spec.ports[0].servicePort };
  // with a canary, Argo Rollouts' gatewayAPI plugin moves weight between the two backends
  const backendRefs = canary
    ? [
        { ...stable, weight: 100 },
        { ...stable, name: canary.canaryService, weight: 0 },
      ]
    : [stable];
  const parent: Json = {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: route.gateway.name,
    namespace: route.gateway.namespace,
  };
  if (route.gateway.sectionName !== undefined) parent.sectionName = route.gateway.sectionName;
  // the plugin's weights must survive the GitOps engine: Argo CD ignores them (argo-cd add-on), and
  // Flux, which cannot ignore fields, creates the route once and leaves it to the plugin after
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: workloadMetadata(wl, canary ? { annotations: FLUX_CREATE_ONLY_ANNOTATION } : {}),
    spec: {
      parentRefs: [parent],
      hostnames: [...route.hostnames],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: route.path ?? '/' } }], backendRefs }],
    },
  };
}

function renderHpa(spec: WebServiceSpec, s: AutoscalingSpec, target: ScaleTarget): ApiObjectProps {
  const wl = spec.workload;
  const metrics = s.targets.map((t) => ({
    type: 'Resource',
    resource: { name: t.resource, target: { type: 'Utilization', averageUtilization: t.utilization } },
  }));
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: workloadMetadata(wl, { name: target.name }),
    spec: {
      scaleTargetRef: { ...target },
      minReplicas: s.minReplicas,
      maxReplicas: s.maxReplicas,
      metrics,
      behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds } },
    },
  };
}

function renderVpa(spec: WebServiceSpec, vs: VerticalScalingSpec, target: ScaleTarget): ApiObjectProps {
  const wl = spec.workload;
  const policy: Json = { containerName: wl.name, controlledResources: [...vs.controlledResources] };
  if (vs.minAllowed) policy.minAllowed = { ...vs.minAllowed };
  if (vs.maxAllowed) policy.maxAllowed = { ...vs.maxAllowed };
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: workloadMetadata(wl, { name: target.name }),
    spec: {
      targetRef: { ...target },
      updatePolicy: { updateMode: vs.updateMode },
      resourcePolicy: { containerPolicies: [policy] },
    },
  };
}

/** The Pod template of one colour: its label (selected by its Deployment and, when active, the Service) and image. */
function colourTemplate(template: Json, colour: Colour, image: string): Json {
  const t = structuredClone(template) as {
    metadata: { labels: Record<string, string> };
    spec: { containers: { image: string }[] };
  };
  t.metadata.labels[COLOUR_LABEL] = colour;
  t.spec.containers[0].image = image;
  return t;
}
