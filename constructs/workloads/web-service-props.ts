/**
 * The props of {@link WebService} (scaling, exposure, delivery) and their JavaScript shapes,
 * checked at run time by `checkWebService` (web-service-spec.ts).
 */
import { listOf, type ObjectSpec, objectSpec, offerSpec, type PropShapes } from '../internal/validator';
import type { NetworkPeer, PortProps } from './types';
import { DEPLOYMENT_SHAPES, type DeploymentProps, PEER_SHAPES, PORTS_SPEC } from './workload-props';

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
export const DELIVERY_SPECS: Readonly<Record<DeliveryProps['strategy'], ObjectSpec>> = {
  rolling: objectSpec<{ strategy: 'rolling' }>({ strategy: 'string' }, ['strategy']),
  canary: objectSpec<CanaryDeliveryProps>(
    {
      strategy: 'string',
      steps: listOf<CanaryStep>({ weight: 'number', pauseSeconds: 'number' }, ['weight']),
      analysis: objectSpec<CanaryAnalysisProps>(
        { prometheusUrl: 'string', query: 'string', minSuccessRate: 'number', intervalSeconds: 'number' },
        ['prometheusUrl', 'query'],
      ),
    },
    ['strategy'],
  ),
  'blue-green': objectSpec<BlueGreenDeliveryProps>(
    { strategy: 'string', controller: 'string', active: 'string', previewImage: 'string', autoPromotion: 'boolean' },
    ['strategy', 'controller'],
  ),
};

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
export const KNOWN_WEBSERVICE_PROPS: PropShapes<WebServiceProps> = {
  ...DEPLOYMENT_SHAPES,
  port: 'number',
  portName: 'string',
  servicePort: 'number',
  extraPorts: PORTS_SPEC,
  autoscaling: objectSpec<AutoscalingProps>(
    {
      minReplicas: 'number',
      maxReplicas: 'number',
      cpuUtilization: 'number',
      memoryUtilization: 'number',
      scaleDownStabilizationSeconds: 'number',
    },
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
