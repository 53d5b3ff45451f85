/**
 * The checks of workload props, pure: each records its problems on the PropsValidator it is given
 * (same fields, messages and order as the construct has always reported them) and reads nothing else.
 */
import * as rules from '../internal/rules';
import { secretInValue, secretLikeName } from '../internal/secrets';
import { checkLabels, type PropsValidator, type Spec } from '../internal/validator';
import type { ResolvedPort, WorkloadProps } from './workload-props';
import type {
  DisruptionBudgetProps,
  EnvVar,
  NetworkPeer,
  NetworkPolicyProps,
  PortProps,
  ProbeProps,
  ProbesProps,
  ResourceProps,
  RollingUpdateProps,
  SecurityProps,
} from './types';

/** The directory an emptyDir makes writable when `writablePaths` is not given. */
export const DEFAULT_WRITABLE_PATH = '/tmp';

const PROBE_TYPES: readonly ProbeProps['type'][] = ['http', 'tcp', 'exec', 'grpc'];

/** The directory a mount path names: `//` and `/./` collapsed, no trailing `/` (`/data/` and `/data` are one). */
function directoryOf(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return `/${parts.join('/')}`;
}

/**
 * Every volume mount of the container at a directory of its own: the writable paths (default
 * `/tmp`), the file mounts and the items of any list prop of the subclass that carry a
 * `mountPath` (StatefulService `volumes`). The API server refuses a mountPath repeated in one
 * container (k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateVolumeMounts:
 * `mountpoints.Has(mnt.MountPath)` gives "must be unique"); two spellings of one directory
 * (`/data`, `/data/`) pass that string comparison but mount two volumes over one another.
 */
export function validateMountPaths(
  v: PropsValidator,
  props: WorkloadProps,
  shapes: Readonly<Record<string, Spec>>,
): void {
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
    const hint =
      props.writablePaths === undefined && first === mounts[0]
        ? '; set writablePaths to make another directory writable'
        : '';
    v.fail(
      m.field,
      m.path,
      `must not repeat a mount path: ${first.field} mounts ${JSON.stringify(first.path)} already${spelling} (each volume mount of a container needs a path of its own${hint})`,
    );
  }
}

/** Validates probe props; without a port, readiness and liveness must be given or explicitly set to false. `portNames` may be named by a probe. */
export function validateProbes(
  v: PropsValidator,
  probes: ProbesProps | undefined,
  hasPort: boolean,
  portNames: readonly string[],
): void {
  for (const which of ['readiness', 'liveness', 'startup'] as const) {
    const p = probes?.[which];
    if (p === undefined) {
      if (which !== 'startup' && !hasPort) {
        v.fail(
          `probes.${which}`,
          p,
          'must be given (e.g. an exec probe) or set to false explicitly: the workload has no port to check',
        );
      }
      continue;
    }
    if (p === false) continue;
    validateProbe(v, `probes.${which}`, p, which !== 'readiness', hasPort, portNames);
  }
}

