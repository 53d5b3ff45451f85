import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { type Construct } from 'constructs';
import * as rules from '../internal/rules';
import type { NetworkPeer, PortProps } from './types';
import { listOf, type ObjectSpec, objectSpec, offerSpec, type PropShapes } from '../internal/validator';
import { DEPLOYMENT_SHAPES, type DeploymentProps, defaultProbes, PEER_SHAPES, PORTS_SPEC, type ResolvedPort, Workload } from './workload';
import { secretInValue } from '../internal/secrets';
import { FLUX_CREATE_ONLY_ANNOTATION } from '../addons/gitops';

/** What a VerticalPodAutoscaler does with its recommendations (autoscaling.k8s.io/v1 `updatePolicy.updateMode`). */
export type VerticalUpdateMode = 'Off' | 'Initial' | 'Recreate' | 'InPlaceOrRecreate';

/** Resource bounds of vertical recommendations. */
export interface VerticalBounds {
  /**
   * CPU, e.g. "100m".
   * @default - unbounded
   */
  readonly cpu?: string;
  /**
   * Memory, e.g. "128Mi".
   * @default - unbounded
   */
  readonly memory?: string;
}

/** Vertical Pod Autoscaler settings (the VPA add-on must be enabled). */
export interface VerticalScalingProps {
  /**
   * `Off` only recommends (read them with `kubectl describe vpa`); `Initial` sets requests when
   * Pods are created; `Recreate` and `InPlaceOrRecreate` also change running Pods (they need the
   * add-on's updater). Anything but `Off` is refused on a resource the HPA scales on.
   * @default 'Off'
   */
  readonly updateMode?: VerticalUpdateMode;
  /**
   * Resources the VPA recommends for.
   * @default ['cpu', 'memory']
   */
  readonly controlledResources?: readonly ('cpu' | 'memory')[];
  /**
   * Floor of the recommendations.
   * @default - none
   */
  readonly minAllowed?: VerticalBounds;
  /**
   * Ceiling of the recommendations.
   * @default - none
   */
  readonly maxAllowed?: VerticalBounds;
}

const VERTICAL_UPDATE_MODES: readonly VerticalUpdateMode[] = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate'];

