/**
 * A WebService's props resolved once: every check and every default, props in,
 * {@link WebServiceSpec} out (or a GroundworkValidationError listing every problem, in the order
 * the construct reports them). Pure: `checkWebService` adds the WebService's problems to those
 * `checkWorkload` recorded; `resolveWebService` does both and throws.
 */
import type { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { secretInValue } from '../internal/secrets';
import { PropsValidator } from '../internal/validator';
import type { DisruptionBudgetProps, NetworkPeer, ProbesProps, RollingUpdateProps, SpreadProps } from './types';
import {
  type AutoscalingProps,
  type BlueGreenDeliveryProps,
  type CanaryStep,
  type CanaryDeliveryProps,
  DELIVERY_SPECS,
  type DeliveryProps,
  type HttpRouteProps,
  type IngressProps,
  KNOWN_WEBSERVICE_PROPS,
  type VerticalBounds,
  type VerticalScalingProps,
  type VerticalUpdateMode,
  type WebServiceProps,
} from './web-service-props';
import { resolvePorts, validateDisruptionBudget, validatePeer, validateProbes, validateReplicas, validateRollingUpdate } from './workload-checks';
import type { ResolvedPort } from './workload-props';
import { checkWorkload, defaultNameOf, defaultProbes, type WorkloadSpec } from './workload-spec';

const VERTICAL_UPDATE_MODES: readonly VerticalUpdateMode[] = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate'];
const DEFAULT_STEPS: readonly CanaryStep[] = [
  { weight: 10, pauseSeconds: 120 },
  { weight: 50, pauseSeconds: 300 },
];

/** A blue-green colour. */
export type Colour = 'blue' | 'green';

/** How the WebService rolls out, normalized: one kind per controller, every default resolved. */
export type DeliverySpec =
  | { readonly kind: 'rolling' }
  | {
      readonly kind: 'canary';
      /** Name of the canary Service (`<name>-canary`). */
      readonly canaryService: string;
      readonly steps: readonly CanaryStep[];
      readonly analysis?: {
        readonly name: string;
        readonly prometheusUrl: string;
        readonly query: string;
        readonly minSuccessRate: number;
        readonly intervalSeconds: number;
      };
    }
  | { readonly kind: 'rollouts-blue-green'; readonly previewService: string; readonly autoPromotion: boolean }
  | {
      readonly kind: 'deployments-blue-green';
      readonly previewService: string;
      /** The colour the Service sends traffic to. */
      readonly active: Colour;
      /** The other colour (reachable through the preview Service). */
      readonly preview: Colour;
      /** Image of each colour. */
      readonly images: Readonly<Record<Colour, string>>;
    };

/** Horizontal autoscaling, resolved. */
export interface AutoscalingSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Resources the HPA scales on and their utilization targets. */
  readonly targets: readonly { readonly resource: 'cpu' | 'memory'; readonly utilization: number }[];
  readonly scaleDownStabilizationSeconds: number;
}

/** Vertical autoscaling, resolved. */
export interface VerticalScalingSpec {
  readonly updateMode: VerticalUpdateMode;
  readonly controlledResources: readonly ('cpu' | 'memory')[];
  readonly minAllowed?: VerticalBounds;
  readonly maxAllowed?: VerticalBounds;
}

/** Every prop of a WebService checked and defaulted. */
export interface WebServiceSpec {
  /** The shared workload props. */
  readonly workload: WorkloadSpec;
  /** Every port, the main port first. */
  readonly ports: readonly ResolvedPort[];
  /** `spec.replicas` of the controller; undefined when the HPA scales it. */
  readonly replicas?: number;
  /** The replica count the Pods are spread for (the HPA's minimum when autoscaled). */
  readonly scheduledReplicas: number;
  /** Probes, TCP checks of the main port by default. */
  readonly probes: ProbesProps;
  readonly spread?: SpreadProps | false;
  readonly rollingUpdate?: RollingUpdateProps;
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  readonly autoscaling?: AutoscalingSpec;
  readonly verticalScaling?: VerticalScalingSpec;
  readonly ingress?: IngressProps;
  readonly route?: HttpRouteProps;
  /** Peers the NetworkPolicy admits besides `networkPolicy.allowFrom`: the ingress controller or the Gateway's proxies. */
  readonly exposedTo: readonly NetworkPeer[];
  readonly delivery: DeliverySpec;
}

/** A WebService's props resolved, or a GroundworkValidationError listing every problem (named after `where`). */
export function resolveWebService(props: WebServiceProps, where: Construct | string, defaultName?: string): WebServiceSpec {
  const v = new PropsValidator('WebService', where);
  const workload = checkWorkload(v, props, where, {
    defaultName: defaultName ?? defaultNameOf(where),
    component: 'web',
    shapes: KNOWN_WEBSERVICE_PROPS,
  });
  const spec = checkWebService(v, props, workload);
  v.throwIfInvalid();
  return spec;
}

