import { pinnedImage } from '../internal/rules';
import { isTestImage } from './test-images';
import { findSecrets, secretMessage, secretsInArgs, type SecretFinding } from '../internal/secrets';
import { allowancesOf, ruleProblems, subjectProblems, widening } from '../rbac/rbac-rules';

/** Any Kubernetes object as plain JSON. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
  };
  readonly [field: string]: unknown;
}

/** Identifiers of the hardening rules. */
export type HardeningRule =
  | 'pod-security'
  | 'read-only-root-filesystem'
  | 'resources'
  | 'probes'
  | 'image-pinned'
  | 'disruption-budget'
  | 'topology-spread'
  | 'network-policy'
  | 'namespace'
  | 'dangling-reference'
  | 'secret-values'
  | 'rbac'
  | 'ingress-tls'
  | 'cronjob-concurrency'
  | 'exposed-test-image'
  | 'malformed';

/** One rule of the table: what it checks, and whether it can be opted out of per object. */
export interface HardeningRuleInfo {
  /** Every rule blocks: synth, the Pulumi program and the tests fail on it. */
  readonly severity: 'error';
  /** What the rule requires. */
  readonly requires: string;
  /** Objects may opt out with the annotation `groundwork.io/allow-<rule>: "<reason>"` (false: never). */
  readonly optOut: boolean;
}

/** The rules, one entry each (the README's table is checked against it). */
export const HARDENING_RULES: Readonly<Record<HardeningRule, HardeningRuleInfo>> = {
  'pod-security': {
    severity: 'error',
    optOut: true,
    requires:
      'Pod Security Standards baseline and restricted: no host namespaces, ports or paths, no privileged or added capabilities (NET_BIND_SERVICE only), no unsafe sysctls, procMount Default, AppArmor and SELinux not loosened, non-root, no privilege escalation, seccomp RuntimeDefault or Localhost',
  },
  'read-only-root-filesystem': { severity: 'error', optOut: true, requires: 'every container sets readOnlyRootFilesystem: true' },
  resources: { severity: 'error', optOut: true, requires: 'CPU and memory requests and a memory limit on every container' },
  probes: { severity: 'error', optOut: true, requires: 'readiness and liveness probes on the containers of long-running workloads' },
  'image-pinned': { severity: 'error', optOut: false, requires: 'images pinned by a tag other than latest, or by digest' },
  'disruption-budget': { severity: 'error', optOut: true, requires: 'a PodDisruptionBudget that still allows an eviction for 2+ replicas' },
  'topology-spread': { severity: 'error', optOut: true, requires: 'topology spread or anti-affinity across nodes for 2+ replicas' },
  'network-policy': {
    severity: 'error',
    optOut: true,
    requires: "a NetworkPolicy restricting every Pod's ingress, and DNS (UDP 53) allowed wherever egress is restricted",
  },
  namespace: { severity: 'error', optOut: false, requires: 'namespaced objects in a namespace other than default' },
  'dangling-reference': { severity: 'error', optOut: false, requires: 'Services, Ingresses, routes, HPAs and PDBs pointing at objects that exist' },
  'secret-values': {
    severity: 'error',
    optOut: false,
    requires: 'no secret values: no Secret data, and no secret-looking literals in env, args, ConfigMaps or GitOps values',
  },
  rbac: {
    severity: 'error',
    optOut: false,
    requires:
      'RBAC without wildcards, escalation verbs, public subjects or cluster-admin bindings (each allowed only by its own groundwork.io/allow-rbac-* annotation with a reason)',
  },
  'ingress-tls': { severity: 'error', optOut: true, requires: 'every Ingress terminates TLS (spec.tls)' },
  'cronjob-concurrency': { severity: 'error', optOut: true, requires: 'CronJobs never overlap their Jobs (concurrencyPolicy Forbid or Replace)' },
  'exposed-test-image': {
    severity: 'error',
    optOut: false,
    requires: 'no Kubernetes test image (e2e-test-images/*: agnhost netexec serves /shell?cmd=) behind an Ingress or a Gateway route',
  },
  malformed: { severity: 'error', optOut: false, requires: 'every entry is a Kubernetes object with apiVersion, kind and well-formed metadata' },
};

/** The annotation an object opts out of `rule` with; its value is the reason. */
export function optOutAnnotation(rule: HardeningRule): string {
  return `groundwork.io/allow-${rule}`;
}

/** One broken rule on one object. */
export interface Violation {
  readonly rule: HardeningRule;
  /** `Kind namespace/name` of the offending object. */
  readonly object: string;
  readonly message: string;
}

/** Options of {@link checkManifests}. */
export interface CheckOptions {
  /**
   * Rules not to run (an explicit, visible opt-out).
   * @default - every rule runs
   */
  readonly skip?: readonly HardeningRule[];
  /**
   * Kinds that are cluster-scoped besides the built-in list (e.g. a custom cluster-scoped CRD).
   * @default - the built-in list
   */
  readonly clusterScopedKinds?: readonly string[];
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'CSIDriver',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ClusterIssuer',
  'ClusterPolicy',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'GatewayClass',
  'ConstraintTemplate',
]);
const CLUSTER_SCOPED_GROUPS = ['constraints.gatekeeper.sh/'];
const POD_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECURE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const HOSTNAME = 'kubernetes.io/hostname';