/** Horizontal Pod Autoscaler settings (autoscaling/v2). */
export interface AutoscalingProps {
  /** Lowest replica count (>= 1). */
  readonly minReplicas: number;
  /** Highest replica count (>= minReplicas). */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, percent of the request.
   * @default 70 when no memory target is set, otherwise no CPU target
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, percent of the request.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
  /**
   * Seconds the HPA waits before scaling down.
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

/** Exposure through a networking.k8s.io/v1 Ingress. */
export interface IngressProps {
  /** Host name, e.g. `api.example.com` (lowercase, no port, wildcard only leftmost). */
  readonly host: string;
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
  /**
   * IngressClass name.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * Where the ingress controller's Pods run, admitted by the NetworkPolicy (read it from the
   * platform contract: `contract.ingressClass(...).controller`).
   * @default { namespace: 'ingress-nginx' }
   */
  readonly controller?: NetworkPeer;
  /**
   * TLS through cert-manager: the ClusterIssuer that signs `<name>-tls`. An Ingress needs TLS:
   * this or `tlsSecretName`.
   * @default - `tlsSecretName` must be set
   */
  readonly clusterIssuer?: string;
  /**
   * An existing TLS Secret for the host (instead of a cert-manager certificate).
   * @default - the certificate `clusterIssuer` signs into `<name>-tls`
   */
  readonly tlsSecretName?: string;
  /**
   * Extra annotations for the controller.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Exposure through a Gateway API HTTPRoute attached to an existing Gateway. */
export interface HttpRouteProps {
  /** The Gateway to attach to. */
  readonly gateway: {
    /** Gateway name. */
    readonly name: string;
    /** Gateway namespace. */
    readonly namespace: string;
    /**
     * Where the Gateway's proxy Pods run, admitted by the NetworkPolicy. Implementations differ:
     * Envoy Gateway runs them in its controller namespace (read it from the platform contract:
     * `contract.gateway(...).proxies`).
     * @default { namespace: <the Gateway's namespace> }
     */
    readonly proxies?: NetworkPeer;
    /**
     * Listener name on the Gateway.
     * @default - every listener that admits the route
     */
    readonly sectionName?: string;
  };
  /** Host names the route answers for. */
  readonly hostnames: readonly string[];
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
}

/** Props of {@link WebService}. */
export interface WebServiceProps extends DeploymentProps {
  /** Port the container listens on. */
  readonly port: number;
  /**
   * Name of the main port (IANA style, at most 15 characters).
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Port of the Service.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * More ports, exposed on the Service too.
   * @default - none
   */
  readonly extraPorts?: readonly PortProps[];
  /**
   * Horizontal autoscaling; when set, `spec.replicas` is left to the HPA.
   * @default - fixed `replicas`, no HPA
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Vertical autoscaling: a VerticalPodAutoscaler for the workload (recommendations only by default).
   * @default - no VerticalPodAutoscaler
   */
  readonly verticalScaling?: VerticalScalingProps;
  /**
   * Expose through an Ingress. Mutually exclusive with `route`.
   * @default - not exposed outside the cluster
   */
  readonly ingress?: IngressProps;
  /**
   * Expose through a Gateway API HTTPRoute. Mutually exclusive with `ingress`.
   * @default - not exposed through a Gateway
   */
  readonly route?: HttpRouteProps;
  /**
   * How new versions roll out: a rolling Deployment, an Argo Rollouts canary that shifts traffic on
   * the HTTPRoute step by step, or blue-green (Argo Rollouts, or two Deployments and a Service
   * selecting the active colour). Probes, PDB, spread, NetworkPolicy and HPA apply to every choice.
   * @default { strategy: 'rolling' }
   */
  readonly delivery?: DeliveryProps;
}

/** A canary step: send `weight` percent of traffic to the new version, then wait. */
export interface CanaryStep {
  /** Percent of traffic to the canary (1-100, increasing from step to step). */
  readonly weight: number;
  /**
   * Seconds to wait before the next step.
   * @default - wait for a manual promotion (`kubectl argo rollouts promote`)
   */
  readonly pauseSeconds?: number;
}

/** A Prometheus query that must hold while the canary runs (an Argo Rollouts AnalysisTemplate). */
export interface CanaryAnalysisProps {
  /** Prometheus query endpoint (the platform contract's `monitoring.prometheusUrl`). */
  readonly prometheusUrl: string;
  /** PromQL returning the success rate (0 to 1) of the canary. */
  readonly query: string;
  /**
   * Lowest acceptable success rate.
   * @default 0.99
   */
  readonly minSuccessRate?: number;
  /**
   * Seconds between measurements.
   * @default 60
   */
  readonly intervalSeconds?: number;
}

/** Argo Rollouts canary with traffic split on the HTTPRoute (the gatewayAPI traffic-router plugin). */
export interface CanaryDeliveryProps {
  readonly strategy: 'canary';
  /**
   * Traffic steps.
   * @default 10% for 2 minutes, 50% for 5 minutes, then everything
   */
  readonly steps?: readonly CanaryStep[];
  /**
   * Abort the canary when the success rate drops.
   * @default - no analysis
   */
  readonly analysis?: CanaryAnalysisProps;
}

/** Blue-green: the new colour runs beside the live one until it is switched to. */
export interface BlueGreenDeliveryProps {
  readonly strategy: 'blue-green';
  /** `argo-rollouts`: one Rollout with active and preview Services; `deployments`: two Deployments and a Service selecting the active colour. */
  readonly controller: 'argo-rollouts' | 'deployments';
  /**
   * `deployments`: the colour the Service sends traffic to (switch it to go live).
   * @default 'blue'
   */
  readonly active?: 'blue' | 'green';
  /**
   * `deployments`: image of the inactive colour (the next version, reachable through the preview Service).
   * @default - the same image as the active colour
   */
  readonly previewImage?: string;
  /**
   * `argo-rollouts`: promote the preview once it is healthy, without a manual step.
   * @default false
   */
  readonly autoPromotion?: boolean;
}

/** How a WebService rolls out. */
export type DeliveryProps = { readonly strategy: 'rolling' } | CanaryDeliveryProps | BlueGreenDeliveryProps;

/** The JavaScript shape of each delivery strategy's props (a Record over its keys: a new prop that is not listed fails to compile). */
const DELIVERY_SPECS: Readonly<Record<DeliveryProps['strategy'], ObjectSpec>> = {
  rolling: objectSpec<{ strategy: 'rolling' }>({ strategy: 'string' }, ['strategy']),
  canary: objectSpec<CanaryDeliveryProps>(
    {
      strategy: 'string',
      steps: listOf<CanaryStep>({ weight: 'number', pauseSeconds: 'number' }, ['weight']),
      analysis: objectSpec<CanaryAnalysisProps>({ prometheusUrl: 'string', query: 'string', minSuccessRate: 'number', intervalSeconds: 'number' }, [
        'prometheusUrl',
        'query',
      ]),
    },
    ['strategy'],
  ),
  'blue-green': objectSpec<BlueGreenDeliveryProps>(
    { strategy: 'string', controller: 'string', active: 'string', previewImage: 'string', autoPromotion: 'boolean' },
    ['strategy', 'controller'],
  ),
};

/** Label telling the blue and green Pods apart. */
export const COLOUR_LABEL = 'groundwork.io/colour';
const ROLLOUTS_API = 'argoproj.io/v1alpha1';
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
const DEFAULT_STEPS: readonly CanaryStep[] = [
  { weight: 10, pauseSeconds: 120 },
  { weight: 50, pauseSeconds: 300 },
];

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_WEBSERVICE_PROPS: PropShapes<WebServiceProps> = {
  ...DEPLOYMENT_SHAPES,
  port: 'number',
  portName: 'string',
  servicePort: 'number',
  extraPorts: PORTS_SPEC,
  autoscaling: objectSpec<AutoscalingProps>(
    { minReplicas: 'number', maxReplicas: 'number', cpuUtilization: 'number', memoryUtilization: 'number', scaleDownStabilizationSeconds: 'number' },
    ['minReplicas', 'maxReplicas'],
  ),
  verticalScaling: objectSpec<VerticalScalingProps>({
    updateMode: 'string',
    controlledResources: 'strings',
    minAllowed: objectSpec<VerticalBounds>({ cpu: 'string', memory: 'string' }),
    maxAllowed: objectSpec<VerticalBounds>({ cpu: 'string', memory: 'string' }),
  }),
  ingress: objectSpec<IngressProps>(
    {
      host: 'string',
      path: 'string',
      className: 'string',
      controller: offerSpec<NetworkPeer>(PEER_SHAPES),
      clusterIssuer: 'string',
      tlsSecretName: 'string',
      annotations: 'string-map',
    },
    ['host'],
  ),
  route: objectSpec<HttpRouteProps>(
    {
      // usually the contract's GatewayOffer, passed as it is
      gateway: offerSpec<HttpRouteProps['gateway']>(
        { name: 'string', namespace: 'string', proxies: offerSpec<NetworkPeer>(PEER_SHAPES), sectionName: 'string' },
        ['name', 'namespace'],
      ),
      hostnames: 'strings',
      path: 'string',
    },
    ['gateway', 'hostnames'],
  ),
  // canary and blue-green props differ: validateDelivery checks them by strategy
  delivery: 'object',
};

/**
 * A stateless HTTP service: Deployment, Service, optional Ingress or HTTPRoute, optional HPA,
 * PodDisruptionBudget, NetworkPolicy and ServiceAccount, hardened by default.
 *
 * Role ids (a contract): `Deployment` (or `Rollout`, or `Deployment-blue` and `Deployment-green`),
 * `Service`, `CanaryService`/`PreviewService`, `AnalysisTemplate`, `Ingress`, `HttpRoute`, `Hpa`
 * (`Hpa-blue`, `Hpa-green`), `Vpa` (`Vpa-blue`, `Vpa-green`), `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class WebService extends Workload {
  /** The Deployment (rolling delivery; the active colour's with blue-green Deployments). */
  public readonly deployment?: ApiObject;
  /** The Argo Rollouts Rollout (canary, or blue-green through Argo Rollouts). */
  public readonly rollout?: ApiObject;
  public readonly service: ApiObject;
  public readonly ingress?: ApiObject;
  public readonly route?: ApiObject;
  public readonly hpa?: ApiObject;
  /** The VerticalPodAutoscaler (the active colour's with blue-green Deployments). */
  public readonly vpa?: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;
  /** Port the Service exposes the main port on. */
  public readonly servicePort: number;
  /** Name of the main port (Service and container). */
  public readonly portName: string;
  /** Every port of the container and the Service, the main port first (a ServiceMonitor names one of them). */
  public readonly ports: readonly ResolvedPort[];

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, 'WebService', 'web', props, KNOWN_WEBSERVICE_PROPS);
    const v = this.validator;
    const scaling = props.autoscaling;
    const replicas = props.replicas ?? 2;
    v.check('name', this.name, rules.dns1035Label);
    this.validateReplicas('replicas', props.replicas);
    if (scaling) {
      v.check('autoscaling.minReplicas', scaling.minReplicas, rules.integerBetween(1));
      v.check('autoscaling.maxReplicas', scaling.maxReplicas, rules.integerBetween(1));
      if (scaling.minReplicas > scaling.maxReplicas) {
        v.fail('minReplicas', scaling.minReplicas, `must be <= maxReplicas (${scaling.maxReplicas})`);
      }
      v.check('autoscaling.cpuUtilization', scaling.cpuUtilization, rules.integerBetween(1, 100));
      v.check('autoscaling.memoryUtilization', scaling.memoryUtilization, rules.integerBetween(1, 100));
      v.check('autoscaling.scaleDownStabilizationSeconds', scaling.scaleDownStabilizationSeconds, rules.integerBetween(0, 3600));
    }
    const ports = this.resolvePorts(
      { name: props.portName ?? 'http', containerPort: props.port, servicePort: props.servicePort ?? 80 },
      props.extraPorts ?? [],
    );
    this.servicePort = ports[0].servicePort;
    this.portName = ports[0].name;
    this.ports = ports;
    this.validateProbes(props.probes, true);
    this.validateDisruptionBudget(props.disruptionBudget, scaling?.minReplicas ?? replicas);
    this.validateRollingUpdate(props.rollingUpdate);
    if (props.ingress && props.route) v.fail('ingress', props.ingress.host, 'must not be combined with route: choose an Ingress or a Gateway API HTTPRoute');
    if (props.ingress) {
      v.check('ingress.host', props.ingress.host, rules.ingressHost);
      v.check('ingress.path', props.ingress.path, rules.httpPath);
      // the name of an IngressClass: k8s.io/kubernetes pkg/apis/networking/validation/validation.go ValidateIngressSpec checks
      // spec.ingressClassName with ValidateIngressClassName, which is apimachinery's NameIsDNSSubdomain
      v.check('ingress.className', props.ingress.className, rules.dns1123Subdomain);
      if (props.ingress.controller !== undefined) this.validatePeer('ingress.controller', props.ingress.controller);
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
      if (props.route.gateway.proxies !== undefined) this.validatePeer('route.gateway.proxies', props.route.gateway.proxies);
      if (props.route.hostnames.length === 0) v.fail('route.hostnames', [], 'must list at least one host name');
      props.route.hostnames.forEach((h, i) => v.check(`route.hostnames[${i}]`, h, rules.ingressHost));
      v.check('route.path', props.route.path, rules.httpPath);
    }
    const delivery = props.delivery ?? { strategy: 'rolling' as const };
    this.validateDelivery(delivery, props);
    if (props.verticalScaling) this.validateVerticalScaling(props.verticalScaling, scaling);
    this.validated();

