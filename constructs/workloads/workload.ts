import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../internal/labels';
import * as rules from '../internal/rules';
import { type HardeningRule, optOutAnnotation } from '../policy/check-manifests';
import { secretInValue, secretLikeName, secretsInArgs } from '../internal/secrets';
import { listOf, objectSpec, offerSpec, type PropShapes, PropsValidator, resolveNamespace, type Spec } from '../internal/validator';
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

type Json = Record<string, unknown>;

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
export const PORTS_SPEC = listOf<PortProps>({ name: 'string', containerPort: 'number', servicePort: 'number', protocol: 'string' }, ['name', 'containerPort']);

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
    seccompProfile: ['string', objectSpec<{ localhostProfile: string }>({ localhostProfile: 'string' }, ['localhostProfile'])],
  }),
  writablePaths: 'strings',
  serviceAccount: objectSpec<ServiceAccountProps>({ automountToken: 'boolean', annotations: 'string-map' }),
  networkPolicy: [
    objectSpec<NetworkPolicyProps>({
      // peers are often the contract's TrafficSource offers (where the Gateway's proxies or Prometheus run)
      allowFrom: { items: offerSpec<NetworkPeer>(PEER_SHAPES) },
      egress: ['string', objectSpec<EgressProps>({ allowTo: { items: offerSpec<NetworkPeer>(PEER_SHAPES) }, allowCidrs: 'strings', allowDns: 'boolean' })],
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

/** The directory an emptyDir makes writable when `writablePaths` is not given. */
const DEFAULT_WRITABLE_PATH = '/tmp';

/** The directory a mount path names: `//` and `/./` collapsed, no trailing `/` (`/data/` and `/data` are one). */
function directoryOf(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return `/${parts.join('/')}`;
}

const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0 };

/**
 * The one shared base of the workload constructs: resolves name, namespace and labels, validates
 * the container props and renders the hardened Pod template and the companion objects
 * (ServiceAccount, NetworkPolicy, PodDisruptionBudget). Subclasses add the controller object.
 */
export abstract class Workload extends Construct {
  /** Object name of the workload and its companions. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Labels that select this workload's Pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels on every object. */
  public readonly labels: Readonly<Record<string, string>>;
  protected readonly validator: PropsValidator;
  private readonly props: WorkloadProps;
  private account?: ApiObject;
  /** Names of the container ports, once resolved (probes may name them). */
  private portNames: readonly string[] = [];

  /** @param shapes the JavaScript shape of every prop of the subclass's props (checked before anything reads them) */
  protected constructor(scope: Construct, id: string, typeName: string, component: string, props: WorkloadProps, shapes: Readonly<Record<string, Spec>>) {
    super(scope, id);
    this.props = props;
    this.validator = new PropsValidator(typeName, this);
    const v = this.validator;
    v.knownProps(props, shapes);

    this.name = props.name ?? id;
    v.check('name', this.name, rules.dns1123Label);
    this.namespace = resolveNamespace(v, this, props.namespace);
    this.selectorLabels = { [NAME_LABEL]: this.name };
    this.labels = {
      ...props.labels,
      [NAME_LABEL]: this.name,
      'app.kubernetes.io/component': component,
      ...MANAGED_BY,
    };

    for (const [k, val] of Object.entries(props.labels ?? {})) {
      v.check('labels key', k, rules.labelKey);
      v.check(`labels[${JSON.stringify(k)}]`, val, rules.labelValue);
    }
    // knownProps refused an image of another type; JavaScript callers may still leave it out
    const image: string | undefined = props.image;
    if (image === undefined) v.fail('image', image, 'is required: an image reference such as "ghcr.io/org/app:1.2.3"');
    else v.check('image', image, rules.pinnedImage);
    this.validateEnv(props.env ?? []);
    for (const field of ['command', 'args'] as const) {
      for (const f of secretsInArgs(props[field] ?? [], field))
        v.fail(f.path, '<redacted>', `looks like a secret (${f.why}): pass it through an env var from a Secret ($(VAR) in args); the value is not shown`);
    }
    this.validateResources(props.resources ?? {});
    this.validateSecurity(props.security ?? {});
    (props.writablePaths ?? []).forEach((p, i) => v.check(`writablePaths[${i}]`, p, rules.absolutePath));
    (props.fileMounts ?? []).forEach((m, i) => {
      v.check(`fileMounts[${i}].mountPath`, m.mountPath, rules.absolutePath);
      if ((m.configMap === undefined) === (m.secret === undefined)) {
        v.fail(`fileMounts[${i}]`, m.mountPath, 'must name exactly one of configMap or secret');
      }
    });
    this.validateMountPaths(props, shapes);
    v.check('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, rules.integerBetween(0));
    if (props.networkPolicy) this.validateNetworkPolicy(props.networkPolicy);
  }

  /** The ServiceAccount the Pods run as (role id `ServiceAccount`). */
  public get serviceAccount(): ApiObject {
    if (!this.account) throw new Error(`${this.node.path}: the ServiceAccount exists only once the props are validated`);
    return this.account;
  }

  /**
   * Throws every problem recorded so far; otherwise creates the ServiceAccount. Subclasses call it
   * once, after their own checks and before creating any object, so invalid props create nothing.
   */
  protected validated(): void {
    this.validator.throwIfInvalid();
    this.account = new KubeObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.metadata({ annotations: this.props.serviceAccount?.annotations }),
      automountServiceAccountToken: this.props.serviceAccount?.automountToken ?? false,
    });
  }

  /** Standard metadata for an object of this workload. */
  protected metadata(extra: { name?: string; annotations?: Readonly<Record<string, string>>; podOwner?: boolean } = {}): Json {
    const meta: Json = { name: extra.name ?? this.name, namespace: this.namespace, labels: { ...this.labels } };
    const annotations = { ...extra.annotations, ...(extra.podOwner ? this.optOuts() : {}) };
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    return meta;
  }

  /**
   * checkManifests opt-outs the props chose explicitly, recorded on the object that owns the Pods
   * with the reason: `networkPolicy.egress.allowDns: false` blocks DNS on purpose.
   */
  private optOuts(): Record<string, string> {
    const p = this.props as WorkloadProps & { probes?: ProbesProps; disruptionBudget?: unknown; spread?: SpreadProps | false };
    const out: Record<string, string> = {};
    const because = (rule: HardeningRule, reason: string): void => {
      out[optOutAnnotation(rule)] = reason;
    };
    if (p.security?.readOnlyRootFilesystem === false) because('read-only-root-filesystem', 'security.readOnlyRootFilesystem: false');
    if (p.probes?.readiness === false || p.probes?.liveness === false) because('probes', 'a probe set to false in props.probes');
    if (p.disruptionBudget === false) because('disruption-budget', 'disruptionBudget: false');
    if (p.spread === false || (p.spread !== undefined && p.spread.nodes === 'off'))
      because('topology-spread', 'spread across nodes turned off in props.spread');
    const np = p.networkPolicy;
    if (np === false) because('network-policy', 'networkPolicy: false');
    else if (typeof np?.egress === 'object' && np.egress.allowDns === false)
      because('network-policy', 'egress without DNS by choice (networkPolicy.egress.allowDns: false)');
    return out;
  }

  /**
   * Every volume mount of the container at a directory of its own: the writable paths (default
   * `/tmp`), the file mounts and the items of any list prop of the subclass that carry a
   * `mountPath` (StatefulService `volumes`). The API server refuses a mountPath repeated in one
   * container (k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateVolumeMounts:
   * `mountpoints.Has(mnt.MountPath)` gives "must be unique"); two spellings of one directory
   * (`/data`, `/data/`) pass that string comparison but mount two volumes over one another.
   */
  private validateMountPaths(props: WorkloadProps, shapes: Readonly<Record<string, Spec>>): void {
    const mounts: { field: string; path: string }[] =
      props.writablePaths === undefined
        ? [{ field: `writablePaths (default ["${DEFAULT_WRITABLE_PATH}"])`, path: DEFAULT_WRITABLE_PATH }]
        : props.writablePaths.map((path, i) => ({ field: `writablePaths[${i}]`, path }));
    for (const [key, spec] of Object.entries(shapes)) {
      if (typeof spec !== 'object' || !('items' in spec) || !('mountPath' in spec.items.fields)) continue;
      const list: unknown = (props as unknown as Record<string, unknown>)[key];
      if (!Array.isArray(list)) continue;
      list.forEach((item: { mountPath?: unknown }, i) => {
        if (typeof item.mountPath === 'string') mounts.push({ field: `${key}[${i}].mountPath`, path: item.mountPath });
      });
    }
    const seen = new Map<string, { field: string; path: string }>();
    for (const m of mounts) {
      const dir = directoryOf(m.path);
      const first = seen.get(dir);
      if (first === undefined) {
        seen.set(dir, m);
        continue;
      }
      const spelling = first.path === m.path ? '' : ', the same directory';
      const hint = props.writablePaths === undefined && first === mounts[0] ? '; set writablePaths to make another directory writable' : '';
      this.validator.fail(
        m.field,
        m.path,
        `must not repeat a mount path: ${first.field} mounts ${JSON.stringify(first.path)} already${spelling} (each volume mount of a container needs a path of its own${hint})`,
      );
    }
  }

  /** Validates probe props; without a port, readiness and liveness must be given or explicitly set to false. */
  protected validateProbes(probes: ProbesProps | undefined, hasPort: boolean): void {
    const v = this.validator;
    for (const which of ['readiness', 'liveness', 'startup'] as const) {
      const p = probes?.[which];
      if (p === undefined) {
        if (which !== 'startup' && !hasPort) {
          v.fail(`probes.${which}`, p, 'must be given (e.g. an exec probe) or set to false explicitly: the workload has no port to check');
        }
        continue;
      }
      if (p === false) continue;
      this.validateProbe(`probes.${which}`, p, which !== 'readiness', hasPort);
    }
  }

  private validateProbe(field: string, p: ProbeProps, singleSuccess: boolean, hasPort: boolean): void {
    const v = this.validator;
    const type: unknown = p.type;
    if (!PROBE_TYPES.includes(type as ProbeProps['type'])) v.fail(`${field}.type`, type, `must be one of ${PROBE_TYPES.map((t) => `'${t}'`).join(', ')}`);
    if (typeof p.port === 'string' && !this.portNames.includes(p.port)) {
      v.fail(
        `${field}.port`,
        p.port,
        this.portNames.length > 0
          ? `must name one of the workload's ports (${this.portNames.join(', ')})`
          : 'names a port, but the workload declares none: use a number',
      );
    }
    v.check(`${field}.initialDelaySeconds`, p.initialDelaySeconds, rules.integerBetween(0));
    for (const key of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const) {
      v.check(`${field}.${key}`, p[key], rules.integerBetween(1));
    }
    if (singleSuccess && p.successThreshold !== undefined && p.successThreshold !== 1) {
      v.fail(`${field}.successThreshold`, p.successThreshold, 'must be 1 for liveness and startup probes');
    }
    if (p.type === 'exec' && (p.command === undefined || p.command.length === 0)) {
      v.fail(`${field}.command`, p.command, 'must be a non-empty command for an exec probe');
    }
    if (p.type === 'http') v.check(`${field}.path`, p.path, rules.httpPath);
    if (p.type !== 'exec' && p.port === undefined && !hasPort) {
      v.fail(`${field}.port`, p.port, `must be set for a ${p.type} probe: the workload has no main port`);
    }
    if (typeof p.port === 'number') v.check(`${field}.port`, p.port, rules.port);
    if (p.type === 'grpc' && typeof p.port !== 'number') v.fail(`${field}.port`, p.port, 'must be a port number for a grpc probe');
  }

  /** Validates and resolves the main port plus extra ports; checks for duplicate names and numbers. */
  protected resolvePorts(main: { name: string; containerPort: number; servicePort: number } | undefined, extra: readonly PortProps[]): ResolvedPort[] {
    const v = this.validator;
    const ports: ResolvedPort[] = [];
    // JavaScript callers may leave the main port out: without it the container declares no port and the Service targets none
    const mainPort: number | undefined = main?.containerPort;
    if (main && mainPort === undefined) v.fail('port', mainPort, 'is required: the port the container listens on, an integer between 1 and 65535');
    if (main) ports.push({ ...main, protocol: 'TCP' });
    for (const p of extra)
      ports.push({ name: p.name, containerPort: p.containerPort, servicePort: p.servicePort ?? p.containerPort, protocol: p.protocol ?? 'TCP' });
    ports.forEach((p, i) => {
      const field = main && i === 0 ? 'port' : `ports[${main ? i - 1 : i}]`;
      v.check(`${field === 'port' ? 'portName' : `${field}.name`}`, p.name, rules.portName);
      v.check(`${field === 'port' ? 'port' : `${field}.containerPort`}`, p.containerPort, rules.port);
      v.check(`${field === 'port' ? 'servicePort' : `${field}.servicePort`}`, p.servicePort, rules.port);
    });
    v.check(
      'ports (names)',
      ports.map((p) => p.name),
      rules.unique<string>('port names'),
    );
    v.check(
      'ports (container ports)',
      ports.map((p) => `${p.containerPort}/${p.protocol}`),
      rules.unique<string>('container port numbers'),
    );
    v.check(
      'ports (service ports)',
      ports.map((p) => `${p.servicePort}/${p.protocol}`),
      rules.unique<string>('service port numbers'),
    );
    this.portNames = ports.map((p) => p.name);
    return ports;
  }

  /** Validates a replica count (integer >= 0). */
  protected validateReplicas(field: string, value: number | undefined): void {
    this.validator.check(field, value, rules.integerBetween(0));
  }

  /** Validates rolling-update knobs: each a count or percentage, and not both zero. */
  protected validateRollingUpdate(ru: RollingUpdateProps | undefined): void {
    if (ru === undefined) return;
    const v = this.validator;
    v.check('rollingUpdate.maxSurge', ru.maxSurge, (x) => rules.percentOrCount(x));
    v.check('rollingUpdate.maxUnavailable', ru.maxUnavailable, (x) => rules.percentOrCount(x));
    const isZero = (x: number | string): boolean => x === 0 || x === '0%';
    if (isZero(ru.maxSurge ?? '25%') && isZero(ru.maxUnavailable ?? 0)) {
      v.fail(
        'rollingUpdate',
        `maxSurge ${ru.maxSurge ?? '25%'}, maxUnavailable ${ru.maxUnavailable ?? 0}`,
        'must allow progress: maxSurge and maxUnavailable cannot both be 0',
      );
    }
  }

  /**
   * Adds a Deployment (role id `Deployment`, or `as.id`); `replicas` undefined leaves scaling to an
   * HPA. `as` renames it and narrows its selector (blue-green colours).
   */
  protected addDeployment(
    template: Json,
    replicas: number | undefined,
    ru: RollingUpdateProps | undefined,
    as: { id: string; name: string; selector: Readonly<Record<string, string>> } | undefined = undefined,
  ): ApiObject {
    const spec: Json = {
      selector: { matchLabels: { ...this.selectorLabels, ...as?.selector } },
      revisionHistoryLimit: 5,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: ru?.maxSurge ?? '25%', maxUnavailable: ru?.maxUnavailable ?? 0 },
      },
      template,
    };
    if (replicas !== undefined) spec.replicas = replicas;
    return new KubeObject(this, as?.id ?? 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.metadata({ name: as?.name, podOwner: true }),
      spec,
    });
  }

  /** Validates the disruption budget against the smallest replica count it must allow evictions for. */
  protected validateDisruptionBudget(pdb: DisruptionBudgetProps | false | undefined, minReplicas: number): void {
    if (pdb === false || pdb?.maxUnavailable === undefined) return;
    this.validator.check('disruptionBudget.maxUnavailable', pdb.maxUnavailable, (value) => {
      const problem = rules.percentOrCount(value, 1);
      if (problem) return `${problem} so that node drains can evict Pods`;
      return typeof value === 'number' && minReplicas > 0 && value > minReplicas ? `must be <= the replica count (${minReplicas})` : undefined;
    });
  }

  private validateEnv(env: readonly EnvVar[]): void {
    const v = this.validator;
    env.forEach((e, i) => {
      v.check(`env[${i}].name`, e.name, rules.envName);
      const sources = ['value', 'fromConfigMap', 'fromSecret', 'fromField'].filter((k) => k in e);
      if (sources.length !== 1) v.fail(`env[${i}]`, e.name, 'must have exactly one of value, fromConfigMap, fromSecret or fromField');
      if ('value' in e && typeof e.value !== 'string') v.failType(`env[${i}].value`, e.value, 'must be a string (quote numbers and booleans)');
      for (const ref of ['fromConfigMap', 'fromSecret'] as const) {
        const source: unknown = (e as Record<string, unknown>)[ref];
        if (ref in e && (typeof source !== 'object' || source === null)) v.failType(`env[${i}].${ref}`, source, 'must be { name, key }');
      }
      if ('value' in e && (secretLikeName(e.name) || (typeof e.value === 'string' && secretInValue(e.value) !== undefined))) {
        const why = secretLikeName(e.name) ? `a literal for ${e.name}` : (secretInValue(String(e.value)) ?? '');
        v.fail(
          `env[${i}].value`,
          '<redacted>',
          `looks like a secret (${why}): use fromSecret (an existing Secret or an ExternalSecret); the value is not shown`,
        );
      }
      if ('fromConfigMap' in e) v.check(`env[${i}].fromConfigMap.name`, e.fromConfigMap.name, rules.dns1123Subdomain);
      if ('fromSecret' in e) v.check(`env[${i}].fromSecret.name`, e.fromSecret.name, rules.dns1123Subdomain);
    });
    v.check(
      'env (names)',
      env.map((e) => e.name),
      rules.unique<string>('environment variable names'),
    );
  }

  private validateResources(r: ResourceProps): void {
    const v = this.validator;
    v.check('resources.cpuRequest', r.cpuRequest, rules.cpuQuantity);
    if (r.cpuLimit !== false) v.check('resources.cpuLimit', r.cpuLimit, rules.cpuQuantity);
    v.check('resources.memoryRequest', r.memoryRequest, rules.bytesQuantity);
    v.check('resources.memoryLimit', r.memoryLimit, rules.bytesQuantity);
    v.check('resources.ephemeralStorageRequest', r.ephemeralStorageRequest, rules.bytesQuantity);
    v.check('resources.ephemeralStorageLimit', r.ephemeralStorageLimit, rules.bytesQuantity);
    // explicit limits only: defaults are derived so that they never sit below the request
    if (typeof r.cpuLimit === 'string') v.check('resources.cpuRequest', r.cpuRequest, (q) => rules.requestWithinLimit(q, r.cpuLimit as string));
    v.check('resources.memoryRequest', r.memoryRequest, (q) => rules.requestWithinLimit(q, r.memoryLimit));
    v.check('resources.ephemeralStorageRequest', r.ephemeralStorageRequest, (q) => rules.requestWithinLimit(q, r.ephemeralStorageLimit));
  }

  private validateSecurity(s: SecurityProps): void {
    const v = this.validator;
    v.check('security.runAsUser', s.runAsUser, rules.integerBetween(1));
    v.check('security.runAsGroup', s.runAsGroup, rules.integerBetween(0));
    v.check('security.fsGroup', s.fsGroup, rules.integerBetween(0));
  }

  private validateNetworkPolicy(np: NetworkPolicyProps): void {
    const v = this.validator;
    const peers = (field: string, list: readonly NetworkPeer[]): void => list.forEach((p, i) => this.validatePeer(`${field}[${i}]`, p));
    peers('networkPolicy.allowFrom', np.allowFrom ?? []);
    if (typeof np.egress === 'object') {
      peers('networkPolicy.egress.allowTo', np.egress.allowTo ?? []);
      (np.egress.allowCidrs ?? []).forEach((c, i) => v.check(`networkPolicy.egress.allowCidrs[${i}]`, c, rules.cidr));
    }
  }

  /** Validates one NetworkPolicy peer (namespace, app or Pod labels). */
  protected validatePeer(field: string, p: NetworkPeer): void {
    const v = this.validator;
    v.check(`${field}.namespace`, p.namespace, rules.dns1123Label);
    v.check(`${field}.app`, p.app, rules.dns1123Label);
    if (p.app !== undefined && p.podLabels !== undefined) v.fail(`${field}.podLabels`, p.podLabels, 'must not be combined with app: choose one Pod selector');
    for (const [k, val] of Object.entries(p.podLabels ?? {})) {
      v.check(`${field}.podLabels key`, k, rules.labelKey);
      v.check(`${field}.podLabels[${JSON.stringify(k)}]`, val, rules.labelValue);
    }
  }

  /**
   * Renders the hardened Pod template. Call after `validated()`.
   * @param ports container ports
   * @param probes resolved probes (long-running workloads) or undefined (jobs)
   * @param extra pod-spec fields the subclass adds (restartPolicy, spread, volumes)
   */
  protected podTemplate(ports: readonly ResolvedPort[], probes: ProbesProps | undefined, extra: { spec?: Json; volumeMounts?: Json[] } = {}): Json {
    const p = this.props;
    const sec = p.security ?? {};
    const res = p.resources ?? {};
    const runAsGroup = sec.runAsGroup ?? 10001;
    const { requests, limits } = resolveResources(res);

    const volumes: Json[] = [];
    const mounts: Json[] = [...(extra.volumeMounts ?? [])];
    (p.writablePaths ?? [DEFAULT_WRITABLE_PATH]).forEach((path, i) => {
      volumes.push({ name: `writable-${i}`, emptyDir: { sizeLimit: '256Mi' } });
      mounts.push({ name: `writable-${i}`, mountPath: path });
    });
    (p.fileMounts ?? []).forEach((m, i) => {
      volumes.push(
        m.configMap !== undefined ? { name: `files-${i}`, configMap: { name: m.configMap } } : { name: `files-${i}`, secret: { secretName: m.secret } },
      );
      mounts.push({ name: `files-${i}`, mountPath: m.mountPath, readOnly: true });
    });

    const container: Json = {
      name: this.name,
      image: p.image,
      imagePullPolicy: p.imagePullPolicy ?? (p.image.includes('@') ? 'IfNotPresent' : 'Always'),
      resources: { requests, limits },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: sec.readOnlyRootFilesystem ?? true,
        capabilities: sec.allowNetBindService ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } : { drop: ['ALL'] },
      },
    };
    if (p.command) container.command = [...p.command];
    if (p.args) container.args = [...p.args];
    if (ports.length > 0) container.ports = ports.map((x) => ({ name: x.name, containerPort: x.containerPort, protocol: x.protocol }));
    if (p.env && p.env.length > 0) container.env = p.env.map(renderEnv);
    if (p.envFrom && p.envFrom.length > 0) {
      container.envFrom = p.envFrom.map((e) => ('configMap' in e ? { configMapRef: { name: e.configMap } } : { secretRef: { name: e.secret } }));
    }
    if (mounts.length > 0) container.volumeMounts = mounts;
    if (probes) {
      const mainPort = ports[0]?.name;
      if (probes.readiness) container.readinessProbe = renderProbe(probes.readiness, mainPort);
      if (probes.liveness) container.livenessProbe = renderProbe(probes.liveness, mainPort);
      if (probes.startup) container.startupProbe = renderProbe(probes.startup, mainPort);
    }

    const seccompProfile =
      typeof sec.seccompProfile === 'object' ? { type: 'Localhost', localhostProfile: sec.seccompProfile.localhostProfile } : { type: 'RuntimeDefault' };
    const spec: Json = {
      serviceAccountName: this.name,
      automountServiceAccountToken: p.serviceAccount?.automountToken ?? false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: sec.runAsUser ?? 10001,
        runAsGroup,
        fsGroup: sec.fsGroup ?? runAsGroup,
        seccompProfile,
      },
      containers: [container],
      ...extra.spec,
    };
    if (p.priorityClassName !== undefined) spec.priorityClassName = p.priorityClassName;
    if (volumes.length > 0 || extra.spec?.volumes) spec.volumes = [...volumes, ...((extra.spec?.volumes as Json[] | undefined) ?? [])];
    return { metadata: { labels: { ...this.labels } }, spec };
  }

  /**
   * Scheduling for `replicas` Pods: topology spread constraints, plus a preferred host
   * anti-affinity when spreading across nodes (schedulers and linters that read only
   * anti-affinity see the intent too). Nothing below 2 replicas or when opted out.
   */
  /**
   * Spread across nodes and zones. Every constraint honours node taints (`nodeTaintsPolicy: Honor`:
   * nodes the Pods cannot run on, such as a tainted control plane, are no domain a required spread
   * waits for) and, for workloads that roll out ReplicaSets, counts only Pods of the same revision
   * (`matchLabelKeys`: Deployments label Pods `pod-template-hash`, Argo Rollouts
   * `rollouts-pod-template-hash`; keys a Pod lacks are ignored), so a rolling update is never
   * blocked by the old revision's Pods.
   */
  protected scheduling(
    spread: SpreadProps | false | undefined,
    replicas: number,
    revisionLabels: readonly string[] = ['pod-template-hash', 'rollouts-pod-template-hash'],
  ): Json {
    if (spread === false || replicas < 2) return {};
    const constraints: Json[] = [];
    const add = (mode: 'required' | 'preferred' | 'off', topologyKey: string): void => {
      if (mode === 'off') return;
      const constraint: Json = {
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: mode === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...this.selectorLabels } },
        nodeTaintsPolicy: 'Honor',
      };
      if (revisionLabels.length > 0) constraint.matchLabelKeys = [...revisionLabels];
      constraints.push(constraint);
    };
    const nodes = spread?.nodes ?? 'required';
    add(nodes, 'kubernetes.io/hostname');
    add(spread?.zones ?? 'preferred', 'topology.kubernetes.io/zone');
    const out: Json = {};
    if (constraints.length > 0) out.topologySpreadConstraints = constraints;
    if (nodes !== 'off') {
      out.affinity = {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...this.selectorLabels } } },
            },
          ],
        },
      };
    }
    return out;
  }

  /**
   * Adds a Service (role id `Service`, or `as.id`) selecting the Pods (narrowed by `as.selector`),
   * each port targeting its named container port.
   */
  protected addService(
    ports: readonly ResolvedPort[],
    spec: Json,
    as: { id?: string; name?: string; selector?: Readonly<Record<string, string>> } = {},
  ): ApiObject {
    return new KubeObject(this, as.id ?? 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata({ name: as.name }),
      spec: {
        ...spec,
        selector: { ...this.selectorLabels, ...as.selector },
        ports: ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol })),
      },
    });
  }

  /** Adds the PodDisruptionBudget (role id `Pdb`) unless opted out. */
  protected addDisruptionBudget(pdb: DisruptionBudgetProps | false | undefined): ApiObject | undefined {
    if (pdb === false) return undefined;
    return new KubeObject(this, 'Pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this.metadata(),
      spec: {
        maxUnavailable: pdb?.maxUnavailable ?? 1,
        selector: { matchLabels: { ...this.selectorLabels } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }

  /**
   * Adds the NetworkPolicy (role id `NetworkPolicy`): denies all ingress to the Pods except
   * `ports` from the declared peers plus `extraPeers` (e.g. the ingress controller's namespace).
   */
  protected addNetworkPolicy(ports: readonly ResolvedPort[], extraPeers: readonly NetworkPeer[] = []): ApiObject | undefined {
    const np = this.props.networkPolicy;
    if (np === false) return undefined;
    const peers = [...extraPeers, ...(np?.allowFrom ?? [])];
    const ingress =
      peers.length > 0 && ports.length > 0
        ? [{ from: peers.map((peer) => this.renderPeer(peer)), ports: ports.map((x) => ({ port: x.containerPort, protocol: x.protocol })) }]
        : [];
    return new KubeObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this.metadata(),
      spec: {
        podSelector: { matchLabels: { ...this.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        egress: this.egressRules(np?.egress ?? 'unrestricted'),
      },
    });
  }

  private egressRules(egress: 'unrestricted' | EgressProps): Json[] {
    if (egress === 'unrestricted') return [{}];
    const out: Json[] = [];
    if (egress.allowDns ?? true) {
      out.push({
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      });
    }
    if ((egress.allowTo ?? []).length > 0) out.push({ to: (egress.allowTo ?? []).map((peer) => this.renderPeer(peer)) });
    if ((egress.allowCidrs ?? []).length > 0) out.push({ to: (egress.allowCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })) });
    return out;
  }

  private renderPeer(peer: NetworkPeer): Json {
    const out: Json = {};
    if (peer.namespace !== undefined && peer.namespace !== this.namespace) {
      out.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } };
    }
    if (peer.app !== undefined) out.podSelector = { matchLabels: { [NAME_LABEL]: peer.app } };
    if (peer.podLabels !== undefined && Object.keys(peer.podLabels).length > 0) out.podSelector = { matchLabels: { ...peer.podLabels } };
    if (out.podSelector === undefined && out.namespaceSelector === undefined) out.podSelector = {};
    return out;
  }
}

