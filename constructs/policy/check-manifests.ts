import { pinnedImage } from '../internal/rules';
import { findSecrets, secretMessage, secretsInArgs } from '../internal/secrets';
import { allowancesOf, ruleProblems, subjectProblems, widening } from '../rbac/rbac-rules';
import { arr, malformedProblem, rec, type Json } from './malformed';
import { containersOf, podOwner, podSecurity, type PodOwner } from './pod-security';
import {
  HARDENING_RULES,
  objectId,
  optOutAnnotation,
  refKey,
  type CheckOptions,
  type HardeningRule,
  type ManifestObject,
  type Violation,
} from './rules-table';
import { secretsOutsidePods } from './secret-values';
import { PodIndex, SelectorIndex, selectorOf } from './selector-index';
import {
  allowsDns,
  HOSTNAME,
  pdbAllowsEviction,
  policyTypesOf,
  replicaCount,
  spreadsAcrossNodes,
} from './workload-rules';

// the rule table, the shapes and the selector matching live in their own files; importers keep importing them from here
import type { ManifestIndex, Report, Run } from './run';
import { checkReferences } from './reference-rules';
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
      if (reason !== undefined)
        message = `${message} (its ${optOutAnnotation(rule)} annotation gives no reason, so it does not opt out)`;
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
    if (typeof ref.kind === 'string' && typeof ref.name === 'string')
      hpaByTarget.set(refKey(ref.kind, h.metadata?.namespace, ref.name), h);
  }
  const podIndex = new PodIndex(pods);
  const netpolIndex = new SelectorIndex(podIndex);
  for (const np of ofKind('NetworkPolicy'))
    netpolIndex.add(np.metadata?.namespace ?? '', selectorOf(rec(np.spec).podSelector), np);
  const pdbIndex = new SelectorIndex(podIndex);
  for (const d of pdbs) pdbIndex.add(d.metadata?.namespace ?? '', selectorOf(rec(d.spec).selector), d);
  const serviceByKey = new Map(services.map((s) => [refKey('Service', s.metadata?.namespace, s.metadata?.name), s]));
  return {
    objects,
    pods,
    hpas,
    pdbs,
    services,
    ofKind,
    exists,
    hpaByTarget,
    podIndex,
    netpolIndex,
    pdbIndex,
    serviceByKey,
  };
}

/** The checks every object gets: its namespace, secret values in it, and RBAC. */
function checkObject({ report }: Run, o: ManifestObject, clusterScoped: ReadonlySet<string>): void {
  const namespaced = !clusterScoped.has(o.kind) && !CLUSTER_SCOPED_GROUPS.some((g) => o.apiVersion.startsWith(g));
  if (namespaced && (!o.metadata?.namespace || o.metadata.namespace === 'default')) {
    report('namespace', o, `must be in a namespace other than "default" (got ${o.metadata?.namespace ?? 'none'})`);
  }
  if (o.kind === 'Secret' && (Object.keys(rec(o.data)).length > 0 || Object.keys(rec(o.stringData)).length > 0)) {
    report(
      'secret-values',
      o,
      'must not carry data in the manifests: reference an existing Secret or an ExternalSecret',
    );
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
  for (const p of widening(o, allow).filter((w) => w.value !== 'cluster-admin'))
    report('rbac', o, `${p.field} (${JSON.stringify(p.value)}) ${p.message}`);
  if (
    (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
    rec(o.roleRef).name === 'cluster-admin' &&
    !allow.escalation
  ) {
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
  if (rec(c.securityContext).readOnlyRootFilesystem !== true)
    report('read-only-root-filesystem', p, `${name} must set readOnlyRootFilesystem: true`);
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
      report(
        'network-policy',
        p,
        'its NetworkPolicies restrict egress only: ingress to its Pods stays open (add an Ingress policy)',
      );
    }
    const egress = policies.filter((np) => policyTypesOf(np).includes('Egress'));
    if (egress.length > 0 && !egress.some((np) => arr(rec(np.spec).egress).some(allowsDns))) {
      report(
        'network-policy',
        p,
        'its NetworkPolicies restrict egress without allowing DNS (UDP 53): name resolution fails',
      );
    }
  }
}

/** A long-running controller with 2+ replicas has a PodDisruptionBudget that allows eviction, and spreads across nodes. */
function checkAvailability({ report, index }: Run, p: PodOwner): void {
  if (p.longRunning && p.obj.kind !== 'Pod') {
    const replicas = replicaCount(p, index.hpaByTarget);
    if (replicas >= 2) {
      const matching = index.pdbIndex.selecting(p.namespace, p.labels);
      if (matching.length === 0)
        report('disruption-budget', p, `has ${replicas} replicas but no PodDisruptionBudget selects its Pods`);
      else if (!matching.some((d) => pdbAllowsEviction(d, replicas)))
        report('disruption-budget', p, `its PodDisruptionBudget allows no eviction of its ${replicas} replicas`);
      if (!spreadsAcrossNodes(p.spec))
        report(
          'topology-spread',
          p,
          `has ${replicas} replicas but no topology spread or anti-affinity across ${HOSTNAME}`,
        );
    }
  }
}
