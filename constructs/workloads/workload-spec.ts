/**
 * A workload's shared props resolved once: every check and every default, props in,
 * {@link WorkloadSpec} out. Pure: `checkWorkload` records problems on the caller's PropsValidator
 * (the construct's subclasses add their own before it throws); `resolveWorkload` throws them.
 */
import type { Construct } from 'constructs';
import { MANAGED_BY } from '../internal/labels';
import * as rules from '../internal/rules';
import { secretsInArgs } from '../internal/secrets';
import { checkLabels, PropsValidator, resolveName, resolveNamespace, type Spec } from '../internal/validator';
import { type HardeningRule, optOutAnnotation } from '../policy/check-manifests';
import type {
  EgressProps,
  EnvFrom,
  EnvVar,
  FileMountProps,
  NetworkPeer,
  ProbesProps,
  ResourceProps,
  SpreadProps,
} from './types';
import {
  DEFAULT_WRITABLE_PATH,
  validateEnv,
  validateMountPaths,
  validateNetworkPolicy,
  validateResources,
  validateSecurity,
} from './workload-checks';
import { NAME_LABEL, type WorkloadProps } from './workload-props';

type Json = Record<string, unknown>;

/** The security settings of the Pod and its container, defaults resolved. */
export interface WorkloadSecuritySpec {
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowNetBindService: boolean;
  /** The Pod's `seccompProfile`. */
  readonly seccompProfile: Readonly<Json>;
}

/** The NetworkPolicy of a workload, defaults resolved; `false`: opted out. */
export type WorkloadNetworkPolicySpec =
  false | { readonly allowFrom: readonly NetworkPeer[]; readonly egress: 'unrestricted' | EgressProps };