function renderEnv(e: EnvVar): Json {
  if ('value' in e) return { name: e.name, value: e.value };
  if ('fromConfigMap' in e)
    return {
      name: e.name,
      valueFrom: { configMapKeyRef: { name: e.fromConfigMap.name, key: e.fromConfigMap.key, optional: e.fromConfigMap.optional ?? false } },
    };
  if ('fromSecret' in e)
    return { name: e.name, valueFrom: { secretKeyRef: { name: e.fromSecret.name, key: e.fromSecret.key, optional: e.fromSecret.optional ?? false } } };
  return { name: e.name, valueFrom: { fieldRef: { fieldPath: e.fromField } } };
}

function renderProbe(p: ProbeProps, mainPort: string | undefined): Json {
  const port = p.port ?? mainPort;
  const out: Json = {
    initialDelaySeconds: p.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: p.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: p.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    failureThreshold: p.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
    successThreshold: p.successThreshold ?? PROBE_DEFAULTS.successThreshold,
  };
  switch (p.type) {
    case 'http':
      out.httpGet = { path: p.path ?? '/', port };
      break;
    case 'tcp':
      out.tcpSocket = { port };
      break;
    case 'grpc':
      out.grpc = { port };
      break;
    case 'exec':
      out.exec = { command: [...(p.command ?? [])] };
      break;
  }
  return out;
}