type Json = Record<string, unknown>;

/** `x` when it is a list, else an empty one (malformed input is reported, never thrown on). */
function arr(x: unknown): Json[] {
  return Array.isArray(x) ? x.filter((i): i is Json => typeof i === 'object' && i !== null) : [];
}

/** A value from a manifest as it appears in a message: strings as they are, anything else as JSON. */
function shown(x: unknown): string {
  return typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
}

/** `x` when it is an object (not a list), else an empty one. */
function rec(x: unknown): Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {};
}

/** What is wrong with the shape of an entry (not an object, no apiVersion or kind, odd metadata); undefined when it can be checked. */
export function malformedProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    return `is ${o === null ? 'null' : Array.isArray(o) ? 'a list' : `a ${typeof o}`}, not a Kubernetes object`;
  const m = o as Json;
  if (typeof m.apiVersion !== 'string' || m.apiVersion.length === 0) return 'has no apiVersion';
  if (typeof m.kind !== 'string' || m.kind.length === 0) return 'has no kind';
  if (m.metadata !== undefined && (typeof m.metadata !== 'object' || m.metadata === null || Array.isArray(m.metadata)))
    return 'has metadata that is not an object';
  const md = rec(m.metadata);
  for (const f of ['name', 'namespace'] as const) if (md[f] !== undefined && typeof md[f] !== 'string') return `has a metadata.${f} that is not a string`;
  for (const f of ['labels', 'annotations'] as const) {
    if (
      md[f] !== undefined &&
      (typeof md[f] !== 'object' || md[f] === null || Array.isArray(md[f]) || Object.values(md[f] as Json).some((v) => typeof v !== 'string'))
    )
      return `has metadata.${f} that are not a string map`;
  }
  return undefined;
}