/** Every shared prop of a workload checked and defaulted. */
export interface WorkloadSpec {
  /** Object name of the workload and its companions. */
  readonly name: string;
  /** Namespace of every object. */
  readonly namespace: string;
  /** Labels that select the Pods. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string;
  readonly imagePullPolicy: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly EnvVar[];
  readonly envFrom: readonly EnvFrom[];
  /** Directories backed by an emptyDir. */
  readonly writablePaths: readonly string[];
  readonly fileMounts: readonly FileMountProps[];
  /** Requests and limits. */
  readonly resources: { readonly requests: Json; readonly limits: Json };
  readonly security: WorkloadSecuritySpec;
  readonly serviceAccount: {
    readonly automountToken: boolean;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly networkPolicy: WorkloadNetworkPolicySpec;
  readonly terminationGracePeriodSeconds: number;
  readonly priorityClassName?: string;
  /** checkManifests opt-out annotations for the object that owns the Pods. */
  readonly optOuts: Readonly<Record<string, string>>;
}

/** What kind of workload the props are for. */
export interface WorkloadKind {
  /** Object name when props give none (the construct id). */
  readonly defaultName: string;
  /** `app.kubernetes.io/component` label. */
  readonly component: string;
  /** The JavaScript shape of every prop of the workload's props. */
  readonly shapes: Readonly<Record<string, Spec>>;
}

/**
 * Checks the shared props of a workload, recording problems on `v` in the order the construct
 * reports them, and returns them resolved. Throws only when the props have the wrong shape (the
 * later checks read well-typed props); the caller throws the rest once its own checks are done.
 * `where` is the construct (its Chart's namespace is the default) or a path (namespace then required).
 */
export function checkWorkload(
  v: PropsValidator,
  props: WorkloadProps,
  where: Construct | string,
  kind: WorkloadKind,
): WorkloadSpec {
  v.knownProps(props, kind.shapes);
  const name = resolveName(v, props.name, kind.defaultName, rules.dns1123Label);
  const namespace = resolveNamespace(v, where, props.namespace);
  checkLabels(v, 'labels', props.labels);
  // knownProps refused an image of another type; JavaScript callers may still leave it out
  const image: string | undefined = props.image;
  if (image === undefined) v.fail('image', image, 'is required: an image reference such as "ghcr.io/org/app:1.2.3"');
  else v.check('image', image, rules.pinnedImage);
  validateEnv(v, props.env ?? []);
  for (const field of ['command', 'args'] as const) {
    for (const f of secretsInArgs(props[field] ?? [], field))
      v.fail(
        f.path,
        '<redacted>',
        `looks like a secret (${f.why}): pass it through an env var from a Secret ($(VAR) in args); the value is not shown`,
      );
  }
  validateResources(v, props.resources ?? {});
  validateSecurity(v, props.security ?? {});
  (props.writablePaths ?? []).forEach((p, i) => v.check(`writablePaths[${i}]`, p, rules.absolutePath));
  (props.fileMounts ?? []).forEach((m, i) => {
    v.check(`fileMounts[${i}].mountPath`, m.mountPath, rules.absolutePath);
    if ((m.configMap === undefined) === (m.secret === undefined)) {
      v.fail(`fileMounts[${i}]`, m.mountPath, 'must name exactly one of configMap or secret');
    }
  });
  validateMountPaths(v, props, kind.shapes);
  v.check('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, rules.integerBetween(0));
  if (props.networkPolicy) validateNetworkPolicy(v, props.networkPolicy);
  return resolveDefaults(props, name, namespace, kind.component);
}

/** The name a workload gets when props give none: the last component of `where` (a construct's own id). */
export function defaultNameOf(where: Construct | string): string {
  return typeof where === 'string' ? (where.split('/').pop() ?? where) : where.node.id;
}

/** The shared props resolved, or a GroundworkValidationError listing every problem (named after `where`). */
export function resolveWorkload(
  props: WorkloadProps,
  where: Construct | string,
  typeName: string,
  kind: WorkloadKind,
): WorkloadSpec {
  const v = new PropsValidator(typeName, where);
  const spec = checkWorkload(v, props, where, kind);
  v.throwIfInvalid();
  return spec;
}

/** Every default of the shared props (safe on invalid props: the problems are thrown before anything renders). */
function resolveDefaults(props: WorkloadProps, name: string, namespace: string, component: string): WorkloadSpec {
  const sec = props.security ?? {};
  const runAsGroup = sec.runAsGroup ?? 10001;
  const image: string | undefined = props.image;
  const np = props.networkPolicy;
  return {
    name,
    namespace,
    selectorLabels: { [NAME_LABEL]: name },
    labels: { ...props.labels, [NAME_LABEL]: name, 'app.kubernetes.io/component': component, ...MANAGED_BY },
    image: props.image,
    imagePullPolicy: props.imagePullPolicy ?? (image?.includes('@') ? 'IfNotPresent' : 'Always'),
    command: props.command,
    args: props.args,
    env: props.env ?? [],
    envFrom: props.envFrom ?? [],
    writablePaths: props.writablePaths ?? [DEFAULT_WRITABLE_PATH],
    fileMounts: props.fileMounts ?? [],
    resources: resolveResources(props.resources ?? {}),
    security: {
      runAsUser: sec.runAsUser ?? 10001,
      runAsGroup,
      fsGroup: sec.fsGroup ?? runAsGroup,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem ?? true,
      allowNetBindService: sec.allowNetBindService ?? false,
      seccompProfile:
        typeof sec.seccompProfile === 'object'
          ? { type: 'Localhost', localhostProfile: sec.seccompProfile.localhostProfile }
          : { type: 'RuntimeDefault' },
    },
    serviceAccount: {
      automountToken: props.serviceAccount?.automountToken ?? false,
      annotations: props.serviceAccount?.annotations,
    },
    networkPolicy: np === false ? false : { allowFrom: np?.allowFrom ?? [], egress: np?.egress ?? 'unrestricted' },
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
    priorityClassName: props.priorityClassName,
    optOuts: optOuts(props),
  };
}

/**
 * checkManifests opt-outs the props chose explicitly, recorded on the object that owns the Pods
 * with the reason: `networkPolicy.egress.allowDns: false` blocks DNS on purpose.
 */
function optOuts(props: WorkloadProps): Record<string, string> {
  const p = props as WorkloadProps & { probes?: ProbesProps; disruptionBudget?: unknown; spread?: SpreadProps | false };
  const out: Record<string, string> = {};
  const because = (rule: HardeningRule, reason: string): void => {
    out[optOutAnnotation(rule)] = reason;
  };
  if (p.security?.readOnlyRootFilesystem === false)
    because('read-only-root-filesystem', 'security.readOnlyRootFilesystem: false');
  if (p.probes?.readiness === false || p.probes?.liveness === false)
    because('probes', 'a probe set to false in props.probes');
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

/** The smaller of two quantities (as written). */
function smaller(a: string, b: string): string {
  return (rules.parseQuantity(a) ?? 0) <= (rules.parseQuantity(b) ?? 0) ? a : b;
}

/** The larger of two quantities (as written). */
function larger(a: string, b: string): string {
  return (rules.parseQuantity(a) ?? 0) >= (rules.parseQuantity(b) ?? 0) ? a : b;
}

/** Requests and limits with defaults resolved: limits default to a ceiling but never below the request. */
export function resolveResources(r: ResourceProps): { requests: Json; limits: Json } {
  // a default request never exceeds a limit given alone (the API server refuses request > limit)
  const cpuRequest = r.cpuRequest ?? (typeof r.cpuLimit === 'string' ? smaller('100m', r.cpuLimit) : '100m');
  const memoryRequest = r.memoryRequest ?? (r.memoryLimit !== undefined ? smaller('128Mi', r.memoryLimit) : '128Mi');
  const ephemeralRequest =
    r.ephemeralStorageRequest ??
    (r.ephemeralStorageLimit !== undefined ? smaller('64Mi', r.ephemeralStorageLimit) : '64Mi');
  const requests: Json = { cpu: cpuRequest, memory: memoryRequest, 'ephemeral-storage': ephemeralRequest };
  const limits: Json = {
    memory: r.memoryLimit ?? memoryRequest,
    'ephemeral-storage': r.ephemeralStorageLimit ?? larger(ephemeralRequest, '1Gi'),
  };
  if (r.cpuLimit !== false) limits.cpu = r.cpuLimit ?? larger(cpuRequest, '1');
  return { requests, limits };
}