/**
 * Checks what a WebService adds to the shared props, recording problems on `v` after those of
 * `checkWorkload`, and returns the props resolved (meaningful only once `v` holds no problem).
 */
export function checkWebService(v: PropsValidator, props: WebServiceProps, workload: WorkloadSpec): WebServiceSpec {
  const scaling = props.autoscaling;
  const replicas = props.replicas ?? 2;
  v.check('name', workload.name, rules.dns1035Label);
  validateReplicas(v, 'replicas', props.replicas);
  if (scaling) checkAutoscaling(v, scaling);
  const ports = resolvePorts(v, { name: props.portName ?? 'http', containerPort: props.port, servicePort: props.servicePort ?? 80 }, props.extraPorts ?? []);
  validateProbes(
    v,
    props.probes,
    true,
    ports.map((p) => p.name),
  );
  validateDisruptionBudget(v, props.disruptionBudget, scaling?.minReplicas ?? replicas);
  validateRollingUpdate(v, props.rollingUpdate);
  checkExposure(v, props);
  const given = props.delivery ?? { strategy: 'rolling' as const };
  const delivery = resolveDelivery(given, props.image, workload.name);
  checkDelivery(v, given, delivery, props, workload.name);
  const autoscaling = scaling && resolveAutoscaling(scaling);
  const verticalScaling = props.verticalScaling && resolveVerticalScaling(props.verticalScaling);
  if (verticalScaling) checkVerticalScaling(v, verticalScaling, autoscaling);
  const exposedTo: NetworkPeer[] = [];
  if (props.ingress) exposedTo.push(props.ingress.controller ?? { namespace: 'ingress-nginx' });
  if (props.route) exposedTo.push(props.route.gateway.proxies ?? { namespace: props.route.gateway.namespace });
  return {
    workload,
    ports,
    replicas: scaling ? undefined : replicas,
    scheduledReplicas: scaling ? scaling.minReplicas : replicas,
    probes: defaultProbes(props.probes),
    spread: props.spread,
    rollingUpdate: props.rollingUpdate,
    disruptionBudget: props.disruptionBudget,
    autoscaling,
    verticalScaling,
    ingress: props.ingress,
    route: props.route,
    exposedTo,
    delivery,
  };
}

function resolveAutoscaling(scaling: AutoscalingProps): AutoscalingSpec {
  return {
    minReplicas: scaling.minReplicas,
    maxReplicas: scaling.maxReplicas,
    targets: hpaTargets(scaling),
    scaleDownStabilizationSeconds: scaling.scaleDownStabilizationSeconds ?? 300,
  };
}

function resolveVerticalScaling(vs: VerticalScalingProps): VerticalScalingSpec {
  return {
    updateMode: vs.updateMode ?? 'Off',
    controlledResources: vs.controlledResources ?? ['cpu', 'memory'],
    minAllowed: vs.minAllowed,
    maxAllowed: vs.maxAllowed,
  };
}

function checkAutoscaling(v: PropsValidator, scaling: AutoscalingProps): void {
  v.check('autoscaling.minReplicas', scaling.minReplicas, rules.integerBetween(1));
  v.check('autoscaling.maxReplicas', scaling.maxReplicas, rules.integerBetween(1));
  if (scaling.minReplicas > scaling.maxReplicas) {
    v.fail('minReplicas', scaling.minReplicas, `must be <= maxReplicas (${scaling.maxReplicas})`);
  }
  v.check('autoscaling.cpuUtilization', scaling.cpuUtilization, rules.integerBetween(1, 100));
  v.check('autoscaling.memoryUtilization', scaling.memoryUtilization, rules.integerBetween(1, 100));
  v.check('autoscaling.scaleDownStabilizationSeconds', scaling.scaleDownStabilizationSeconds, rules.integerBetween(0, 3600));
}

