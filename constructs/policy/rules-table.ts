/**
 * The hardening rules as a table (what each requires, whether an object may opt out of it), the
 * shapes {@link checkManifests} reads and reports, and how it names an object in a report.
 */

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
  'read-only-root-filesystem': {
    severity: 'error',
    optOut: true,
    requires: 'every container sets readOnlyRootFilesystem: true',
  },
  resources: {
    severity: 'error',
    optOut: true,
    requires: 'CPU and memory requests and a memory limit on every container',
  },
  probes: {
    severity: 'error',
    optOut: true,
    requires: 'readiness and liveness probes on the containers of long-running workloads',
  },
  'image-pinned': {
    severity: 'error',
    optOut: false,
    requires: 'images pinned by a tag other than latest, or by digest',
  },
  'disruption-budget': {
    severity: 'error',
    optOut: true,
    requires: 'a PodDisruptionBudget that still allows an eviction for 2+ replicas',
  },
  'topology-spread': {
    severity: 'error',
    optOut: true,
    requires: 'topology spread or anti-affinity across nodes for 2+ replicas',
  },
  'network-policy': {
    severity: 'error',
    optOut: true,
    requires: "a NetworkPolicy restricting every Pod's ingress, and DNS (UDP 53) allowed wherever egress is restricted",
  },
  namespace: { severity: 'error', optOut: false, requires: 'namespaced objects in a namespace other than default' },
  'dangling-reference': {
    severity: 'error',
    optOut: false,
    requires: 'Services, Ingresses, routes, HPAs and PDBs pointing at objects that exist',
  },
  'secret-values': {
    severity: 'error',
    optOut: false,
    requires:
      'no secret values: no Secret data, and no secret-looking literals in env, args, ConfigMaps or GitOps values',
  },
  rbac: {
    severity: 'error',
    optOut: false,
    requires:
      'RBAC without wildcards, escalation verbs, public subjects or cluster-admin bindings (each allowed only by its own groundwork.io/allow-rbac-* annotation with a reason)',
  },
  'ingress-tls': { severity: 'error', optOut: true, requires: 'every Ingress terminates TLS (spec.tls)' },
  'cronjob-concurrency': {
    severity: 'error',
    optOut: true,
    requires: 'CronJobs never overlap their Jobs (concurrencyPolicy Forbid or Replace)',
  },
  'exposed-test-image': {
    severity: 'error',
    optOut: false,
    requires:
      'no Kubernetes test image (e2e-test-images/*: agnhost netexec serves /shell?cmd=) behind an Ingress or a Gateway route',
  },
  malformed: {
    severity: 'error',
    optOut: false,
    requires: 'every entry is a Kubernetes object with apiVersion, kind and well-formed metadata',
  },
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

export function objectId(o: ManifestObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

/** Key of an object by kind, namespace and name. */
export function refKey(kind: unknown, namespace: string | undefined, name: unknown): string {
  return `${String(kind)}\u0000${namespace ?? ''}\u0000${String(name)}`;
}