function validateProbe(
  v: PropsValidator,
  field: string,
  p: ProbeProps,
  singleSuccess: boolean,
  hasPort: boolean,
  portNames: readonly string[],
): void {
  const type: unknown = p.type;
  if (!PROBE_TYPES.includes(type as ProbeProps['type']))
    v.fail(`${field}.type`, type, `must be one of ${PROBE_TYPES.map((t) => `'${t}'`).join(', ')}`);
  if (typeof p.port === 'string' && !portNames.includes(p.port)) {
    v.fail(
      `${field}.port`,
      p.port,
      portNames.length > 0
        ? `must name one of the workload's ports (${portNames.join(', ')})`
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
  if (p.type === 'grpc' && typeof p.port !== 'number')
    v.fail(`${field}.port`, p.port, 'must be a port number for a grpc probe');
}

/** Validates and resolves the main port plus extra ports; checks for duplicate names and numbers. */
export function resolvePorts(
  v: PropsValidator,
  main: { name: string; containerPort: number; servicePort: number } | undefined,
  extra: readonly PortProps[],
): ResolvedPort[] {
  const ports: ResolvedPort[] = [];
  // JavaScript callers may leave the main port out: without it the container declares no port and the Service targets none
  const mainPort: number | undefined = main?.containerPort;
  if (main && mainPort === undefined)
    v.fail('port', mainPort, 'is required: the port the container listens on, an integer between 1 and 65535');
  if (main) ports.push({ ...main, protocol: 'TCP' });
  for (const p of extra)
    ports.push({
      name: p.name,
      containerPort: p.containerPort,
      servicePort: p.servicePort ?? p.containerPort,
      protocol: p.protocol ?? 'TCP',
    });
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
  return ports;
}

/** Validates rolling-update knobs: each a count or percentage, and not both zero. */
export function validateRollingUpdate(v: PropsValidator, ru: RollingUpdateProps | undefined): void {
  if (ru === undefined) return;
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

/** Validates the disruption budget against the smallest replica count it must allow evictions for. */
export function validateDisruptionBudget(
  v: PropsValidator,
  pdb: DisruptionBudgetProps | false | undefined,
  minReplicas: number,
): void {
  if (pdb === false || pdb?.maxUnavailable === undefined) return;
  v.check('disruptionBudget.maxUnavailable', pdb.maxUnavailable, (value) => {
    const problem = rules.percentOrCount(value, 1);
    if (problem) return `${problem} so that node drains can evict Pods`;
    return typeof value === 'number' && minReplicas > 0 && value > minReplicas
      ? `must be <= the replica count (${minReplicas})`
      : undefined;
  });
}

/** Environment variables: valid names, exactly one source, no literal secrets, unique names. */
export function validateEnv(v: PropsValidator, env: readonly EnvVar[]): void {
  env.forEach((e, i) => {
    v.check(`env[${i}].name`, e.name, rules.envName);
    const sources = ['value', 'fromConfigMap', 'fromSecret', 'fromField'].filter((k) => k in e);
    if (sources.length !== 1)
      v.fail(`env[${i}]`, e.name, 'must have exactly one of value, fromConfigMap, fromSecret or fromField');
    if ('value' in e && typeof e.value !== 'string')
      v.failType(`env[${i}].value`, e.value, 'must be a string (quote numbers and booleans)');
    for (const ref of ['fromConfigMap', 'fromSecret'] as const) {
      const source: unknown = (e as Record<string, unknown>)[ref];
      if (ref in e && (typeof source !== 'object' || source === null))
        v.failType(`env[${i}].${ref}`, source, 'must be { name, key }');
    }
    if (
      'value' in e &&
      (secretLikeName(e.name) || (typeof e.value === 'string' && secretInValue(e.value) !== undefined))
    ) {
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

/** Resource quantities, and explicit requests within explicit limits. */
export function validateResources(v: PropsValidator, r: ResourceProps): void {
  v.check('resources.cpuRequest', r.cpuRequest, rules.cpuQuantity);
  if (r.cpuLimit !== false) v.check('resources.cpuLimit', r.cpuLimit, rules.cpuQuantity);
  v.check('resources.memoryRequest', r.memoryRequest, rules.bytesQuantity);
  v.check('resources.memoryLimit', r.memoryLimit, rules.bytesQuantity);
  v.check('resources.ephemeralStorageRequest', r.ephemeralStorageRequest, rules.bytesQuantity);
  v.check('resources.ephemeralStorageLimit', r.ephemeralStorageLimit, rules.bytesQuantity);
  // explicit limits only: defaults are derived so that they never sit below the request
  if (typeof r.cpuLimit === 'string')
    v.check('resources.cpuRequest', r.cpuRequest, (q) => rules.requestWithinLimit(q, r.cpuLimit as string));
  v.check('resources.memoryRequest', r.memoryRequest, (q) => rules.requestWithinLimit(q, r.memoryLimit));
  v.check('resources.ephemeralStorageRequest', r.ephemeralStorageRequest, (q) =>
    rules.requestWithinLimit(q, r.ephemeralStorageLimit),
  );
}

/** User and group ids. */
export function validateSecurity(v: PropsValidator, s: SecurityProps): void {
  v.check('security.runAsUser', s.runAsUser, rules.integerBetween(1));
  v.check('security.runAsGroup', s.runAsGroup, rules.integerBetween(0));
  v.check('security.fsGroup', s.fsGroup, rules.integerBetween(0));
}

/** The peers and ranges of a NetworkPolicy. */
export function validateNetworkPolicy(v: PropsValidator, np: NetworkPolicyProps): void {
  const peers = (field: string, list: readonly NetworkPeer[]): void =>
    list.forEach((p, i) => validatePeer(v, `${field}[${i}]`, p));
  peers('networkPolicy.allowFrom', np.allowFrom ?? []);
  if (typeof np.egress === 'object') {
    peers('networkPolicy.egress.allowTo', np.egress.allowTo ?? []);
    (np.egress.allowCidrs ?? []).forEach((c, i) => v.check(`networkPolicy.egress.allowCidrs[${i}]`, c, rules.cidr));
  }
}

/** Validates one NetworkPolicy peer (namespace, app or Pod labels). */
export function validatePeer(v: PropsValidator, field: string, p: NetworkPeer): void {
  v.check(`${field}.namespace`, p.namespace, rules.dns1123Label);
  v.check(`${field}.app`, p.app, rules.dns1123Label);
  if (p.app !== undefined && p.podLabels !== undefined)
    v.fail(`${field}.podLabels`, p.podLabels, 'must not be combined with app: choose one Pod selector');
  checkLabels(v, `${field}.podLabels`, p.podLabels);
}

/** Validates a replica count (integer >= 0). */
export function validateReplicas(v: PropsValidator, field: string, value: number | undefined): void {
  v.check(field, value, rules.integerBetween(0));
}