    const effectiveReplicas = scaling ? scaling.minReplicas : replicas;
    const template = this.podTemplate(ports, defaultProbes(props.probes), {
      spec: this.scheduling(props.spread, effectiveReplicas),
    });
    const fixedReplicas = scaling ? undefined : replicas;
    if (delivery.strategy === 'rolling') {
      this.deployment = this.addDeployment(template, fixedReplicas, props.rollingUpdate);
      this.service = this.addService(ports, { type: 'ClusterIP' });
    } else if (delivery.strategy === 'canary') {
      this.service = this.addService(ports, { type: 'ClusterIP' });
      this.addService(ports, { type: 'ClusterIP' }, { id: 'CanaryService', name: `${this.name}-canary` });
      const analysis = delivery.analysis !== undefined ? this.addAnalysis(delivery.analysis) : undefined;
      this.rollout = this.addRollout(template, fixedReplicas, { canary: this.canaryStrategy(delivery, analysis) });
    } else if (delivery.controller === 'argo-rollouts') {
      this.service = this.addService(ports, { type: 'ClusterIP' });
      this.addService(ports, { type: 'ClusterIP' }, { id: 'PreviewService', name: `${this.name}-preview` });
      this.rollout = this.addRollout(template, fixedReplicas, {
        blueGreen: { activeService: this.name, previewService: `${this.name}-preview`, autoPromotionEnabled: delivery.autoPromotion ?? false },
      });
    } else {
      const active = delivery.active ?? 'blue';
      const other = active === 'blue' ? 'green' : 'blue';
      const images = { [active]: props.image, [other]: delivery.previewImage ?? props.image } as Record<'blue' | 'green', string>;
      for (const colour of ['blue', 'green'] as const) {
        const obj = this.addDeployment(colourTemplate(template, colour, images[colour]), fixedReplicas, props.rollingUpdate, {
          id: `Deployment-${colour}`,
          name: `${this.name}-${colour}`,
          selector: { [COLOUR_LABEL]: colour },
        });
        if (colour === active) this.deployment = obj;
      }
      this.service = this.addService(ports, { type: 'ClusterIP' }, { selector: { [COLOUR_LABEL]: active } });
      this.addService(ports, { type: 'ClusterIP' }, { id: 'PreviewService', name: `${this.name}-preview`, selector: { [COLOUR_LABEL]: other } });
    }