interface PodOwner {
  readonly obj: ManifestObject;
  readonly id: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Pod template's annotations (AppArmor profiles live there). */
  readonly annotations: Json;
  readonly spec: Json;
  readonly longRunning: boolean;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

/** True when `selector` (a LabelSelector) selects an object carrying `labels`. An empty selector selects everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [k, val] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== val) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A label selector as written, keeping only well-formed parts (a malformed one selects nothing it should not). */
function selectorOf(x: unknown): LabelSelector | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const raw = x as Json;
  const matchLabels = Object.fromEntries(Object.entries(rec(raw.matchLabels)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const matchExpressions = arr(raw.matchExpressions)
    .filter((e) => typeof e.key === 'string' && typeof e.operator === 'string')
    .map((e) => ({
      key: e.key as string,
      operator: e.operator as string,
      values: Array.isArray(e.values) ? (e.values as unknown[]).filter((v): v is string => typeof v === 'string') : [],
    }));
  return { matchLabels, matchExpressions };
}

function objectId(o: ManifestObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

function podOwner(o: ManifestObject): PodOwner | undefined {
  const spec = rec(o.spec);
  let template: Json | undefined;
  let longRunning = true;
  switch (o.kind) {
    case 'Pod':
      template = { metadata: o.metadata, spec };
      longRunning = spec.restartPolicy !== 'Never' && spec.restartPolicy !== 'OnFailure';
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Rollout':
      template = rec(spec.template);
      break;
    case 'Job':
      template = rec(spec.template);
      longRunning = false;
      break;
    case 'CronJob':
      template = rec(rec(rec(spec.jobTemplate).spec).template);
      longRunning = false;
      break;
    default:
      return undefined;
  }
  const podSpec = rec(template).spec;
  if (typeof podSpec !== 'object' || podSpec === null || Array.isArray(podSpec)) return undefined;
  const meta = rec(rec(template).metadata);
  const stringLabels = Object.fromEntries(Object.entries(rec(meta.labels)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const annotations = rec(meta.annotations);
  return { obj: o, id: objectId(o), namespace: o.metadata?.namespace ?? '', labels: stringLabels, annotations, spec: podSpec as Json, longRunning };
}

function containersOf(spec: Json): Array<{ c: Json; init: boolean }> {
  return [...arr(spec.initContainers).map((c) => ({ c, init: true })), ...arr(spec.containers).map((c) => ({ c, init: false }))];
}

/** Sysctls the baseline profile allows (Pod Security Standards, Kubernetes 1.29+). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
/** SELinux types the baseline profile allows. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Baseline controls on a pod- or container-level security context (AppArmor, SELinux, Windows host process). */
function baselineContext(sc: Json, where: string, add: (m: string) => void): void {
  const apparmor: unknown = rec(sc.appArmorProfile).type;
  if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost')
    add(`${where} must not set AppArmor profile ${shown(apparmor)} (RuntimeDefault or Localhost only)`);
  const se = rec(sc.seLinuxOptions);
  if (se.type !== undefined && !(typeof se.type === 'string' && SELINUX_TYPES.has(se.type))) add(`${where} must not set SELinux type ${shown(se.type)}`);
  for (const f of ['user', 'role'] as const) if (se[f] !== undefined && se[f] !== '') add(`${where} must not set a custom SELinux ${f}`);
  if (rec(sc.windowsOptions).hostProcess === true) add(`${where} must not run as a Windows host process`);
}

/** Pod Security Standards *baseline* and *restricted*, checked on one Pod spec. */
function podSecurity(p: PodOwner, add: (m: string) => void): void {
  const s = p.spec;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (s[f] === true) add(`${f} must not be true`);
  for (const [k, v] of Object.entries(p.annotations)) {
    if (k.startsWith(APPARMOR_ANNOTATION) && v !== 'runtime/default' && !String(v).startsWith('localhost/'))
      add(`container "${k.slice(APPARMOR_ANNOTATION.length)}" must not set AppArmor profile ${String(v)}`);
  }
  const podSc = rec(s.securityContext);
  baselineContext(podSc, 'the Pod', add);
  for (const sysctl of arr(podSc.sysctls)) if (!SAFE_SYSCTLS.has(String(sysctl.name))) add(`sysctl ${String(sysctl.name)} is not in the baseline's safe set`);
  for (const vol of arr(s.volumes)) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !POD_VOLUME_TYPES.has(type)) add(`volume "${shown(vol.name)}" uses ${type}, not allowed under the restricted profile`);
  }
  for (const { c } of containersOf(s)) {
    const sc = rec(c.securityContext);
    const name = `container "${shown(c.name)}"`;
    if (sc.privileged === true) add(`${name} must not be privileged`);
    if (sc.allowPrivilegeEscalation !== false) add(`${name} must set allowPrivilegeEscalation: false`);
    const caps = rec(sc.capabilities);
    const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
    if (!drop.includes('ALL')) add(`${name} must drop ALL capabilities`);
    const extra = (Array.isArray(caps.add) ? (caps.add as unknown[]) : []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) add(`${name} adds capabilities ${extra.join(', ')} (only NET_BIND_SERVICE is allowed)`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(`${name} must run with runAsNonRoot: true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) add(`${name} must not run as UID 0`);
    const seccomp: unknown = rec(sc.seccompProfile).type ?? rec(podSc.seccompProfile).type;
    if (!SECURE_SECCOMP.has(seccomp as string))
      add(`${name} must use seccomp profile RuntimeDefault or Localhost (got ${typeof seccomp === 'string' ? seccomp : 'none'})`);
    for (const port of arr(c.ports)) if (port.hostPort !== undefined && port.hostPort !== 0) add(`${name} must not use hostPort ${shown(port.hostPort)}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`${name} must not set procMount ${shown(sc.procMount)}`);
    baselineContext(sc, name, add);
  }
}

/**
 * Secrets in what is not a Pod: ConfigMap data, and the Helm values GitOps objects carry (an Argo
 * CD Application's `helm.valuesObject`, a Flux HelmRelease's `values`).
 */
function secretsOutsidePods(o: ManifestObject): SecretFinding[] {
  const spec = rec(o.spec);
  if (o.kind === 'ConfigMap') return findSecrets(o.data ?? {}, 'data');
  if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
    const sources: unknown[] = [spec.source, ...(Array.isArray(spec.sources) ? (spec.sources as unknown[]) : [])];
    return sources.flatMap((src: unknown, i) =>
      findSecrets(rec(rec(src).helm).valuesObject, i === 0 ? 'spec.source.helm.valuesObject' : `spec.sources[${i - 1}].helm.valuesObject`),
    );
  }
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) return findSecrets(spec.values, 'spec.values');
  return [];
}

/** A NetworkPolicy's effective policy types (unset: Ingress, plus Egress when it has egress rules). */
function policyTypesOf(np: ManifestObject): string[] {
  const spec = rec(np.spec);
  if (Array.isArray(spec.policyTypes)) return (spec.policyTypes as unknown[]).filter((t): t is string => typeof t === 'string');
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** An egress rule that lets DNS queries out: no port list (every port), or UDP 53 in it. */
function allowsDns(rule: Json): boolean {
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) return true;
  return arr(rule.ports).some(
    (port) =>
      port.protocol === 'UDP' &&
      (port.port === 53 ||
        port.port === undefined ||
        (typeof port.endPort === 'number' && typeof port.port === 'number' && port.port <= 53 && port.endPort >= 53)),
  );
}

/** Effective replica count: the HPA's minimum if autoscaled, else spec.replicas (default 1). */
function replicaCount(p: PodOwner, hpaByTarget: ReadonlyMap<string, ManifestObject>): number {
  const hpa = hpaByTarget.get(refKey(p.obj.kind, p.namespace, p.obj.metadata?.name));
  const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 1);
  if (hpa) return count(rec(hpa.spec).minReplicas);
  if (p.obj.kind === 'DaemonSet') return 2;
  return count(rec(p.obj.spec).replicas);
}

function pdbAllowsEviction(pdb: ManifestObject, replicas: number): boolean {
  const spec = rec(pdb.spec);
  const pct = (v: unknown): number | undefined => (typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) : undefined);
  if (spec.maxUnavailable !== undefined) {
    const p = pct(spec.maxUnavailable);
    return p !== undefined ? Math.ceil((p / 100) * replicas) >= 1 : Number(spec.maxUnavailable) >= 1;
  }
  if (spec.minAvailable !== undefined) {
    const p = pct(spec.minAvailable);
    return p !== undefined ? Math.ceil((p / 100) * replicas) < replicas : Number(spec.minAvailable) < replicas;
  }
  return false;
}

