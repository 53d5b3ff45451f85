/**
 * A WebService's props resolved once: every check and every default, props in,
 * {@link WebServiceSpec} out (or a GroundworkValidationError listing every problem, in the order
 * the construct reports them). Pure: `checkWebService` adds the WebService's problems to those
 * `checkWorkload` recorded; `resolveWebService` does both and throws.
 */
import type { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { PropsValidator } from '../internal/validator';
import type { DisruptionBudgetProps, NetworkPeer, ProbesProps, RollingUpdateProps, SpreadProps } from './types';
import {
  type AutoscalingProps,
  type HttpRouteProps,
  type IngressProps,
  KNOWN_WEBSERVICE_PROPS,
  type VerticalBounds,
  type VerticalScalingProps,
  type VerticalUpdateMode,
  type WebServiceProps,
} from './web-service-props';
import {
  resolvePorts,
  validateDisruptionBudget,
  validatePeer,
  validateProbes,
  validateReplicas,
  validateRollingUpdate,
} from './workload-checks';
import type { ResolvedPort } from './workload-props';
import { checkWorkload, defaultNameOf, defaultProbes, type WorkloadSpec } from './workload-spec';
import { checkDelivery, type DeliverySpec, resolveDelivery } from './web-service-delivery';

const VERTICAL_UPDATE_MODES: readonly VerticalUpdateMode[] = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate'];

export type { Colour, DeliverySpec } from './web-service-delivery';

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
export function resolveWebService(
  props: WebServiceProps,
  where: Construct | string,
  defaultName?: string,
): WebServiceSpec {
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
  const ports = resolvePorts(
    v,
    { name: props.portName ?? 'http', containerPort: props.port, servicePort: props.servicePort ?? 80 },
    props.extraPorts ?? [],
  );
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
  v.check(
    'autoscaling.scaleDownStabilizationSeconds',
    scaling.scaleDownStabilizationSeconds,
    rules.integerBetween(0, 3600),
  );
}

/** Ingress or HTTPRoute, never both; an Ingress needs TLS. */
function checkExposure(v: PropsValidator, props: WebServiceProps): void {
  if (props.ingress && props.route)
    v.fail(
      'ingress',
      props.ingress.host,
      'must not be combined with route: choose an Ingress or a Gateway API HTTPRoute',
    );
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
    if (props.route.gateway.proxies !== undefined)
      validatePeer(v, 'route.gateway.proxies', props.route.gateway.proxies);
    if (props.route.hostnames.length === 0) v.fail('route.hostnames', [], 'must list at least one host name');
    props.route.hostnames.forEach((h, i) => v.check(`route.hostnames[${i}]`, h, rules.ingressHost));
    v.check('route.path', props.route.path, rules.httpPath);
  }
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
    if (r !== 'cpu' && r !== 'memory')
      v.fail(`verticalScaling.controlledResources[${i}]`, r, "must be 'cpu' or 'memory'");
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

/** The resources an HPA scales on and their utilization targets: CPU at 70% unless only a memory target is given. */
function hpaTargets(s: AutoscalingProps): { resource: 'cpu' | 'memory'; utilization: number }[] {
  const out: { resource: 'cpu' | 'memory'; utilization: number }[] = [];
  const cpu = s.cpuUtilization ?? (s.memoryUtilization === undefined ? 70 : undefined);
  if (cpu !== undefined) out.push({ resource: 'cpu', utilization: cpu });
  if (s.memoryUtilization !== undefined) out.push({ resource: 'memory', utilization: s.memoryUtilization });
  return out;
}
