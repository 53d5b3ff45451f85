/** Shared prop types for workload constructs. */

/** One environment variable. Exactly one of `value`, `fromConfigMap`, `fromSecret` or `fromField`. */
export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly fromConfigMap: KeyRef }
  | { readonly name: string; readonly fromSecret: KeyRef }
  | { readonly name: string; readonly fromField: PodField };

/** A key in a ConfigMap or Secret. */
export interface KeyRef {
  /** Name of the ConfigMap or Secret (e.g. `AppConfig.name` or `ExternalSecret.secretName`). */
  readonly name: string;
  /** Key inside it. */
  readonly key: string;
  /**
   * Whether the Pod may start when the key is missing.
   * @default false
   */
  readonly optional?: boolean;
}

/** Downward-API fields that can feed an environment variable. */
export type PodField =
  | 'metadata.name'
  | 'metadata.namespace'
  | 'metadata.uid'
  | 'spec.nodeName'
  | 'spec.serviceAccountName'
  | 'status.hostIP'
  | 'status.podIP';

/** Every key of a ConfigMap or Secret as environment variables. Exactly one of the two fields. */
export type EnvFrom = { readonly configMap: string } | { readonly secret: string };

/** CPU, memory and ephemeral-storage requests and limits of the main container. */
export interface ResourceProps {
  /**
   * CPU request.
   * @default - '100m', or `cpuLimit` when that is smaller
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit; `false` leaves the container unthrottled (the request still drives scheduling).
   * @default - 1 core, or the request when it is larger
   */
  readonly cpuLimit?: string | false;
  /**
   * Memory request.
   * @default - '128Mi', or `memoryLimit` when that is smaller
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit.
   * @default - equal to the memory request (predictable OOM behaviour)
   */
  readonly memoryLimit?: string;
  /**
   * Ephemeral-storage request (logs, emptyDirs, writable layers).
   * @default - '64Mi', or `ephemeralStorageLimit` when that is smaller
   */
  readonly ephemeralStorageRequest?: string;
  /**
   * Ephemeral-storage limit: a Pod writing past it is evicted instead of filling the node's disk.
   * @default - 1Gi, or the request when it is larger
   */
  readonly ephemeralStorageLimit?: string;
}

/** A container probe. */
export interface ProbeProps {
  /** How the kubelet checks the container. */
  readonly type: 'http' | 'tcp' | 'grpc' | 'exec';
  /**
   * HTTP path (only for `http`).
   * @default '/'
   */
  readonly path?: string;
  /**
   * Port number or name (not for `exec`).
   * @default - the workload's main port
   */
  readonly port?: number | string;
  /**
   * Command run in the container (required for `exec`).
   * @default - none
   */
  readonly command?: readonly string[];
  /**
   * Seconds after start before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default 2
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe fails.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before the probe passes (must be 1 for liveness and startup probes).
   * @default 1
   */
  readonly successThreshold?: number;
}

/** Probes of a long-running workload. `false` opts out of one probe explicitly. */
export interface ProbesProps {
  /**
   * Readiness probe: gates traffic and rolling updates.
   * @default - a TCP check of the main port (workloads with a port); required otherwise
   */
  readonly readiness?: ProbeProps | false;
  /**
   * Liveness probe: restarts a wedged container.
   * @default - a TCP check of the main port every 20 s (workloads with a port); required otherwise
   */
  readonly liveness?: ProbeProps | false;
  /**
   * Startup probe: holds liveness off while a slow app starts.
   * @default - none
   */
  readonly startup?: ProbeProps;
}

/** Pod and container security settings. Defaults meet the Pod Security Standards *restricted* profile. */
export interface SecurityProps {
  /**
   * UID the container runs as (must not be 0).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * GID the container runs as.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default - the runAsGroup
   */
  readonly fsGroup?: number;
  /**
   * Mount the root filesystem read-only. Writable directories come from `writablePaths`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Add the NET_BIND_SERVICE capability (the only one *restricted* allows) to bind ports below 1024.
   * @default false
   */
  readonly allowNetBindService?: boolean;
  /**
   * Seccomp profile: `RuntimeDefault`, or a node-local profile path.
   * @default 'RuntimeDefault'
   */
  readonly seccompProfile?: 'RuntimeDefault' | { readonly localhostProfile: string };
}