function spreadsAcrossNodes(spec: Json): boolean {
  const tsc = arr(spec.topologySpreadConstraints).some((c) => c.topologyKey === HOSTNAME);
  const aa = rec(rec(spec.affinity).podAntiAffinity);
  const anti = [
    ...arr(aa.requiredDuringSchedulingIgnoredDuringExecution),
    ...arr(aa.preferredDuringSchedulingIgnoredDuringExecution).map((w) => rec(w.podAffinityTerm)),
  ].some((t) => t.topologyKey === HOSTNAME);
  return tsc || anti;
}

/** Key of an object by kind, namespace and name. */
function refKey(kind: unknown, namespace: string | undefined, name: unknown): string {
  return `${String(kind)}\u0000${namespace ?? ''}\u0000${String(name)}`;
}

/** Where a selector's candidates are filed: under `key` with one of `values`, or under `key` with any value (undefined). */
interface LabelPart {
  readonly key: string;
  readonly values: readonly string[] | undefined;
}

function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The items filed under one label key: with any value, and by value. */
interface LabelEntry<T> {
  readonly any: T[];
  readonly byValue: Map<string, T[]>;
}

/** Items filed by namespace, label key and label value (or any value). */
class LabelTable<T> {
  private readonly namespaces = new Map<string, Map<string, LabelEntry<T>>>();

  private entry(namespace: string, key: string): LabelEntry<T> {
    let keys = this.namespaces.get(namespace);
    if (!keys) this.namespaces.set(namespace, (keys = new Map<string, LabelEntry<T>>()));
    let e = keys.get(key);
    if (!e) keys.set(key, (e = { any: [], byValue: new Map<string, T[]>() }));
    return e;
  }

  /** Files `item` under `part`: under each of its values, or under its key with any value. */
  add(namespace: string, part: LabelPart, item: T): void {
    const e = this.entry(namespace, part.key);
    if (part.values === undefined) e.any.push(item);
    else for (const v of part.values) pushTo(e.byValue, v, item);
  }

  /** Files `item` under `key=value`; true when it is the first item there. */
  addPair(namespace: string, key: string, value: string, item: T): boolean {
    const e = this.entry(namespace, key);
    const list = e.byValue.get(value);
    if (list) list.push(item);
    else e.byValue.set(value, [item]);
    return list === undefined;
  }

  /** The items filed under `key=value` in `namespace`. */
  pair(namespace: string, key: string, value: string): readonly T[] {
    return this.namespaces.get(namespace)?.get(key)?.byValue.get(value) ?? [];
  }

  /** How many items `namespace` files under `key=value`, or under `key` with any value (`value` undefined). */
  count(namespace: string, key: string, value: string | undefined): number {
    const e = this.namespaces.get(namespace)?.get(key);
    return (value === undefined ? e?.any : e?.byValue.get(value))?.length ?? 0;
  }

  /** The lists filed under `part` in `namespace`: one per value, or the key's any-value list. */
  lists(namespace: string, part: LabelPart): Array<readonly T[]> {
    const e = this.namespaces.get(namespace)?.get(part.key);
    if (!e) return [];
    return part.values === undefined ? [e.any] : part.values.map((v) => e.byValue.get(v) ?? []);
  }

  /** Calls `visit` with the lists of `namespace` filed under a pair of `labels` or under one of their keys with any value. */
  meeting(namespace: string, labels: Readonly<Record<string, string>>, visit: (list: readonly T[]) => void): void {
    const keys = this.namespaces.get(namespace);
    if (!keys) return;
    for (const k of Object.keys(labels)) {
      const e = keys.get(k);
      if (!e) continue;
      const byValue = e.byValue.get(labels[k]);
      if (byValue) visit(byValue);
      if (e.any.length > 0) visit(e.any);
    }
  }
}

/**
 * The Pod templates, indexed for selector matching within a namespace by each of their label pairs
 * and label keys, so that what a selector can select is found from its most selective part and
 * checking stays linear whatever the label layout (selectors that all begin with a shared
 * `environment: prod` included).
 */
class PodIndex {
  /** Each Pod under each of its pairs (`values: [v]`) and under each of its keys (any value). */
  private readonly table = new LabelTable<PodOwner>();
  private readonly byNamespace = new Map<string, PodOwner[]>();
  /** Per namespace, the listing {@link selectedBy} keeps for selectors without matchLabels: Pods without labels, then pair lists in the order first filled. */
  private readonly unlabeled = new Map<string, PodOwner[]>();
  private readonly pairLists = new Map<string, Array<readonly PodOwner[]>>();
  private readonly everyLabelOf = new Map<string, readonly PodOwner[]>();