/** Ingress or HTTPRoute, never both; an Ingress needs TLS. */
function checkExposure(v: PropsValidator, props: WebServiceProps): void {
  if (props.ingress && props.route) v.fail('ingress', props.ingress.host, 'must not be combined with route: choose an Ingress or a Gateway API HTTPRoute');
  if (props.ingress) {
    v.check('ingress.host', props.ingress.host, rules.ingressHost);
    v.check('ingress.path', props.ingress.path, rules.httpPath);
    // the name of an IngressClass: k8s.io/kubernetes pkg/apis/networking/validation/validation.go ValidateIngressSpec checks
    // spec.ingressClassName with ValidateIngressClassName, which is apimachinery's NameIsDNSSubdomain
    v.check('ingress.className', props.ingress.className, rules.dns1123Subdomain);
    if (props.ingress.controller !== undefined) validatePeer(v, 'ingress.controller', props.ingress.controller);
    v.check('ingress.clusterIssuer', props.ingress.clusterIssuer, rules.dns1123Subdomain);
    v.check('ingress.tlsSecretName', props.ingress.tlsSecretName, rules.dns1123Subdomain);
    if (props.ingress.clusterIssuer === undefined && props.ingress.tlsSecretName === undefined) {
      v.fail(
        'ingress',
        props.ingress.host,
        'needs TLS: set clusterIssuer (cert-manager signs the certificate) or tlsSecretName (an existing TLS Secret); an Ingress without TLS serves plaintext',
      );
    }
  }
  if (props.route) {
    v.check('route.gateway.name', props.route.gateway.name, rules.dns1123Subdomain);
    v.check('route.gateway.namespace', props.route.gateway.namespace, rules.dns1123Label);
    if (props.route.gateway.proxies !== undefined) validatePeer(v, 'route.gateway.proxies', props.route.gateway.proxies);
    if (props.route.hostnames.length === 0) v.fail('route.hostnames', [], 'must list at least one host name');
    props.route.hostnames.forEach((h, i) => v.check(`route.hostnames[${i}]`, h, rules.ingressHost));
    v.check('route.path', props.route.path, rules.httpPath);
  }
}

function checkDelivery(v: PropsValidator, d: DeliveryProps, resolved: DeliverySpec, props: WebServiceProps, name: string): void {
  if (!['rolling', 'canary', 'blue-green'].includes(d.strategy)) {
    v.fail('delivery.strategy', d.strategy, 'must be "rolling", "canary" or "blue-green"');
    return;
  }
  // each strategy's props, by shape: a misspelt field is an error, never silently ignored
  v.checkShape('delivery', d, DELIVERY_SPECS[d.strategy]);
  // the Services a strategy adds are named after the workload: each must be a valid Service name (DNS-1035, at most 63)
  const derived = resolved.kind === 'canary' ? [resolved.canaryService] : resolved.kind === 'rolling' ? [] : [resolved.previewService];
  for (const service of derived) {
    const problem = rules.dns1035Label(service);
    if (problem !== undefined) v.fail('name', name, `derives the Service name "${service}", which ${problem}: shorten the name`);
  }
  if (d.strategy === 'canary' && resolved.kind === 'canary') checkCanary(v, d, resolved.steps, props);
  else if (d.strategy === 'blue-green') checkBlueGreen(v, d, name);
}

function checkCanary(v: PropsValidator, d: CanaryDeliveryProps, steps: readonly CanaryStep[], props: WebServiceProps): void {
  if (props.route === undefined)
    v.fail('delivery', 'canary', "needs route: the canary's traffic share is set on the HTTPRoute (Argo Rollouts gatewayAPI plugin)");
  if (steps.length === 0) v.fail('delivery.steps', [], 'must list at least one step');
  steps.forEach((st, i) => {
    v.check(`delivery.steps[${i}].weight`, st.weight, rules.integerBetween(1, 100));
    if (i > 0 && st.weight <= steps[i - 1].weight)
      v.fail(`delivery.steps[${i}].weight`, st.weight, `must be greater than the previous step's (${steps[i - 1].weight}): traffic only grows during a canary`);
    v.check(`delivery.steps[${i}].pauseSeconds`, st.pauseSeconds, rules.integerBetween(1, 86400));
  });
  if (d.analysis) {
    const leak = secretInValue(d.analysis.prometheusUrl);
    if (leak !== undefined)
      v.fail(
        'delivery.analysis.prometheusUrl',
        '<not shown>',
        `is ${leak}: the analysis run would store it where the tenant reads it; query the platform's Prometheus`,
      );
    else if (!/^https?:\/\/[^\s]+$/.test(d.analysis.prometheusUrl))
      v.fail('delivery.analysis.prometheusUrl', d.analysis.prometheusUrl, 'must be an http(s) URL');
    if (!d.analysis.query.trim()) v.fail('delivery.analysis.query', d.analysis.query, 'must be a PromQL query');
    if (d.analysis.minSuccessRate !== undefined && !(d.analysis.minSuccessRate > 0 && d.analysis.minSuccessRate <= 1)) {
      v.fail('delivery.analysis.minSuccessRate', d.analysis.minSuccessRate, 'must be in (0, 1]');
    }
    v.check('delivery.analysis.intervalSeconds', d.analysis.intervalSeconds, rules.integerBetween(10, 3600));
  }
}