/** The workload's own ServiceAccount. */
export interface ServiceAccountProps {
  /**
   * Mount an API token into the Pods. Only workloads that call the Kubernetes API need it.
   * @default false
   */
  readonly automountToken?: boolean;
  /**
   * Annotations, e.g. `eks.amazonaws.com/role-arn` (IRSA) or `iam.gke.io/gcp-service-account`.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A peer allowed to reach a workload. Exactly one selector style per entry. */
export interface NetworkPeer {
  /**
   * Namespace of the peer.
   * @default - the workload's own namespace
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/name` of the peer Pods. Mutually exclusive with `podLabels`.
   * @default - every Pod in `namespace`
   */
  readonly app?: string;
  /**
   * Labels the peer Pods carry (e.g. a Gateway's proxies). Mutually exclusive with `app`.
   * @default - every Pod in `namespace`
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Egress the workload's NetworkPolicy allows when egress is restricted. */
export interface EgressProps {
  /**
   * Peers the Pods may connect to.
   * @default - none
   */
  readonly allowTo?: readonly NetworkPeer[];
  /**
   * IP ranges the Pods may connect to (e.g. a managed database subnet), in CIDR notation.
   * @default - none
   */
  readonly allowCidrs?: readonly string[];
  /**
   * Allow DNS lookups (UDP and TCP 53 to kube-system).
   * @default true
   */
  readonly allowDns?: boolean;
}

/** Ingress and egress rules of the workload's NetworkPolicy. */
export interface NetworkPolicyProps {
  /**
   * Peers allowed to reach the workload's ports, besides the ingress controller.
   * @default - none
   */
  readonly allowFrom?: readonly NetworkPeer[];
  /**
   * Egress: `'unrestricted'` renders an explicit allow-all egress rule (visible and easy to
   * tighten); an object restricts egress to DNS and the listed peers and ranges.
   * @default 'unrestricted'
   */
  readonly egress?: 'unrestricted' | EgressProps;
}

/** Spreading of replicas across failure domains. */
export type SpreadMode = 'required' | 'preferred' | 'off';

/** Topology spread for multi-replica workloads. */
export interface SpreadProps {
  /**
   * Spread across nodes (`kubernetes.io/hostname`).
   * @default 'required'
   */
  readonly nodes?: SpreadMode;
  /**
   * Spread across zones (`topology.kubernetes.io/zone`).
   * @default 'preferred'
   */
  readonly zones?: SpreadMode;
}

/** PodDisruptionBudget settings. */
export interface DisruptionBudgetProps {
  /**
   * Pods that may be evicted at once (count or percentage). Must allow at least one eviction.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
}

/** An extra named port. */
export interface PortProps {
  /** IANA-style port name (at most 15 characters). */
  readonly name: string;
  /** Container port. */
  readonly containerPort: number;
  /**
   * Port exposed on the Service.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Reference to a ConfigMap or Secret mounted as files. */
export interface FileMountProps {
  /** Mount path inside the container. */
  readonly mountPath: string;
  /**
   * ConfigMap name. Exactly one of `configMap` and `secret`.
   * @default - none: `secret` is mounted
   */
  readonly configMap?: string;
  /**
   * Secret name. Exactly one of `configMap` and `secret`.
   * @default - none: `configMap` is mounted
   */
  readonly secret?: string;
}

/** Rolling-update knobs of a Deployment. */
export interface RollingUpdateProps {
  /**
   * Extra Pods during an update (count or percentage).
   * @default '25%'
   */
  readonly maxSurge?: number | string;
  /**
   * Pods that may be unavailable during an update (count or percentage).
   * @default 0
   */
  readonly maxUnavailable?: number | string;
}