  constructor(pods: readonly PodOwner[]) {
    for (const p of pods) {
      pushTo(this.byNamespace, p.namespace, p);
      const pairs = Object.entries(p.labels);
      if (pairs.length === 0) pushTo(this.unlabeled, p.namespace, p);
      for (const [k, v] of pairs) {
        if (this.table.addPair(p.namespace, k, v, p)) pushTo(this.pairLists, p.namespace, this.table.pair(p.namespace, k, v));
        this.table.add(p.namespace, { key: k, values: undefined }, p);
      }
    }
  }

  /**
   * The most selective part of `selector`: the matchLabels pair carried by the fewest Pods of
   * `namespace`, an `In` expression (its values) or an `Exists` expression (its key), whichever
   * leads to the fewest. Every Pod it selects is filed under that part. Undefined when no part
   * narrows it (an empty selector, or only `NotIn` and `DoesNotExist`): every Pod is a candidate.
   */
  narrowest(namespace: string, selector: LabelSelector): LabelPart | undefined {
    let best: LabelPart | undefined;
    let cost = Infinity;
    const matchLabels = selector.matchLabels ?? {};
    for (const k of Object.keys(matchLabels)) {
      const c = this.table.count(namespace, k, matchLabels[k]);
      if (c < cost) {
        best = { key: k, values: [matchLabels[k]] };
        cost = c;
      }
    }
    for (const e of selector.matchExpressions ?? []) {
      if (e.operator === 'In') {
        const values = [...new Set(e.values ?? [])];
        const c = values.reduce((n, v) => n + this.table.count(namespace, e.key, v), 0);
        if (c < cost) {
          best = { key: e.key, values };
          cost = c;
        }
      } else if (e.operator === 'Exists') {
        const c = this.table.count(namespace, e.key, undefined);
        if (c < cost) {
          best = { key: e.key, values: undefined };
          cost = c;
        }
      }
    }
    return best;
  }

  /** The Pods that may match `selector`: those under its narrowest part, or every Pod of the namespace (each once: a Pod has one value per key). */
  private candidates(namespace: string, selector: LabelSelector): Array<readonly PodOwner[]> {
    const part = this.narrowest(namespace, selector);
    return part === undefined ? [this.byNamespace.get(namespace) ?? []] : this.table.lists(namespace, part);
  }

  /** The Pod templates of `namespace` that `selector` selects, each once (in no promised order). */
  selected(namespace: string, selector: LabelSelector | undefined): PodOwner[] {
    if (!selector) return [];
    return this.candidates(namespace, selector).flatMap((l) => l.filter((p) => selectorMatches(selector, p.labels)));
  }

  /** Whether `selector` selects any Pod template of `namespace`. */
  selectsAny(namespace: string, selector: LabelSelector | undefined): boolean {
    if (!selector) return false;
    return this.candidates(namespace, selector).some((l) => l.some((p) => selectorMatches(selector, p.labels)));
  }

  /**
   * The Pod templates of `namespace` that `selector` selects. With matchLabels, in the order of the
   * objects; without (a Service's `selector: {}`), as the checks have always listed them: the
   * unlabeled Pods, then each labeled Pod once per label pair, grouped by pair (so reports stay as
   * they were: a test image behind such a Service is reported once per label of its Pod).
   */
  selectedBy(namespace: string, selector: LabelSelector | undefined): PodOwner[] {
    if (!selector) return [];
    const match = (p: PodOwner): boolean => selectorMatches(selector, p.labels);
    const pairs = Object.entries(selector.matchLabels ?? {});
    if (pairs.length === 0) return this.everyLabel(namespace).filter(match);
    let rarest: readonly PodOwner[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.table.pair(namespace, k, v);
      if (rarest === undefined || list.length < rarest.length) rarest = list;
    }
    return (rarest ?? []).filter(match);
  }

  private everyLabel(namespace: string): readonly PodOwner[] {
    let list = this.everyLabelOf.get(namespace);
    if (!list) {
      list = [...(this.unlabeled.get(namespace) ?? []), ...(this.pairLists.get(namespace) ?? []).flat()];
      this.everyLabelOf.set(namespace, list);
    }
    return list;
  }
}

/** An object with a label selector (a NetworkPolicy, a PodDisruptionBudget) and the selector as read. */
interface Selecting {
  readonly obj: ManifestObject;
  readonly selector: LabelSelector;
}

/**
 * Objects with a label selector, indexed so that each Pod is compared only with those that may
 * select it: each is filed under its selector's most selective part ({@link PodIndex.narrowest}),
 * which every Pod it selects carries, so the work is linear in the objects even when every selector
 * begins with the same labels. Selectors no part narrows are compared with every Pod of their
 * namespace.
 */
class SelectorIndex {
  private readonly table = new LabelTable<Selecting>();
  private readonly broad = new Map<string, Selecting[]>();