    const peers: NetworkPeer[] = [];
    if (props.ingress) {
      this.ingress = this.addIngress(props.ingress);
      peers.push(props.ingress.controller ?? { namespace: 'ingress-nginx' });
    }
    if (props.route) {
      this.route = this.addRoute(props.route, delivery.strategy === 'canary');
      peers.push(props.route.gateway.proxies ?? { namespace: props.route.gateway.namespace });
    }
    if (scaling && delivery.strategy === 'blue-green' && delivery.controller === 'deployments') {
      for (const colour of ['blue', 'green'] as const) {
        const hpa = this.addHpa(scaling, { id: `Hpa-${colour}`, name: `${this.name}-${colour}`, kind: 'Deployment', apiVersion: 'apps/v1' });
        if (colour === (delivery.active ?? 'blue')) this.hpa = hpa;
      }
    } else if (scaling) {
      this.hpa = this.addHpa(scaling, this.rollout ? { kind: 'Rollout', apiVersion: ROLLOUTS_API } : {});
    }
    if (props.verticalScaling) {
      const vertical = props.verticalScaling;
      if (delivery.strategy === 'blue-green' && delivery.controller === 'deployments') {
        for (const colour of ['blue', 'green'] as const) {
          const vpa = this.addVpa(vertical, { id: `Vpa-${colour}`, name: `${this.name}-${colour}`, kind: 'Deployment', apiVersion: 'apps/v1' });
          if (colour === (delivery.active ?? 'blue')) this.vpa = vpa;
        }
      } else {
        this.vpa = this.addVpa(vertical, this.rollout ? { kind: 'Rollout', apiVersion: ROLLOUTS_API } : {});
      }
    }
    this.pdb = this.addDisruptionBudget(props.disruptionBudget);
    this.networkPolicy = this.addNetworkPolicy(ports, peers);
  }

  /**
   * VPA rules: a known update mode, cpu/memory only, valid bounds, and never an acting VPA on a
   * resource the HPA scales on (each would undo the other: the HPA's utilization is relative to
   * the requests the VPA changes).
   */
  private validateVerticalScaling(vs: VerticalScalingProps, scaling: AutoscalingProps | undefined): void {
    const v = this.validator;
    const mode: unknown = vs.updateMode ?? 'Off';
    if (!VERTICAL_UPDATE_MODES.includes(mode as VerticalUpdateMode)) {
      v.fail(
        'verticalScaling.updateMode',
        mode,
        `must be one of ${VERTICAL_UPDATE_MODES.map((m) => `'${m}'`).join(', ')} ('Auto' is deprecated upstream: use 'Recreate')`,
      );
    }
    const controlled = vs.controlledResources ?? ['cpu', 'memory'];
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
      const horizontal = hpaTargets(scaling).map((t) => t.resource);
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

  private addVpa(vs: VerticalScalingProps, target: { id?: string; name?: string; kind?: string; apiVersion?: string }): ApiObject {
    const policy: Record<string, unknown> = { containerName: this.name, controlledResources: [...(vs.controlledResources ?? ['cpu', 'memory'])] };
    if (vs.minAllowed) policy.minAllowed = { ...vs.minAllowed };
    if (vs.maxAllowed) policy.maxAllowed = { ...vs.maxAllowed };
    return new KubeObject(this, target.id ?? 'Vpa', {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: this.metadata({ name: target.name }),
      spec: {
        targetRef: { apiVersion: target.apiVersion ?? 'apps/v1', kind: target.kind ?? 'Deployment', name: target.name ?? this.name },
        updatePolicy: { updateMode: vs.updateMode ?? 'Off' },
        resourcePolicy: { containerPolicies: [policy] },
      },
    });
  }

  private addIngress(ing: IngressProps): ApiObject {
    const annotations: Record<string, string> = { ...ing.annotations };
    if (ing.clusterIssuer !== undefined) annotations['cert-manager.io/cluster-issuer'] = ing.clusterIssuer;
    const spec: Record<string, unknown> = {
      rules: [
        {
          host: ing.host,
          http: { paths: [{ path: ing.path ?? '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { name: this.portName } } } }] },
        },
      ],
    };
    if (ing.className !== undefined) spec.ingressClassName = ing.className;
    spec.tls = [{ hosts: [ing.host], secretName: ing.tlsSecretName ?? `${this.name}-tls` }];
    return new KubeObject(this, 'Ingress', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: this.metadata({ annotations }), spec });
  }

  private addRoute(route: HttpRouteProps, canary: boolean): ApiObject {
    const stable = { group: '', kind: 'Service', name: this.name, port: this.servicePort };
    // with a canary, Argo Rollouts' gatewayAPI plugin moves weight between the two backends
    const backendRefs = canary
      ? [
          { ...stable, weight: 100 },
          { ...stable, name: `${this.name}-canary`, weight: 0 },
        ]
      : [stable];
    const parent: Record<string, unknown> = {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: route.gateway.name,
      namespace: route.gateway.namespace,
    };
    if (route.gateway.sectionName !== undefined) parent.sectionName = route.gateway.sectionName;
    // the plugin's weights must survive the GitOps engine: Argo CD ignores them (argo-cd add-on), and
    // Flux, which cannot ignore fields, creates the route once and leaves it to the plugin after
    return new KubeObject(this, 'HttpRoute', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: this.metadata(canary ? { annotations: FLUX_CREATE_ONLY_ANNOTATION } : {}),
      spec: {
        parentRefs: [parent],
        hostnames: [...route.hostnames],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: route.path ?? '/' } }],
            backendRefs,
          },
        ],
      },
    });
  }

  private validateDelivery(d: DeliveryProps, props: WebServiceProps): void {
    const v = this.validator;
    if (!['rolling', 'canary', 'blue-green'].includes(d.strategy)) {
      v.fail('delivery.strategy', d.strategy, 'must be "rolling", "canary" or "blue-green"');
      return;
    }
    // each strategy's props, by shape: a misspelt field is an error, never silently ignored
    v.checkShape('delivery', d, DELIVERY_SPECS[d.strategy]);
    // the Services a strategy adds are named after the workload: each must be a valid Service name (DNS-1035, at most 63)
    const derived = d.strategy === 'canary' ? [`${this.name}-canary`] : d.strategy === 'blue-green' ? [`${this.name}-preview`] : [];
    for (const name of derived) {
      const problem = rules.dns1035Label(name);
      if (problem !== undefined) v.fail('name', this.name, `derives the Service name "${name}", which ${problem}: shorten the name`);
    }
    if (d.strategy === 'canary') {
      if (props.route === undefined)
        v.fail('delivery', 'canary', "needs route: the canary's traffic share is set on the HTTPRoute (Argo Rollouts gatewayAPI plugin)");
      const steps = d.steps ?? DEFAULT_STEPS;
      if (steps.length === 0) v.fail('delivery.steps', [], 'must list at least one step');
      steps.forEach((st, i) => {
        v.check(`delivery.steps[${i}].weight`, st.weight, rules.integerBetween(1, 100));
        if (i > 0 && st.weight <= steps[i - 1].weight)
          v.fail(
            `delivery.steps[${i}].weight`,
            st.weight,
            `must be greater than the previous step's (${steps[i - 1].weight}): traffic only grows during a canary`,
          );
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
    } else if (d.strategy === 'blue-green') {
      if (d.controller !== 'argo-rollouts' && d.controller !== 'deployments')
        v.fail('delivery.controller', d.controller, 'must be "argo-rollouts" or "deployments"');
      if (d.active !== undefined && d.active !== 'blue' && d.active !== 'green') v.fail('delivery.active', d.active, 'must be "blue" or "green"');
      if (d.controller === 'argo-rollouts' && (d.active !== undefined || d.previewImage !== undefined))
        v.fail('delivery', d.controller, 'active and previewImage apply to controller "deployments": Argo Rollouts tracks the colours itself');
      v.check('delivery.previewImage', d.previewImage, rules.pinnedImage);
      if (d.controller === 'deployments' && this.name.length > 57)
        v.fail('name', this.name, 'must be at most 57 characters with blue-green Deployments (the "-green" suffix)');
    }
  }

  /** The Argo Rollouts canary strategy: stable/canary Services, HTTPRoute traffic routing, steps, analysis. */
  private canaryStrategy(d: CanaryDeliveryProps, analysis: ApiObject | undefined): Record<string, unknown> {
    const steps = (d.steps ?? DEFAULT_STEPS).flatMap((st) => [
      { setWeight: st.weight },
      { pause: st.pauseSeconds !== undefined ? { duration: `${st.pauseSeconds}s` } : {} },
    ]);
    return {
      stableService: this.name,
      canaryService: `${this.name}-canary`,
      // argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi v0.15.0 examples: plugin config names the HTTPRoute and its namespace
      trafficRouting: { plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: this.name, namespace: this.namespace } } },
      steps,
      ...(analysis !== undefined ? { analysis: { templates: [{ templateName: analysis.name }], startingStep: 1 } } : {}),
    };
  }

  private addAnalysis(a: CanaryAnalysisProps): ApiObject {
    const interval = a.intervalSeconds ?? 60;
    return new KubeObject(this, 'AnalysisTemplate', {
      apiVersion: ROLLOUTS_API,
      kind: 'AnalysisTemplate',
      metadata: this.metadata({ name: `${this.name}-success-rate` }),
      spec: {
        metrics: [
          {
            name: 'success-rate',
            interval: `${interval}s`,
            failureLimit: 2,
            successCondition: `len(result) == 0 || result[0] >= ${a.minSuccessRate ?? 0.99}`,
            provider: { prometheus: { address: a.prometheusUrl, query: a.query } },
          },
        ],
      },
    });
  }

  private addRollout(template: Record<string, unknown>, replicas: number | undefined, strategy: Record<string, unknown>): ApiObject {
    const spec: Record<string, unknown> = { selector: { matchLabels: { ...this.selectorLabels } }, revisionHistoryLimit: 5, template, strategy };
    if (replicas !== undefined) spec.replicas = replicas;
    return new KubeObject(this, 'Rollout', { apiVersion: ROLLOUTS_API, kind: 'Rollout', metadata: this.metadata({ podOwner: true }), spec });
  }

  private addHpa(s: AutoscalingProps, target: { id?: string; name?: string; kind?: string; apiVersion?: string } = {}): ApiObject {
    const metrics = hpaTargets(s).map((t) => ({
      type: 'Resource',
      resource: { name: t.resource, target: { type: 'Utilization', averageUtilization: t.utilization } },
    }));
    return new KubeObject(this, target.id ?? 'Hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata({ name: target.name }),
      spec: {
        scaleTargetRef: { apiVersion: target.apiVersion ?? 'apps/v1', kind: target.kind ?? 'Deployment', name: target.name ?? this.name },
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
        metrics,
        behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds ?? 300 } },
      },
    });
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

/** The Pod template of one colour: its label (selected by its Deployment and, when active, the Service) and image. */
function colourTemplate(template: Record<string, unknown>, colour: 'blue' | 'green', image: string): Record<string, unknown> {
  const t = structuredClone(template) as { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } };
  t.metadata.labels[COLOUR_LABEL] = colour;
  t.spec.containers[0].image = image;
  return t;
}
