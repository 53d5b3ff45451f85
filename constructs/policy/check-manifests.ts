import { pinnedImage } from '../internal/rules';
import { isTestImage } from './test-images';
import { findSecrets, secretMessage, secretsInArgs } from '../internal/secrets';
import { allowancesOf, ruleProblems, subjectProblems, widening } from '../rbac/rbac-rules';
import { arr, malformedProblem, rec, shown, type Json } from './malformed';
import { containersOf, podOwner, podSecurity, type PodOwner } from './pod-security';
import { HARDENING_RULES, objectId, optOutAnnotation, refKey, type CheckOptions, type HardeningRule, type ManifestObject, type Violation } from './rules-table';
import { secretsOutsidePods } from './secret-values';
import { PodIndex, SelectorIndex, selectorOf } from './selector-index';
import { allowsDns, HOSTNAME, pdbAllowsEviction, policyTypesOf, replicaCount, spreadsAcrossNodes } from './workload-rules';

// the rule table, the shapes and the selector matching live in their own files; importers keep importing them from here
export { HARDENING_RULES, optOutAnnotation } from './rules-table';
export type { CheckOptions, HardeningRule, HardeningRuleInfo, ManifestObject, Violation } from './rules-table';
export { malformedProblem } from './malformed';
export { selectorMatches } from './selector-index';
export type { LabelSelector } from './selector-index';

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
  const objects = readInput(input, out);
  const index = indexManifests(objects);
  // the Pod owners this run made: a manifest whose own fields happen to be `obj`, `spec` and
  // `longRunning` (or `id`) is still read as the manifest it is
  const report = reporter(skip, new WeakSet<object>(index.pods), out);
  const run: Run = { report, guarded: guard(report), index };
  for (const o of objects) run.guarded(o, () => checkObject(run, o, clusterScoped));
  for (const p of index.pods) run.guarded(p, () => checkPod(run, p));
  checkReferences(run);
  return out;
}

/** Reports a violation of `rule` by an object or a Pod owner, unless the rule is skipped or opted out with a reason. */
type Report = (rule: HardeningRule, o: ManifestObject | PodOwner, message: string) => void;

/** The input indexed once, so that every cross-object check is linear in the objects. */
interface ManifestIndex {
  readonly objects: readonly ManifestObject[];
  readonly pods: readonly PodOwner[];
  readonly hpas: readonly ManifestObject[];
  readonly pdbs: readonly ManifestObject[];
  readonly services: readonly ManifestObject[];
  readonly ofKind: (kind: string) => ManifestObject[];
  readonly exists: (kind: string, ns: string | undefined, name: string) => boolean;
  readonly hpaByTarget: ReadonlyMap<string, ManifestObject>;
  /** Pod templates indexed by their labels; selectors filed under their most selective part. */
  readonly podIndex: PodIndex;
  readonly netpolIndex: SelectorIndex;
  readonly pdbIndex: SelectorIndex;
  readonly serviceByKey: ReadonlyMap<string, ManifestObject>;
}

/** One run of the checks: where violations go, and the indexed input. */
interface Run {
  readonly report: Report;
  /** Runs one object's checks; a shape no rule expected is reported as malformed rather than thrown. */
  readonly guarded: (o: ManifestObject | PodOwner, check: () => void) => void;
  readonly index: ManifestIndex;
}

/** The reporter of one run: `owners` are the Pod owners it made, everything else is read as a manifest. */
function reporter(skip: ReadonlySet<HardeningRule>, owners: WeakSet<object>, out: Violation[]): Report {
  return (rule, o, message) => {
    if (skip.has(rule)) return;
    const owner = owners.has(o) ? (o as PodOwner) : undefined;
    const obj = owner?.obj ?? (o as ManifestObject);
    const id = owner?.id ?? objectId(obj);
    if (HARDENING_RULES[rule].optOut) {
      const reason = obj.metadata?.annotations?.[optOutAnnotation(rule)];
      if (reason !== undefined && reason.trim().length > 0) return;
      if (reason !== undefined) message = `${message} (its ${optOutAnnotation(rule)} annotation gives no reason, so it does not opt out)`;
    }
    out.push({ rule, object: id, message });
  };
}