  constructor(private readonly pods: PodIndex) {}

  /** Files `obj`; an absent selector selects nothing and is not filed. */
  add(namespace: string, selector: LabelSelector | undefined, obj: ManifestObject): void {
    if (!selector) return;
    const part = this.pods.narrowest(namespace, selector);
    if (part === undefined) pushTo(this.broad, namespace, { obj, selector });
    else this.table.add(namespace, part, { obj, selector });
  }

  /** The filed objects of `namespace` whose selector selects a Pod carrying `labels`. */
  selecting(namespace: string, labels: Readonly<Record<string, string>>): ManifestObject[] {
    const out: ManifestObject[] = [];
    const take = (list: readonly Selecting[]): void => {
      for (const s of list) if (selectorMatches(s.selector, labels)) out.push(s.obj);
    };
    take(this.broad.get(namespace) ?? []);
    // a Pod has one value per key: it meets a selector filed under an `In` expression's values once
    this.table.meeting(namespace, labels, take);
    return out;
  }
}

/**
 * Checks manifests against the k8s-groundwork hardening rules: Pod Security Standards *restricted*,
 * read-only root filesystem, requests and memory limit, probes on long-running workloads, pinned
 * images, PodDisruptionBudgets that allow eviction and node spread for 2+ replicas, a NetworkPolicy
 * selecting every Pod, no `default` namespace, references that resolve, no secret values, and RBAC
 * without wildcards, escalation verbs, public subjects or cluster-admin bindings (each allowed only
 * with a reason annotation, `groundwork.io/allow-rbac-wildcards` / `-escalation` / `allow-public-subjects`).
 *
 * Pure: takes the objects (e.g. from `Chart.toJson()` or parsed YAML) and returns the violations.
 */
