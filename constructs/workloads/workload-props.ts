/**
 * The props every workload construct shares (WorkloadProps, LongRunningProps, DeploymentProps) and
 * their JavaScript shapes, checked at run time by `checkWorkload` (workload-spec.ts).
 */
import { listOf, objectSpec, offerSpec, type PropShapes } from '../internal/validator';
import type {
  DisruptionBudgetProps,
  EgressProps,
  EnvFrom,
  EnvVar,
  FileMountProps,
  NetworkPeer,
  NetworkPolicyProps,
  ProbeProps,
  PortProps,
  ProbesProps,
  ResourceProps,
  RollingUpdateProps,
  SecurityProps,
  ServiceAccountProps,
  SpreadProps,
} from './types';

/** Label key every workload selects its Pods by. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** Props shared by every workload construct. */
export interface WorkloadProps {
  /**
   * Object name (DNS-1123 label) used for the workload, its ServiceAccount and companions.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace (must not be `default`).
   * @default - the enclosing Chart's namespace; one of the two is required
   */
  readonly namespace?: string;
  /**
   * Extra labels on every object and Pod (e.g. `environment`, `team`).
   * @default - only the standard `app.kubernetes.io/*` labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Container image, pinned by tag or digest (never `:latest`). */
  readonly image: string;
  /**
   * When to pull the image.
   * @default - 'IfNotPresent' for digests, 'Always' for tags
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Entrypoint override.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Environment variables. Names that look secret (`*_PASSWORD`, `*_TOKEN`, ...) must come from a Secret.
   * @default - none
   */
  readonly env?: readonly EnvVar[];
  /**
   * ConfigMaps and Secrets whose keys all become environment variables.
   * @default - none
   */
  readonly envFrom?: readonly EnvFrom[];
  /**
   * ConfigMaps and Secrets mounted read-only as files.
   * @default - none
   */
  readonly fileMounts?: readonly FileMountProps[];
  /**
   * Resource requests and limits.
   * @default - 100m CPU and 128Mi memory requested, memory limited to the request
   */
  readonly resources?: ResourceProps;
  /**
   * Security settings.
   * @default - Pod Security Standards restricted: non-root UID 10001, no privilege escalation,
   * all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem
   */
  readonly security?: SecurityProps;
  /**
   * Directories backed by an emptyDir so the app can write despite a read-only root filesystem.
   * @default ['/tmp']
   */
  readonly writablePaths?: readonly string[];
  /**
   * The workload's own ServiceAccount.
   * @default - a ServiceAccount named after the workload with token automount off
   */
  readonly serviceAccount?: ServiceAccountProps;
  /**
   * NetworkPolicy admitting traffic only from the listed peers (and the ingress controller when exposed).
   * `false` opts out: the Pods are then selected by no policy of this construct.
   * @default - a policy that denies all ingress except what the workload declares
   */
  readonly networkPolicy?: NetworkPolicyProps | false;
  /**
   * Seconds a Pod gets to shut down.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * PriorityClass of the Pods.
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
}

/** The spec of a NetworkPeer (where traffic comes from or goes to). */
export const PEER_SHAPES: PropShapes<NetworkPeer> = { namespace: 'string', app: 'string', podLabels: 'string-map' };

/** The spec of a list of extra ports. */
export const PORTS_SPEC = listOf<PortProps>(
  { name: 'string', containerPort: 'number', servicePort: 'number', protocol: 'string' },
  ['name', 'containerPort'],
);

const PROBE_SPEC = objectSpec<ProbeProps>(
  {
    type: 'string',
    path: 'string',
    port: ['number', 'string'],
    command: 'strings',
    initialDelaySeconds: 'number',
    periodSeconds: 'number',
    timeoutSeconds: 'number',
    failureThreshold: 'number',
    successThreshold: 'number',
  },
  ['type'],
);

/** The JavaScript shape of every WorkloadProps prop (checked at run time for JavaScript callers). */
export const WORKLOAD_SHAPES: PropShapes<WorkloadProps> = {
  name: 'string',
  namespace: 'string',
  labels: 'string-map',
  image: 'string',
  imagePullPolicy: 'string',
  command: 'strings',
  args: 'strings',
  // EnvVar and EnvFrom are unions: validateEnv checks each entry's source
  env: 'objects',
  envFrom: 'objects',
  fileMounts: listOf<FileMountProps>({ mountPath: 'string', configMap: 'string', secret: 'string' }, ['mountPath']),
  resources: objectSpec<ResourceProps>({
    cpuRequest: 'string',
    cpuLimit: ['string', 'false'],
    memoryRequest: 'string',
    memoryLimit: 'string',
    ephemeralStorageRequest: 'string',
    ephemeralStorageLimit: 'string',
  }),
  security: objectSpec<SecurityProps>({
    runAsUser: 'number',
    runAsGroup: 'number',
    fsGroup: 'number',
    readOnlyRootFilesystem: 'boolean',
    allowNetBindService: 'boolean',
    seccompProfile: [
      'string',
      objectSpec<{ localhostProfile: string }>({ localhostProfile: 'string' }, ['localhostProfile']),
    ],
  }),
  writablePaths: 'strings',
  serviceAccount: objectSpec<ServiceAccountProps>({ automountToken: 'boolean', annotations: 'string-map' }),
  networkPolicy: [
    objectSpec<NetworkPolicyProps>({
      // peers are often the contract's TrafficSource offers (where the Gateway's proxies or Prometheus run)
      allowFrom: { items: offerSpec<NetworkPeer>(PEER_SHAPES) },
      egress: [
        'string',
        objectSpec<EgressProps>({
          allowTo: { items: offerSpec<NetworkPeer>(PEER_SHAPES) },
          allowCidrs: 'strings',
          allowDns: 'boolean',
        }),
      ],
    }),
    'false',
  ],
  terminationGracePeriodSeconds: 'number',
  priorityClassName: 'string',
};

/** Props shared by long-running workloads (Deployments and StatefulSets). */
export interface LongRunningProps extends WorkloadProps {
  /**
   * Fixed replica count (ignored when autoscaled).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Probes. `false` on a probe opts out of it explicitly.
   * @default - TCP readiness and liveness checks of the main port
   */
  readonly probes?: ProbesProps;
  /**
   * PodDisruptionBudget; `false` opts out.
   * @default - maxUnavailable 1
   */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  /**
   * Topology spread of replicas; `false` opts out.
   * @default - required across nodes, preferred across zones (only with 2 or more replicas)
   */
  readonly spread?: SpreadProps | false;
}

/** Props shared by Deployment-based workloads. */
export interface DeploymentProps extends LongRunningProps {
  /**
   * Rolling-update strategy.
   * @default - maxSurge 25%, maxUnavailable 0
   */
  readonly rollingUpdate?: RollingUpdateProps;
}

/** A port the workload's container listens on, already validated. */
export interface ResolvedPort {
  readonly name: string;
  readonly containerPort: number;
  readonly servicePort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The JavaScript shape of every LongRunningProps prop. */
export const LONG_RUNNING_SHAPES: PropShapes<LongRunningProps> = {
  ...WORKLOAD_SHAPES,
  replicas: 'number',
  probes: objectSpec<ProbesProps>({
    readiness: [PROBE_SPEC, 'false'],
    liveness: [PROBE_SPEC, 'false'],
    startup: PROBE_SPEC,
  }),
  disruptionBudget: [objectSpec<DisruptionBudgetProps>({ maxUnavailable: ['number', 'string'] }), 'false'],
  spread: [objectSpec<SpreadProps>({ nodes: 'string', zones: 'string' }), 'false'],
};

/** The JavaScript shape of every DeploymentProps prop. */
export const DEPLOYMENT_SHAPES: PropShapes<DeploymentProps> = {
  ...LONG_RUNNING_SHAPES,
  rollingUpdate: objectSpec<RollingUpdateProps>({
    maxSurge: ['number', 'string'],
    maxUnavailable: ['number', 'string'],
  }),
};