function checkBlueGreen(v: PropsValidator, d: BlueGreenDeliveryProps, name: string): void {
  if (d.controller !== 'argo-rollouts' && d.controller !== 'deployments')
    v.fail('delivery.controller', d.controller, 'must be "argo-rollouts" or "deployments"');
  if (d.active !== undefined && d.active !== 'blue' && d.active !== 'green') v.fail('delivery.active', d.active, 'must be "blue" or "green"');
  if (d.controller === 'argo-rollouts' && (d.active !== undefined || d.previewImage !== undefined))
    v.fail('delivery', d.controller, 'active and previewImage apply to controller "deployments": Argo Rollouts tracks the colours itself');
  v.check('delivery.previewImage', d.previewImage, rules.pinnedImage);
  if (d.controller === 'deployments' && name.length > 57)
    v.fail('name', name, 'must be at most 57 characters with blue-green Deployments (the "-green" suffix)');
}

/**
 * VPA rules: a known update mode, cpu/memory only, valid bounds, and never an acting VPA on a
 * resource the HPA scales on (each would undo the other: the HPA's utilization is relative to
 * the requests the VPA changes).
 */
function checkVerticalScaling(v: PropsValidator, vs: VerticalScalingSpec, scaling: AutoscalingSpec | undefined): void {
  const mode: unknown = vs.updateMode;
  if (!VERTICAL_UPDATE_MODES.includes(mode as VerticalUpdateMode)) {
    v.fail(
      'verticalScaling.updateMode',
      mode,
      `must be one of ${VERTICAL_UPDATE_MODES.map((m) => `'${m}'`).join(', ')} ('Auto' is deprecated upstream: use 'Recreate')`,
    );
  }
  const controlled = vs.controlledResources;
  if (controlled.length === 0) v.fail('verticalScaling.controlledResources', [], "must name 'cpu', 'memory' or both");
  controlled.forEach((r: unknown, i) => {
    if (r !== 'cpu' && r !== 'memory') v.fail(`verticalScaling.controlledResources[${i}]`, r, "must be 'cpu' or 'memory'");
  });
  for (const [field, bounds] of [
    ['minAllowed', vs.minAllowed],
    ['maxAllowed', vs.maxAllowed],
  ] as const) {
    v.check(`verticalScaling.${field}.cpu`, bounds?.cpu, rules.cpuQuantity);
    v.check(`verticalScaling.${field}.memory`, bounds?.memory, rules.bytesQuantity);
  }
  if (scaling && mode !== 'Off') {
    const horizontal = scaling.targets.map((t) => t.resource);
    const both = controlled.filter((r) => horizontal.includes(r));
    if (both.length > 0) {
      v.fail(
        'verticalScaling.updateMode',
        mode,
        `must be 'Off' while autoscaling scales on ${both.join(' and ')} (an HPA and an acting VPA on the same resource undo each other); keep 'Off' for recommendations or set verticalScaling.controlledResources to the other resource`,
      );
    }
  }
}

const canaryServiceOf = (name: string): string => `${name}-canary`;
const previewServiceOf = (name: string): string => `${name}-preview`;

/** The delivery, normalized (an unknown strategy, already refused, reads as rolling). */
function resolveDelivery(d: DeliveryProps, image: string, name: string): DeliverySpec {
  if (d.strategy === 'canary') {
    const a = d.analysis;
    return {
      kind: 'canary',
      canaryService: canaryServiceOf(name),
      steps: d.steps ?? DEFAULT_STEPS,
      analysis: a && {
        name: `${name}-success-rate`,
        prometheusUrl: a.prometheusUrl,
        query: a.query,
        minSuccessRate: a.minSuccessRate ?? 0.99,
        intervalSeconds: a.intervalSeconds ?? 60,
      },
    };
  }
  if (d.strategy !== 'blue-green') return { kind: 'rolling' };
  if (d.controller === 'argo-rollouts') return { kind: 'rollouts-blue-green', previewService: previewServiceOf(name), autoPromotion: d.autoPromotion ?? false };
  const active = d.active ?? 'blue';
  const preview = active === 'blue' ? 'green' : 'blue';
  const images = { [active]: image, [preview]: d.previewImage ?? image } as Record<Colour, string>;
  return { kind: 'deployments-blue-green', previewService: previewServiceOf(name), active, preview, images };
}

/** The resources an HPA scales on and their utilization targets: CPU at 70% unless only a memory target is given. */
function hpaTargets(s: AutoscalingProps): { resource: 'cpu' | 'memory'; utilization: number }[] {
  const out: { resource: 'cpu' | 'memory'; utilization: number }[] = [];
  const cpu = s.cpuUtilization ?? (s.memoryUtilization === undefined ? 70 : undefined);
  if (cpu !== undefined) out.push({ resource: 'cpu', utilization: cpu });
  if (s.memoryUtilization !== undefined) out.push({ resource: 'memory', utilization: s.memoryUtilization });
  return out;
}