export function checkManifests(input: readonly unknown[], options: CheckOptions = {}): Violation[] {
  const skip = new Set(options.skip ?? []);
  const clusterScoped = new Set([...CLUSTER_SCOPED, ...(options.clusterScopedKinds ?? [])]);
  const out: Violation[] = [];
  const report = (rule: HardeningRule, o: ManifestObject | PodOwner, message: string): void => {
    if (skip.has(rule)) return;
    const obj = 'obj' in o && 'spec' in o && 'longRunning' in o ? (o as PodOwner).obj : o;
    const id = 'id' in o && typeof o.id === 'string' ? o.id : objectId(obj);
    if (HARDENING_RULES[rule].optOut) {
      const reason = obj.metadata?.annotations?.[optOutAnnotation(rule)];
      if (reason !== undefined && reason.trim().length > 0) return;
      if (reason !== undefined) message = `${message} (its ${optOutAnnotation(rule)} annotation gives no reason, so it does not opt out)`;
    }
    out.push({ rule, object: id, message });
  };
  // entries that cannot be read as objects are reported (an empty YAML document parses to null)
  // and left out of every other rule
  const objects: ManifestObject[] = [];
  // one manifest (or anything else) instead of a list would otherwise check nothing and pass
  if (!Array.isArray(input))
    out.push({
      rule: 'malformed',
      object: 'input',
      message: `must be a list of objects (got ${input === null ? 'null' : typeof input === 'object' ? 'one object: wrap it in a list' : typeof input}); nothing was checked`,
    });
  (Array.isArray(input) ? input : []).forEach((o, i) => {
    const problem = malformedProblem(o);
    if (problem === undefined) objects.push(o as ManifestObject);
    else out.push({ rule: 'malformed', object: `entry ${i}`, message: problem });
  });
  /** Runs one object's checks; a shape no rule expected is reported as malformed rather than thrown. */
  const guarded = (o: ManifestObject | PodOwner, check: () => void): void => {
    try {
      check();
    } catch (e) {
      report('malformed', o, `could not be checked: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const ofKind = (kind: string): ManifestObject[] => objects.filter((o) => o.kind === kind);
  const pods = objects.map(podOwner).filter((p): p is PodOwner => p !== undefined);
  const hpas = ofKind('HorizontalPodAutoscaler');
  const pdbs = ofKind('PodDisruptionBudget');
  const services = ofKind('Service');
  const keys = new Set(objects.map((o) => refKey(o.kind, o.metadata?.namespace, o.metadata?.name)));
  const exists = (kind: string, ns: string | undefined, name: string): boolean => keys.has(refKey(kind, ns, name));
  const hpaByTarget = new Map<string, ManifestObject>();
  for (const h of hpas) {
    const ref = rec(rec(h.spec).scaleTargetRef);
    if (typeof ref.kind === 'string' && typeof ref.name === 'string') hpaByTarget.set(refKey(ref.kind, h.metadata?.namespace, ref.name), h);
  }
  // Pod templates indexed by their labels; selectors filed under their most selective part
  const podIndex = new PodIndex(pods);
  const netpolIndex = new SelectorIndex(podIndex);
  for (const np of ofKind('NetworkPolicy')) netpolIndex.add(np.metadata?.namespace ?? '', selectorOf(rec(np.spec).podSelector), np);
  const pdbIndex = new SelectorIndex(podIndex);
  for (const d of pdbs) pdbIndex.add(d.metadata?.namespace ?? '', selectorOf(rec(d.spec).selector), d);
  const serviceByKey = new Map(services.map((s) => [refKey('Service', s.metadata?.namespace, s.metadata?.name), s]));
  /** A route or Ingress sends outside traffic to Service `ns/name`: none of the Pods behind it may run a test image. */
  const exposesTestImage = (from: ManifestObject, ns: string | undefined, name: string): void => {
    const selector: unknown = rec(serviceByKey.get(refKey('Service', ns, name))?.spec).selector;
    if (typeof selector !== 'object' || selector === null) return;
    for (const p of podIndex.selectedBy(ns ?? '', selectorOf({ matchLabels: selector }))) {
      for (const { c } of containersOf(p.spec)) {
        if (typeof c.image === 'string' && isTestImage(c.image))
          report(
            'exposed-test-image',
            from,
            `routes to Service "${name}", whose ${p.id} runs the test image ${JSON.stringify(c.image)}: test images serve endpoints that run commands (agnhost netexec /shell)`,
          );
      }
    }
  };

  for (const o of objects) {
    guarded(o, () => {
      const namespaced = !clusterScoped.has(o.kind) && !CLUSTER_SCOPED_GROUPS.some((g) => o.apiVersion.startsWith(g));
      if (namespaced && (!o.metadata?.namespace || o.metadata.namespace === 'default')) {
        report('namespace', o, `must be in a namespace other than "default" (got ${o.metadata?.namespace ?? 'none'})`);
      }
      if (o.kind === 'Secret' && (Object.keys(rec(o.data)).length > 0 || Object.keys(rec(o.stringData)).length > 0)) {
        report('secret-values', o, 'must not carry data in the manifests: reference an existing Secret or an ExternalSecret');
      }
      for (const f of secretsOutsidePods(o)) report('secret-values', o, secretMessage(f));
      // labels are readable by anyone who may list the object (and are copied into metrics by kube-state-metrics)
      for (const f of findSecrets(rec(o.metadata?.labels), 'metadata.labels')) report('secret-values', o, secretMessage(f));
      if (o.apiVersion === 'rbac.authorization.k8s.io/v1') rbac(o);
    });
  }

  function rbac(o: ManifestObject): void {
    const allow = allowancesOf(o.metadata?.annotations);
    const problems =
      o.kind === 'Role' || o.kind === 'ClusterRole'
        ? arr(o.rules).flatMap((r, i) => ruleProblems(`rules[${i}]`, r, allow))
        : o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding'
          ? subjectProblems('subjects', arr(o.subjects), allow)
          : [];
    for (const p of problems) report('rbac', o, `${p.field} (${JSON.stringify(p.value)}) ${p.message}`);
    // roles that join the built-in ones, and admin or edit bound cluster-wide (cluster-admin is reported below, for any binding)
    for (const p of widening(o, allow).filter((w) => w.value !== 'cluster-admin')) report('rbac', o, `${p.field} (${JSON.stringify(p.value)}) ${p.message}`);
    if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && rec(o.roleRef).name === 'cluster-admin' && !allow.escalation) {
      report(
        'rbac',
        o,
        'binds cluster-admin (every verb on every resource): bind a narrower role (or allow it explicitly with a reason: the groundwork.io/allow-rbac-escalation annotation)',
      );
    }
  }

  for (const p of pods) guarded(p, () => checkPod(p));

  function checkPod(p: PodOwner): void {
    podSecurity(p, (m) => report('pod-security', p, m));
    for (const { c, init } of containersOf(p.spec)) {
      const name = `container "${String(c.name)}"`;
      if (rec(c.securityContext).readOnlyRootFilesystem !== true) report('read-only-root-filesystem', p, `${name} must set readOnlyRootFilesystem: true`);
      const req = rec(rec(c.resources).requests);
      const lim = rec(rec(c.resources).limits);
      const missing = [
        req.cpu === undefined && 'a CPU request',
        req.memory === undefined && 'a memory request',
        lim.memory === undefined && 'a memory limit',
      ].filter(Boolean);
      if (missing.length > 0) report('resources', p, `${name} must set ${missing.join(', ')}`);
      const imageProblem = typeof c.image === 'string' ? pinnedImage(c.image) : 'must be set';
      if (imageProblem) report('image-pinned', p, `${name} image ${JSON.stringify(c.image)} ${imageProblem}`);
      if (p.longRunning && !init) {
        const absent = [!c.readinessProbe && 'readiness', !c.livenessProbe && 'liveness'].filter(Boolean);
        if (absent.length > 0) report('probes', p, `${name} must have ${absent.join(' and ')} probes`);
      }
      const found = [
        ...findSecrets(Array.isArray(c.env) ? c.env : [], 'env'),
        ...secretsInArgs(Array.isArray(c.command) ? c.command : [], 'command'),
        ...secretsInArgs(Array.isArray(c.args) ? c.args : [], 'args'),
      ];
      for (const f of found) report('secret-values', p, `${name} ${secretMessage(f)}`);
    }
    const policies = netpolIndex.selecting(p.namespace, p.labels);
    if (policies.length === 0) {
      report('network-policy', p, 'Pods must be selected by a NetworkPolicy in their namespace');
    } else {
      if (!policies.some((np) => policyTypesOf(np).includes('Ingress'))) {
        report('network-policy', p, 'its NetworkPolicies restrict egress only: ingress to its Pods stays open (add an Ingress policy)');
      }
      const egress = policies.filter((np) => policyTypesOf(np).includes('Egress'));
      if (egress.length > 0 && !egress.some((np) => arr(rec(np.spec).egress).some(allowsDns))) {
        report('network-policy', p, 'its NetworkPolicies restrict egress without allowing DNS (UDP 53): name resolution fails');
      }
    }
    if (p.longRunning && p.obj.kind !== 'Pod') {
      const replicas = replicaCount(p, hpaByTarget);
      if (replicas >= 2) {
        const matching = pdbIndex.selecting(p.namespace, p.labels);
        if (matching.length === 0) report('disruption-budget', p, `has ${replicas} replicas but no PodDisruptionBudget selects its Pods`);
        else if (!matching.some((d) => pdbAllowsEviction(d, replicas)))
          report('disruption-budget', p, `its PodDisruptionBudget allows no eviction of its ${replicas} replicas`);
        if (!spreadsAcrossNodes(p.spec)) report('topology-spread', p, `has ${replicas} replicas but no topology spread or anti-affinity across ${HOSTNAME}`);
      }
    }
  }

  for (const svc of services) {
    guarded(svc, () => {
      const spec = rec(svc.spec);
      if (typeof spec.selector !== 'object' || spec.selector === null || spec.type === 'ExternalName') return;
      const targets = podIndex.selected(svc.metadata?.namespace ?? '', selectorOf({ matchLabels: spec.selector }));
      if (targets.length === 0) {
        report('dangling-reference', svc, `selector ${JSON.stringify(spec.selector)} matches no Pod template`);
        return;
      }
      for (const port of arr(spec.ports)) {
        if (typeof port.targetPort !== 'string') continue;
        const named = targets.some((p) => containersOf(p.spec).some(({ c }) => arr(c.ports).some((cp) => cp.name === port.targetPort)));
        if (!named) report('dangling-reference', svc, `targetPort "${port.targetPort}" names no container port of the selected Pods`);
      }
    });
  }
  for (const cj of ofKind('CronJob')) {
    guarded(cj, () => {
      const policy: unknown = rec(cj.spec).concurrencyPolicy;
      if (policy !== 'Forbid' && policy !== 'Replace')
        report(
          'cronjob-concurrency',
          cj,
          `concurrencyPolicy ${policy === undefined ? 'is unset (Allow)' : shown(policy)}: a slow run overlaps the next; set Forbid or Replace`,
        );
    });
  }
  for (const ing of ofKind('Ingress')) {
    guarded(ing, () => {
      const spec = rec(ing.spec);
      if (arr(spec.tls).length === 0)
        report('ingress-tls', ing, 'serves plaintext: add spec.tls (a cert-manager issued certificate or an existing TLS Secret)');
      const backends = [rec(spec.defaultBackend), ...arr(spec.rules).flatMap((r) => arr(rec(r.http).paths).map((x) => rec(x.backend)))];
      for (const b of backends) {
        const name: unknown = rec(b.service).name;
        if (typeof name === 'string' && !exists('Service', ing.metadata?.namespace, name))
          report('dangling-reference', ing, `backend Service "${name}" does not exist`);
        else if (typeof name === 'string') exposesTestImage(ing, ing.metadata?.namespace, name);
      }
    });
  }
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) {
    guarded(route, () => {
      for (const rule of arr(rec(route.spec).rules)) {
        for (const ref of arr(rule.backendRefs)) {
          if ((ref.kind ?? 'Service') !== 'Service') continue;
          const ns = typeof ref.namespace === 'string' ? ref.namespace : route.metadata?.namespace;
          if (!exists('Service', ns, String(ref.name))) report('dangling-reference', route, `backendRef Service "${String(ref.name)}" does not exist`);
          else exposesTestImage(route, ns, String(ref.name));
        }
      }
    });
  }
  for (const hpa of hpas) {
    guarded(hpa, () => {
      const ref = rec(rec(hpa.spec).scaleTargetRef);
      if (!exists(String(ref.kind), hpa.metadata?.namespace, String(ref.name)))
        report('dangling-reference', hpa, `scaleTargetRef ${String(ref.kind)}/${String(ref.name)} does not exist`);
    });
  }
  for (const pdb of pdbs) {
    guarded(pdb, () => {
      if (!podIndex.selectsAny(pdb.metadata?.namespace ?? '', selectorOf(rec(pdb.spec).selector))) {
        report('dangling-reference', pdb, 'selector matches no Pod template');
      }
    });
  }
  return out;
}
