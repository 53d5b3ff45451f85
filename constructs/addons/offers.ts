/**
 * What add-ons offer the platform (`AddonProvides`), one type per kind of offer. The contract
 * (platform/contract.ts) collects them; they live here, beside the declarations that make them, so
 * that the add-ons need nothing from the platform layer to declare what they provide.
 */

/** Where traffic from a component originates: its namespace and, optionally, its Pods' labels. */
export interface TrafficSource {
  /** Namespace the component's Pods run in. */
  readonly namespace: string;
  /**
   * Labels of the component's Pods (narrows a NetworkPolicy peer to them).
   * @default - every Pod in the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** An IngressClass an ingress controller serves. */
export interface IngressClassOffer {
  /** IngressClass name. */
  readonly name: string;
  /** Whether it is the environment's default entry point. */
  readonly default: boolean;
  /** Where the controller Pods run (admitted by app NetworkPolicies). */
  readonly controller: TrafficSource;
}

/** A listener of a shared Gateway. */
export interface GatewayListenerOffer {
  readonly name: string;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly port: number;
  /** Host (wildcard allowed) the listener accepts; undefined: any. */
  readonly hostname?: string;
}

/** A shared Gateway API Gateway apps attach routes to. */
export interface GatewayOffer {
  readonly name: string;
  readonly namespace: string;
  /** GatewayClass of the Gateway. */
  readonly className: string;
  /** Whether it is the environment's default entry point. */
  readonly default: boolean;
  /** Where the Gateway's proxy Pods run: the source app NetworkPolicies must admit. */
  readonly proxies: TrafficSource;
  readonly listeners: readonly GatewayListenerOffer[];
}

/** A StorageClass available to PersistentVolumeClaims. */
export interface StorageClassOffer {
  readonly name: string;
  /** Marked as the cluster default (claims without a class get it). */
  readonly default: boolean;
}

/** Monitoring stack facts. */
export interface MonitoringOffer {
  /** Namespace of Prometheus, Alertmanager and Grafana. */
  readonly namespace: string;
  /** Where Prometheus scrapes from. */
  readonly prometheus: TrafficSource;
  /** Prometheus' query endpoint inside the cluster (analysis runs query it). */
  readonly prometheusUrl: string;
  /** Labels a ServiceMonitor, PodMonitor or PrometheusRule must carry for Prometheus to select it. */
  readonly monitorLabels: Readonly<Record<string, string>>;
}

/** Progressive delivery (Argo Rollouts) facts. */
export interface ProgressiveDeliveryOffer {
  /** The controller shifts traffic on Gateway API HTTPRoutes (its gatewayAPI traffic-router plugin is configured). */
  readonly gatewayApiTrafficRouting: boolean;
}

/** Service mesh facts. */
export interface MeshOffer {
  readonly engine: 'istio' | 'linkerd';
  /** Control-plane namespace. */
  readonly namespace: string;
  /**
   * The mesh's CNI plugin sets up traffic redirection, so injected Pods need no NET_ADMIN init
   * container and still meet Pod Security `restricted`.
   */
  readonly cni: boolean;
}

/** A ClusterSecretStore and its backend (read from the store object). */
export interface SecretStoreOffer {
  readonly name: string;
  /** The store's `spec.provider` (one backend key: kubernetes, aws, gcpsm, azurekv…). */
  readonly provider: Readonly<Record<string, unknown>>;
}

/** What one add-on offers besides CRDs (issuers and secret stores are read from its companions). */
export interface AddonProvides {
  readonly ingressClasses?: readonly IngressClassOffer[];
  readonly gateways?: readonly GatewayOffer[];
  readonly storageClasses?: readonly StorageClassOffer[];
  readonly monitoring?: MonitoringOffer;
  readonly mesh?: MeshOffer;
  /** Serves the resource metrics API (`metrics.k8s.io`) HPAs read. */
  readonly metricsApi?: boolean;
  /** Runs Argo Rollouts (canary and blue-green). */
  readonly progressiveDelivery?: ProgressiveDeliveryOffer;
  /** Stores traces: where collectors send OTLP. */
  readonly tracing?: TracingOffer;
  /** Stores logs: where Grafana queries them, and as which tenant. */
  readonly logs?: LogsOffer;
  /** Runs the VerticalPodAutoscaler controllers (`autoscaling.k8s.io`). */
  readonly verticalPodAutoscaling?: VerticalPodAutoscalingOffer;
  /** Issues certificates (cert-manager): the ServiceAccount its controller runs as. */
  readonly certificates?: CertificatesOffer;
  /**
   * Services serving metrics the platform's alerts read that no monitor of the add-on's own chart
   * scrapes: the platform's ServiceMonitors select them (platform-monitors.ts).
   */
  readonly metricsServices?: readonly MetricsServiceOffer[];
  /**
   * Pods serving metrics the platform's alerts read whose chart renders no metrics Service for them
   * (and no monitor the platform turns on): the platform's PodMonitors select them (platform-monitors.ts).
   */
  readonly metricsPods?: readonly MetricsPodsOffer[];
  /** Other objects the chart creates that companions refer to by name (e.g. its ServiceAccount). */
  readonly chartObjects?: readonly { readonly kind: string; readonly name: string; readonly namespace?: string }[];
}

/** A metrics Service as the add-on's chart renders it with the add-on's values. */
export interface MetricsServiceOffer {
  /** The Service's name (a monitor selects it by its labels; the name says which one that is). */
  readonly name: string;
  /** Namespace of the Service (the add-on's). */
  readonly namespace: string;
  /** Labels the chart puts on the Service, enough to tell it from the chart's other Services with that port name. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * Label values ruling out other Services that carry `matchLabels` and the port too (a headless twin).
   * @default - none
   */
  readonly notIn?: Readonly<Record<string, readonly string[]>>;
  /** Name of the Service port serving the metrics. */
  readonly port: string;
  /** HTTP path of the metrics. */
  readonly path: string;
}

/** Pods serving metrics on a named container port, as the add-on's chart renders their template. */
export interface MetricsPodsOffer {
  /** What the Pods are (the chart's workload or group of them): the platform's PodMonitor is named after it. */
  readonly name: string;
  /** Namespace of the Pods (the add-on's). */
  readonly namespace: string;
  /** Labels of the Pods' template, enough to tell them from the chart's other Pods with that port name. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * Labels whose value must be one of those listed (several workloads of the chart at once).
   * @default - none
   */
  readonly in?: Readonly<Record<string, readonly string[]>>;
  /** Name of the container port serving the metrics. */
  readonly port: string;
  /** HTTP path of the metrics. */
  readonly path: string;
}

/** The certificate controller (cert-manager). */
export interface CertificatesOffer {
  /** The ServiceAccount its controller runs as: it alone creates CertificateRequests in tenant namespaces. */
  readonly controller: { readonly namespace: string; readonly name: string };
}

/** A tracing backend. */
export interface TracingOffer {
  /** OTLP/gRPC `host:port` inside the cluster. */
  readonly otlpGrpcEndpoint: string;
  /** Namespace the backend runs in. */
  readonly namespace: string;
}

/** A log store (Loki). */
export interface LogsOffer {
  /** Base URL of the query API inside the cluster (`http://loki.logging.svc:3100`). */
  readonly queryUrl: string;
  /** The tenant every request names (`X-Scope-OrgID`); undefined when the store is single-tenant. */
  readonly tenant?: string;
  /** Namespace the store runs in. */
  readonly namespace: string;
}

/** The Vertical Pod Autoscaler. */
export interface VerticalPodAutoscalingOffer {
  /** The updater runs: `Recreate`/`InPlaceOrRecreate` policies act; without it only recommendations are made. */
  readonly updater: boolean;
}
