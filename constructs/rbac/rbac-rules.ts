/**
 * RBAC rules as pure data and pure checks, shared by the RBAC constructs (construction errors) and
 * `checkManifests` (the same rules over any manifest).
 */

/** Verbs a rule may grant. `escalate`, `bind` and `impersonate` let a subject exceed its own rights. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'escalate' | 'bind' | 'impersonate' | 'use' | '*';

/** One RBAC policy rule. */
export interface AccessRule {
  /** API groups (`''` is the core group). */
  readonly apiGroups: readonly string[];
  /** Resources, e.g. `deployments`, `pods/log`. */
  readonly resources: readonly string[];
  /** Verbs granted on them. */
  readonly verbs: readonly Verb[];
  /**
   * Only these objects by name.
   * @default - every object of the resources
   */
  readonly resourceNames?: readonly string[];
}

/**
 * Explicit exceptions to the RBAC rules, each with the reason (kept in the error otherwise and on
 * the object as an annotation).
 */
export interface RbacAllowances {
  /** Why wildcard verbs, resources or API groups are needed. */
  readonly wildcards?: string;
  /** Why `escalate`, `bind` or `impersonate` is needed. */
  readonly escalation?: string;
  /** Why a binding names `system:anonymous`, `system:unauthenticated` or `system:authenticated`. */
  readonly publicSubjects?: string;
}

/** A subject of a binding. */
export interface AccessSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccount namespace. */
  readonly namespace?: string;
}

/** Subjects every request (or every unauthenticated one) carries. */
export const PUBLIC_SUBJECTS: readonly string[] = ['system:anonymous', 'system:unauthenticated', 'system:authenticated'];
/** Verbs that let a subject grant or assume more than it holds. */
export const ESCALATION_VERBS: readonly string[] = ['escalate', 'bind', 'impersonate'];
/** Annotation carrying the reason for an allowed exception, per kind of exception. */
export const ALLOW_ANNOTATION = {
  wildcards: 'groundwork.io/allow-rbac-wildcards',
  escalation: 'groundwork.io/allow-rbac-escalation',
  publicSubjects: 'groundwork.io/allow-public-subjects',
} as const;

/** One broken RBAC rule: where, the value, and what is wrong (with how to allow it). */
export interface RbacProblem {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

/** Problems of one rule at `field`, skipping what `allow` excuses. */
export function ruleProblems(
  field: string,
  rule: { apiGroups?: readonly unknown[]; resources?: readonly unknown[]; verbs?: readonly unknown[] },
  allow: RbacAllowances = {},
): RbacProblem[] {
  const out: RbacProblem[] = [];
  if (!allow.wildcards) {
    for (const key of ['verbs', 'resources', 'apiGroups'] as const) {
      const given: unknown = rule[key];
      const list: readonly unknown[] = Array.isArray(given) ? given : [];
      if (list.some((x) => x === '*' || (typeof x === 'string' && x.endsWith('/*')))) {
        out.push({
          field: `${field}.${key}`,
          value: list,
          message: 'must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
        });
      }
    }
  }
  if (!allow.escalation) {
    const escalating = (Array.isArray(rule.verbs) ? rule.verbs : []).filter((v: unknown) => typeof v === 'string' && ESCALATION_VERBS.includes(v));
    if (escalating.length > 0) {
      out.push({
        field: `${field}.verbs`,
        value: rule.verbs,
        message: `must not grant ${escalating.join(', ')}: they let a subject exceed its own rights (or allow it explicitly with a reason: allow.escalation)`,
      });
    }
  }
  return out;
}

/** Problems of a binding's subjects at `field`, skipping what `allow` excuses. */
export function subjectProblems(field: string, subjects: readonly { kind?: unknown; name?: unknown }[], allow: RbacAllowances = {}): RbacProblem[] {
  if (allow.publicSubjects) return [];
  return subjects
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => typeof s.name === 'string' && PUBLIC_SUBJECTS.includes(s.name))
    .map(({ s, i }) => ({
      field: `${field}[${i}]`,
      value: `${String(s.kind)} ${String(s.name)}`,
      message: `must not be bound: ${String(s.name)} is every ${s.name === 'system:authenticated' ? 'authenticated' : 'anonymous'} caller (or allow it explicitly with a reason: allow.publicSubjects)`,
    }));
}