/** Wraps one object's checks so that what they throw is reported as malformed. */
function guard(report: Report): Run['guarded'] {
  return (o, check) => {
    try {
      check();
    } catch (e) {
      report('malformed', o, `could not be checked: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/**
 * The input's entries that can be read as objects; the others are reported (an empty YAML document
 * parses to null) and left out of every other rule.
 */
function readInput(input: readonly unknown[], out: Violation[]): ManifestObject[] {
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
  return objects;
}

/** Indexes the objects by kind, reference key and label selector. */
function indexManifests(objects: readonly ManifestObject[]): ManifestIndex {
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
  const podIndex = new PodIndex(pods);
  const netpolIndex = new SelectorIndex(podIndex);
  for (const np of ofKind('NetworkPolicy')) netpolIndex.add(np.metadata?.namespace ?? '', selectorOf(rec(np.spec).podSelector), np);
  const pdbIndex = new SelectorIndex(podIndex);
  for (const d of pdbs) pdbIndex.add(d.metadata?.namespace ?? '', selectorOf(rec(d.spec).selector), d);
  const serviceByKey = new Map(services.map((s) => [refKey('Service', s.metadata?.namespace, s.metadata?.name), s]));
  return { objects, pods, hpas, pdbs, services, ofKind, exists, hpaByTarget, podIndex, netpolIndex, pdbIndex, serviceByKey };
}

/** The checks every object gets: its namespace, secret values in it, and RBAC. */
function checkObject({ report }: Run, o: ManifestObject, clusterScoped: ReadonlySet<string>): void {
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
  if (o.apiVersion === 'rbac.authorization.k8s.io/v1') checkRbac(report, o);
}

/** Roles and bindings: no wildcards, escalation verbs, public subjects or cluster-admin bindings unless allowed. */
function checkRbac(report: Report, o: ManifestObject): void {
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

/** One Pod template: its security, its containers, the NetworkPolicies and budget that select it, its spread. */
function checkPod(run: Run, p: PodOwner): void {
  podSecurity(p, (m) => run.report('pod-security', p, m));
  for (const { c, init } of containersOf(p.spec)) checkContainer(run.report, p, c, init);
  checkNetworkPolicies(run, p);
  checkAvailability(run, p);
}

/** One container of a Pod template: read-only root, resources, pinned image, probes, no secret values. */
function checkContainer(report: Report, p: PodOwner, c: Json, init: boolean): void {
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

/** A Pod template is selected by a NetworkPolicy that restricts ingress, and its egress policies allow DNS. */
function checkNetworkPolicies({ report, index }: Run, p: PodOwner): void {
  const policies = index.netpolIndex.selecting(p.namespace, p.labels);
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
}

/** A long-running controller with 2+ replicas has a PodDisruptionBudget that allows eviction, and spreads across nodes. */
function checkAvailability({ report, index }: Run, p: PodOwner): void {
  if (p.longRunning && p.obj.kind !== 'Pod') {
    const replicas = replicaCount(p, index.hpaByTarget);
    if (replicas >= 2) {
      const matching = index.pdbIndex.selecting(p.namespace, p.labels);
      if (matching.length === 0) report('disruption-budget', p, `has ${replicas} replicas but no PodDisruptionBudget selects its Pods`);
      else if (!matching.some((d) => pdbAllowsEviction(d, replicas)))
        report('disruption-budget', p, `its PodDisruptionBudget allows no eviction of its ${replicas} replicas`);
      if (!spreadsAcrossNodes(p.spec)) report('topology-spread', p, `has ${replicas} replicas but no topology spread or anti-affinity across ${HOSTNAME}`);
    }
  }
}

/** The cross-object checks, kind by kind: what each object refers to exists, and what it exposes is safe. */
function checkReferences(run: Run): void {
  const { guarded, index } = run;
  for (const svc of index.services) guarded(svc, () => checkService(run, svc));
  for (const cj of index.ofKind('CronJob')) guarded(cj, () => checkCronJob(run, cj));
  for (const ing of index.ofKind('Ingress')) guarded(ing, () => checkIngress(run, ing));
  for (const route of index.objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) guarded(route, () => checkRoute(run, route));
  for (const hpa of index.hpas) guarded(hpa, () => checkHpa(run, hpa));
  for (const pdb of index.pdbs) guarded(pdb, () => checkPdb(run, pdb));
}

/** A route or Ingress sends outside traffic to Service `ns/name`: none of the Pods behind it may run a test image. */
function exposesTestImage({ report, index }: Run, from: ManifestObject, ns: string | undefined, name: string): void {
  const selector: unknown = rec(index.serviceByKey.get(refKey('Service', ns, name))?.spec).selector;
  if (typeof selector !== 'object' || selector === null) return;
  for (const p of index.podIndex.selectedBy(ns ?? '', selectorOf({ matchLabels: selector }))) {
    for (const { c } of containersOf(p.spec)) {
      if (typeof c.image === 'string' && isTestImage(c.image))
        report(
          'exposed-test-image',
          from,
          `routes to Service "${name}", whose ${p.id} runs the test image ${JSON.stringify(c.image)}: test images serve endpoints that run commands (agnhost netexec /shell)`,
        );
    }
  }
}

/** A Service's selector matches a Pod template, and its named target ports name container ports of those Pods. */
function checkService({ report, index }: Run, svc: ManifestObject): void {
  const spec = rec(svc.spec);
  if (typeof spec.selector !== 'object' || spec.selector === null || spec.type === 'ExternalName') return;
  const targets = index.podIndex.selected(svc.metadata?.namespace ?? '', selectorOf({ matchLabels: spec.selector }));
  if (targets.length === 0) {
    report('dangling-reference', svc, `selector ${JSON.stringify(spec.selector)} matches no Pod template`);
    return;
  }
  for (const port of arr(spec.ports)) {
    if (typeof port.targetPort !== 'string') continue;
    const named = targets.some((p) => containersOf(p.spec).some(({ c }) => arr(c.ports).some((cp) => cp.name === port.targetPort)));
    if (!named) report('dangling-reference', svc, `targetPort "${port.targetPort}" names no container port of the selected Pods`);
  }
}

/** A CronJob forbids or replaces overlapping runs. */
function checkCronJob({ report }: Run, cj: ManifestObject): void {
  const policy: unknown = rec(cj.spec).concurrencyPolicy;
  if (policy !== 'Forbid' && policy !== 'Replace')
    report(
      'cronjob-concurrency',
      cj,
      `concurrencyPolicy ${policy === undefined ? 'is unset (Allow)' : shown(policy)}: a slow run overlaps the next; set Forbid or Replace`,
    );
}

/** An Ingress serves TLS, and its backend Services exist and run no test image. */
function checkIngress(run: Run, ing: ManifestObject): void {
  const spec = rec(ing.spec);
  if (arr(spec.tls).length === 0)
    run.report('ingress-tls', ing, 'serves plaintext: add spec.tls (a cert-manager issued certificate or an existing TLS Secret)');
  const backends = [rec(spec.defaultBackend), ...arr(spec.rules).flatMap((r) => arr(rec(r.http).paths).map((x) => rec(x.backend)))];
  for (const b of backends) {
    const name: unknown = rec(b.service).name;
    if (typeof name === 'string' && !run.index.exists('Service', ing.metadata?.namespace, name))
      run.report('dangling-reference', ing, `backend Service "${name}" does not exist`);
    else if (typeof name === 'string') exposesTestImage(run, ing, ing.metadata?.namespace, name);
  }
}

/** An HTTPRoute's or GRPCRoute's backend Services exist and run no test image. */
function checkRoute(run: Run, route: ManifestObject): void {
  for (const rule of arr(rec(route.spec).rules)) {
    for (const ref of arr(rule.backendRefs)) {
      if ((ref.kind ?? 'Service') !== 'Service') continue;
      const ns = typeof ref.namespace === 'string' ? ref.namespace : route.metadata?.namespace;
      if (!run.index.exists('Service', ns, String(ref.name)))
        run.report('dangling-reference', route, `backendRef Service "${String(ref.name)}" does not exist`);
      else exposesTestImage(run, route, ns, String(ref.name));
    }
  }
}

/** A HorizontalPodAutoscaler's scale target exists. */
function checkHpa({ report, index }: Run, hpa: ManifestObject): void {
  const ref = rec(rec(hpa.spec).scaleTargetRef);
  if (!index.exists(String(ref.kind), hpa.metadata?.namespace, String(ref.name)))
    report('dangling-reference', hpa, `scaleTargetRef ${String(ref.kind)}/${String(ref.name)} does not exist`);
}

/** A PodDisruptionBudget's selector matches a Pod template. */
function checkPdb({ report, index }: Run, pdb: ManifestObject): void {
  if (!index.podIndex.selectsAny(pdb.metadata?.namespace ?? '', selectorOf(rec(pdb.spec).selector))) {
    report('dangling-reference', pdb, 'selector matches no Pod template');
  }
}