/**
 * Default probes for a workload with a main port: TCP readiness every 10 s and a slower TCP
 * liveness check every 20 s (distinct probes: a slow dependency marks the Pod unready long
 * before it is restarted).
 */
export function defaultProbes(probes: ProbesProps | undefined): ProbesProps {
  return {
    readiness: probes?.readiness ?? { type: 'tcp' },
    liveness: probes?.liveness ?? { type: 'tcp', periodSeconds: 20 },
    startup: probes?.startup,
  };
}

/** The larger of two quantities (as written). */
/** The smaller of two quantities (as written). */
function smaller(a: string, b: string): string {
  return (rules.parseQuantity(a) ?? 0) <= (rules.parseQuantity(b) ?? 0) ? a : b;
}

function larger(a: string, b: string): string {
  return (rules.parseQuantity(a) ?? 0) >= (rules.parseQuantity(b) ?? 0) ? a : b;
}

const PROBE_TYPES: readonly ProbeProps['type'][] = ['http', 'tcp', 'exec', 'grpc'];

/** Requests and limits with defaults resolved: limits default to a ceiling but never below the request. */
export function resolveResources(r: ResourceProps): { requests: Json; limits: Json } {
  // a default request never exceeds a limit given alone (the API server refuses request > limit)
  const cpuRequest = r.cpuRequest ?? (typeof r.cpuLimit === 'string' ? smaller('100m', r.cpuLimit) : '100m');
  const memoryRequest = r.memoryRequest ?? (r.memoryLimit !== undefined ? smaller('128Mi', r.memoryLimit) : '128Mi');
  const ephemeralRequest = r.ephemeralStorageRequest ?? (r.ephemeralStorageLimit !== undefined ? smaller('64Mi', r.ephemeralStorageLimit) : '64Mi');
  const requests: Json = { cpu: cpuRequest, memory: memoryRequest, 'ephemeral-storage': ephemeralRequest };
  const limits: Json = {
    memory: r.memoryLimit ?? memoryRequest,
    'ephemeral-storage': r.ephemeralStorageLimit ?? larger(ephemeralRequest, '1Gi'),
  };
  if (r.cpuLimit !== false) limits.cpu = r.cpuLimit ?? larger(cpuRequest, '1');
  return { requests, limits };
}

/** The JavaScript shape of every LongRunningProps prop. */
export const LONG_RUNNING_SHAPES: PropShapes<LongRunningProps> = {
  ...WORKLOAD_SHAPES,
  replicas: 'number',
  probes: objectSpec<ProbesProps>({ readiness: [PROBE_SPEC, 'false'], liveness: [PROBE_SPEC, 'false'], startup: PROBE_SPEC }),
  disruptionBudget: [objectSpec<DisruptionBudgetProps>({ maxUnavailable: ['number', 'string'] }), 'false'],
  spread: [objectSpec<SpreadProps>({ nodes: 'string', zones: 'string' }), 'false'],
};

/** The JavaScript shape of every DeploymentProps prop. */
export const DEPLOYMENT_SHAPES: PropShapes<DeploymentProps> = {
  ...LONG_RUNNING_SHAPES,
  rollingUpdate: objectSpec<RollingUpdateProps>({ maxSurge: ['number', 'string'], maxUnavailable: ['number', 'string'] }),
};