/** Allowances recorded on an object's annotations (a reason per exception). */
export function allowancesOf(annotations: Readonly<Record<string, string>> | undefined): RbacAllowances {
  const a = annotations ?? {};
  return { wildcards: a[ALLOW_ANNOTATION.wildcards], escalation: a[ALLOW_ANNOTATION.escalation], publicSubjects: a[ALLOW_ANNOTATION.publicSubjects] };
}

const CORE_READ = ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'events', 'serviceaccounts'];
const READ: readonly Verb[] = ['get', 'list', 'watch'];
const WRITE: readonly Verb[] = ['create', 'update', 'patch', 'delete'];
/** Namespaced kinds an app team works with, by API group (secrets, RBAC and quotas excluded). */
const APP_RESOURCES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['', ['services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts']],
  ['apps', ['deployments', 'statefulsets', 'daemonsets', 'replicasets']],
  ['batch', ['jobs', 'cronjobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['ingresses']],
  ['gateway.networking.k8s.io', ['httproutes', 'grpcroutes']],
  ['argoproj.io', ['rollouts']],
  ['monitoring.coreos.com', ['servicemonitors', 'prometheusrules']],
];

/**
 * Kinds that reach past the namespace's own objects, granted to editors and the CI deployer only
 * when delegated: an ExternalSecret copies any entry of the tenant's secret store into a Secret,
 * and an AnalysisTemplate makes the Rollouts controller (which reads every Secret in the cluster)
 * query what it names. Readers still see them.
 */
export const DELEGABLE_RESOURCES = {
  externalSecrets: ['external-secrets.io', ['externalsecrets']],
  analysis: ['argoproj.io', ['analysistemplates']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;

/** What may be delegated to editors and the CI deployer beyond the app kinds. */
export type Delegation = keyof typeof DELEGABLE_RESOURCES;

const READABLE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...APP_RESOURCES,
  DELEGABLE_RESOURCES.externalSecrets,
  ['argoproj.io', ['analysistemplates', 'analysisruns']],
];
const writable = (delegate: readonly Delegation[]): ReadonlyArray<readonly [string, readonly string[]]> => [
  ...APP_RESOURCES,
  ...delegate.map((d) => DELEGABLE_RESOURCES[d]),
];

/**
 * Rules of the role presets (namespaced). The Secret API appears only in `secretReader` (by name)
 * and `namespaceAdmin`. What no namespaced preset can promise: **anyone who may create Pods (or
 * the Deployments, Jobs and Rollouts that create them) in a namespace can read every Secret in
 * it**, by mounting it; RBAC has no rule for "Pods that do not mount Secrets". The presets that
 * write workloads are named for what they do guarantee.
 */
export const ROLE_PRESETS = {
  /** Read what a team runs; no Secrets (not even their names' contents), no exec. */
  view: (): AccessRule[] => [
    { apiGroups: [''], resources: CORE_READ, verbs: READ },
    ...READABLE.filter(([g]) => g !== '').map(([g, r]) => ({ apiGroups: [g], resources: [...r], verbs: READ })),
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ },
  ],
  /**
   * Change the team's workloads and config (plus what `delegate` names). Guarantees: no Secret
   * API access, no exec or port-forward, no RBAC, quota, NetworkPolicy or admission changes.
   * Does not guarantee secrecy: a Pod it creates may mount any Secret of the namespace.
   */
  editWorkloads: (delegate: readonly Delegation[] = []): AccessRule[] => [
    ...ROLE_PRESETS.view(),
    ...writable(delegate).map(([g, r]) => ({ apiGroups: [g], resources: [...r], verbs: WRITE })),
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  ],
  /**
   * What a CI pipeline needs to apply the team's workloads (plus what `delegate` names): create
   * and update them, nothing else. Like every workload writer, it can mount the namespace's Secrets.
   */
  deployer: (delegate: readonly Delegation[] = []): AccessRule[] =>
    writable(delegate).map(([g, r]) => ({ apiGroups: [g], resources: [...r], verbs: [...READ, ...WRITE] })),
  /** Read only the named Secrets (`get`: `list`/`watch` would return every Secret's data). */
  secretReader: (names: readonly string[]): AccessRule[] => [{ apiGroups: [''], resources: ['secrets'], resourceNames: [...names], verbs: ['get'] }],
  /** Everything in the namespace except raising its quota, changing its isolation or escalating RBAC. */
  namespaceAdmin: (): AccessRule[] => [
    ...ROLE_PRESETS.editWorkloads(['externalSecrets', 'analysis']),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
  ],
} as const;

/** Names of the presets. */
export type RolePreset = Exclude<keyof typeof ROLE_PRESETS, 'secretReader'>;
