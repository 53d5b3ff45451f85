import { pinnedImage } from '../internal/rules';
import { findSecrets, SECRET_ADVICE, secretsInArgs, SecretFinding } from '../internal/secrets';
import { allowancesOf, ruleProblems, subjectProblems } from '../rbac/rbac-rules';

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
  | 'rbac';

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
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'CSIDriver',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ClusterIssuer', 'ClusterPolicy', 'ClusterSecretStore', 'ClusterExternalSecret', 'GatewayClass', 'ConstraintTemplate',
]);
const CLUSTER_SCOPED_GROUPS = ['constraints.gatekeeper.sh/'];
const POD_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECURE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const HOSTNAME = 'kubernetes.io/hostname';

type Json = Record<string, any>;

interface PodOwner {
  readonly obj: ManifestObject;
  readonly id: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Json;
  readonly longRunning: boolean;
}

interface LabelSelector {
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

function objectId(o: ManifestObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

function podOwner(o: ManifestObject): PodOwner | undefined {
  const spec = o.spec as Json | undefined;
  let template: Json | undefined;
  let longRunning = true;
  switch (o.kind) {
    case 'Pod':
      template = { metadata: o.metadata, spec };
      longRunning = spec?.restartPolicy !== 'Never' && spec?.restartPolicy !== 'OnFailure';
      break;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Rollout':
      template = spec?.template;
      break;
    case 'Job':
      template = spec?.template;
      longRunning = false;
      break;
    case 'CronJob':
      template = spec?.jobTemplate?.spec?.template;
      longRunning = false;
      break;
    default:
      return undefined;
  }
  if (!template?.spec) return undefined;
  return { obj: o, id: objectId(o), namespace: o.metadata?.namespace ?? '', labels: template.metadata?.labels ?? {}, spec: template.spec, longRunning };
}

function containersOf(spec: Json): Array<{ c: Json; init: boolean }> {
  return [
    ...((spec.initContainers ?? []) as Json[]).map((c) => ({ c, init: true })),
    ...((spec.containers ?? []) as Json[]).map((c) => ({ c, init: false })),
  ];
}

/** Pod Security Standards *restricted*, checked on one Pod spec. */
function podSecurity(p: PodOwner, add: (m: string) => void): void {
  const s = p.spec;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (s[f] === true) add(`${f} must not be true`);
  for (const vol of (s.volumes ?? []) as Json[]) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !POD_VOLUME_TYPES.has(type)) add(`volume "${vol.name}" uses ${type}, not allowed under the restricted profile`);
  }
  const podSc: Json = s.securityContext ?? {};
  for (const { c } of containersOf(s)) {
    const sc: Json = c.securityContext ?? {};
    const name = `container "${c.name}"`;
    if (sc.privileged === true) add(`${name} must not be privileged`);
    if (sc.allowPrivilegeEscalation !== false) add(`${name} must set allowPrivilegeEscalation: false`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) add(`${name} must drop ALL capabilities`);
    const extra = ((sc.capabilities?.add ?? []) as string[]).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) add(`${name} adds capabilities ${extra.join(', ')} (only NET_BIND_SERVICE is allowed)`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(`${name} must run with runAsNonRoot: true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) add(`${name} must not run as UID 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!SECURE_SECCOMP.has(seccomp)) add(`${name} must use seccomp profile RuntimeDefault or Localhost (got ${seccomp ?? 'none'})`);
    for (const port of (c.ports ?? []) as Json[]) if (port.hostPort !== undefined && port.hostPort !== 0) add(`${name} must not use hostPort ${port.hostPort}`);
  }
}

function secretText(f: SecretFinding): string {
  return `${f.path} looks like a secret (${f.why}): ${SECRET_ADVICE}`;
}

/**
 * Secrets in what is not a Pod: ConfigMap data, and the Helm values GitOps objects carry (an Argo
 * CD Application's `helm.valuesObject`, a Flux HelmRelease's `values`).
 */
function secretsOutsidePods(o: ManifestObject): SecretFinding[] {
  const spec = (o.spec ?? {}) as Json;
  if (o.kind === 'ConfigMap') return findSecrets(o.data ?? {}, 'data');
  if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
    const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])];
    return sources.flatMap((src: Json | undefined, i) => findSecrets(src?.helm?.valuesObject, i === 0 ? 'spec.source.helm.valuesObject' : `spec.sources[${i - 1}].helm.valuesObject`));
  }
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) return findSecrets(spec.values, 'spec.values');
  return [];
}

/** Effective replica count: the HPA's minimum if autoscaled, else spec.replicas (default 1). */
function replicaCount(p: PodOwner, hpaByTarget: ReadonlyMap<string, ManifestObject>): number {
  const hpa = hpaByTarget.get(refKey(p.obj.kind, p.namespace, p.obj.metadata?.name));
  if (hpa) return (hpa.spec as Json).minReplicas ?? 1;
  if (p.obj.kind === 'DaemonSet') return 2;
  return (p.obj.spec as Json | undefined)?.replicas ?? 1;
}

function pdbAllowsEviction(pdb: ManifestObject, replicas: number): boolean {
  const spec = (pdb.spec ?? {}) as Json;
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
  const tsc = ((spec.topologySpreadConstraints ?? []) as Json[]).some((c) => c.topologyKey === HOSTNAME);
  const aa = spec.affinity?.podAntiAffinity;
  const anti = [
    ...((aa?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]),
    ...((aa?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).map((w) => w.podAffinityTerm ?? {}),
  ].some((t) => t.topologyKey === HOSTNAME);
  return tsc || anti;
}

/** Key of an object by kind, namespace and name. */
function refKey(kind: unknown, namespace: string | undefined, name: unknown): string {
  return `${String(kind)}\u0000${namespace ?? ''}\u0000${String(name)}`;
}

/**
 * Items (policies, budgets, Pod templates…) indexed for selector matching within a namespace, so
 * that checking many objects stays linear: each item is filed under one of its labels (or its
 * namespace when it has none to file by) and only the items sharing a label are compared in full.
 */
class LabelIndex<T> {
  private readonly byLabel = new Map<string, T[]>();
  private readonly byNamespace = new Map<string, T[]>();

  /** Files `item` under one `key=value` pair of `labels` (none: under its namespace). */
  add(namespace: string, labels: Readonly<Record<string, string>> | undefined, item: T): void {
    const first = Object.entries(labels ?? {})[0];
    const key = first ? `${namespace}\u0000${first[0]}=${first[1]}` : namespace;
    const map = first ? this.byLabel : this.byNamespace;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }

  /** Items filed under any of `labels` in `namespace`, plus those filed under the namespace. */
  candidates(namespace: string, labels: Readonly<Record<string, string>>): T[] {
    const out = [...(this.byNamespace.get(namespace) ?? [])];
    for (const [k, v] of Object.entries(labels)) out.push(...(this.byLabel.get(`${namespace}\u0000${k}=${v}`) ?? []));
    return out;
  }

  /** Every item in `namespace` that carries all of `required` (an item filed by label must carry that label). */
  withLabels(namespace: string, required: Readonly<Record<string, string>>): T[] {
    const first = Object.entries(required)[0];
    if (!first) return [...this.all(namespace)];
    return this.byLabel.get(`${namespace}\u0000${first[0]}=${first[1]}`) ?? [];
  }

  private *all(namespace: string): Iterable<T> {
    yield* this.byNamespace.get(namespace) ?? [];
    for (const [key, list] of this.byLabel) if (key.startsWith(`${namespace}\u0000`)) yield* list;
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
export function checkManifests(objects: readonly ManifestObject[], options: CheckOptions = {}): Violation[] {
  const skip = new Set(options.skip ?? []);
  const clusterScoped = new Set([...CLUSTER_SCOPED, ...(options.clusterScopedKinds ?? [])]);
  const out: Violation[] = [];
  const report = (rule: HardeningRule, o: ManifestObject | PodOwner, message: string): void => {
    if (!skip.has(rule)) out.push({ rule, object: 'id' in o && typeof o.id === 'string' ? o.id : objectId(o as ManifestObject), message });
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
    const ref = (h.spec as Json | undefined)?.scaleTargetRef;
    if (ref) hpaByTarget.set(refKey(ref.kind, h.metadata?.namespace, ref.name), h);
  }
  // selectors indexed by one of their matchLabels; Pod templates indexed by one of their labels
  const netpolIndex = new LabelIndex<ManifestObject>();
  for (const np of ofKind('NetworkPolicy')) netpolIndex.add(np.metadata?.namespace ?? '', ((np.spec as Json)?.podSelector as LabelSelector | undefined)?.matchLabels, np);
  const pdbIndex = new LabelIndex<ManifestObject>();
  for (const d of pdbs) pdbIndex.add(d.metadata?.namespace ?? '', ((d.spec as Json)?.selector as LabelSelector | undefined)?.matchLabels, d);
  const podIndex = new LabelIndex<PodOwner>();
  for (const p of pods) {
    const pairs = Object.entries(p.labels);
    if (pairs.length === 0) podIndex.add(p.namespace, undefined, p);
    for (const [k, val] of pairs) podIndex.add(p.namespace, { [k]: val }, p);
  }
  const podsSelectedBy = (ns: string, selector: LabelSelector | undefined): PodOwner[] =>
    selector ? podIndex.withLabels(ns, selector.matchLabels ?? {}).filter((p) => selectorMatches(selector, p.labels)) : [];

  for (const o of objects) {
    const namespaced = !clusterScoped.has(o.kind) && !CLUSTER_SCOPED_GROUPS.some((g) => o.apiVersion.startsWith(g));
    if (namespaced && (!o.metadata?.namespace || o.metadata.namespace === 'default')) {
      report('namespace', o, `must be in a namespace other than "default" (got ${o.metadata?.namespace ?? 'none'})`);
    }
    if (o.kind === 'Secret' && (Object.keys((o.data as Json) ?? {}).length > 0 || Object.keys((o.stringData as Json) ?? {}).length > 0)) {
      report('secret-values', o, 'must not carry data in the manifests: reference an existing Secret or an ExternalSecret');
    }
    for (const f of secretsOutsidePods(o)) report('secret-values', o, secretText(f));
  }

  for (const o of objects) {
    if (o.apiVersion !== 'rbac.authorization.k8s.io/v1') continue;
    const allow = allowancesOf(o.metadata?.annotations);
    const problems = o.kind === 'Role' || o.kind === 'ClusterRole'
      ? (Array.isArray(o.rules) ? (o.rules as Json[]) : []).flatMap((r, i) => ruleProblems(`rules[${i}]`, r, allow))
      : o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding'
        ? subjectProblems('subjects', Array.isArray(o.subjects) ? (o.subjects as Json[]) : [], allow)
        : [];
    for (const p of problems) report('rbac', o, `${p.field} (${JSON.stringify(p.value)}) ${p.message}`);
    if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && (o.roleRef as Json | undefined)?.name === 'cluster-admin' && !allow.escalation) {
      report('rbac', o, 'binds cluster-admin (every verb on every resource): bind a narrower role (or allow it explicitly with a reason: the groundwork.io/allow-rbac-escalation annotation)');
    }
  }

  for (const p of pods) {
    podSecurity(p, (m) => report('pod-security', p, m));
    for (const { c, init } of containersOf(p.spec)) {
      const name = `container "${c.name}"`;
      if (c.securityContext?.readOnlyRootFilesystem !== true) report('read-only-root-filesystem', p, `${name} must set readOnlyRootFilesystem: true`);
      const req = c.resources?.requests ?? {};
      const lim = c.resources?.limits ?? {};
      const missing = [req.cpu === undefined && 'a CPU request', req.memory === undefined && 'a memory request', lim.memory === undefined && 'a memory limit'].filter(Boolean);
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
      for (const f of found) report('secret-values', p, `${name} ${secretText(f)}`);
    }
    if (!netpolIndex.candidates(p.namespace, p.labels).some((np) => selectorMatches((np.spec as Json)?.podSelector, p.labels))) {
      report('network-policy', p, 'Pods must be selected by a NetworkPolicy in their namespace');
    }
    if (p.longRunning && p.obj.kind !== 'Pod') {
      const replicas = replicaCount(p, hpaByTarget);
      if (replicas >= 2) {
        const matching = pdbIndex.candidates(p.namespace, p.labels).filter((d) => selectorMatches((d.spec as Json)?.selector, p.labels));
        if (matching.length === 0) report('disruption-budget', p, `has ${replicas} replicas but no PodDisruptionBudget selects its Pods`);
        else if (!matching.some((d) => pdbAllowsEviction(d, replicas))) report('disruption-budget', p, `its PodDisruptionBudget allows no eviction of its ${replicas} replicas`);
        if (!spreadsAcrossNodes(p.spec)) report('topology-spread', p, `has ${replicas} replicas but no topology spread or anti-affinity across ${HOSTNAME}`);
      }
    }
  }

  for (const svc of services) {
    const spec = (svc.spec ?? {}) as Json;
    if (!spec.selector || spec.type === 'ExternalName') continue;
    const targets = podsSelectedBy(svc.metadata?.namespace ?? '', { matchLabels: spec.selector });
    if (targets.length === 0) {
      report('dangling-reference', svc, `selector ${JSON.stringify(spec.selector)} matches no Pod template`);
      continue;
    }
    for (const port of (spec.ports ?? []) as Json[]) {
      if (typeof port.targetPort !== 'string') continue;
      const named = targets.some((p) => containersOf(p.spec).some(({ c }) => ((c.ports ?? []) as Json[]).some((cp) => cp.name === port.targetPort)));
      if (!named) report('dangling-reference', svc, `targetPort "${port.targetPort}" names no container port of the selected Pods`);
    }
  }
  for (const ing of ofKind('Ingress')) {
    const spec = (ing.spec ?? {}) as Json;
    const backends = [spec.defaultBackend, ...((spec.rules ?? []) as Json[]).flatMap((r) => ((r.http?.paths ?? []) as Json[]).map((x) => x.backend))];
    for (const b of backends) {
      if (b?.service?.name && !exists('Service', ing.metadata?.namespace, b.service.name)) report('dangling-reference', ing, `backend Service "${b.service.name}" does not exist`);
    }
  }
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) {
    for (const rule of ((route.spec as Json)?.rules ?? []) as Json[]) {
      for (const ref of (rule.backendRefs ?? []) as Json[]) {
        if ((ref.kind ?? 'Service') !== 'Service') continue;
        if (!exists('Service', ref.namespace ?? route.metadata?.namespace, ref.name)) report('dangling-reference', route, `backendRef Service "${ref.name}" does not exist`);
      }
    }
  }
  for (const hpa of hpas) {
    const ref = (hpa.spec as Json)?.scaleTargetRef ?? {};
    if (!exists(ref.kind, hpa.metadata?.namespace, ref.name)) report('dangling-reference', hpa, `scaleTargetRef ${ref.kind}/${ref.name} does not exist`);
  }
  for (const pdb of pdbs) {
    if (podsSelectedBy(pdb.metadata?.namespace ?? '', (pdb.spec as Json)?.selector).length === 0) {
      report('dangling-reference', pdb, 'selector matches no Pod template');
    }
  }
  return out;
}
