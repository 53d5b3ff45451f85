/**
 * RBAC rules as pure data and pure checks, shared by the RBAC constructs (construction errors) and
 * `checkManifests` (the same rules over any manifest).
 */

/** Verbs a rule may grant. `escalate`, `bind` and `impersonate` let a subject exceed its own rights. */
export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'escalate'
  | 'bind'
  | 'impersonate'
  | 'use'
  | '*';

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
  /**
   * Why wildcard verbs, resources or API groups are needed.
   * @default - none: wildcards are refused
   */
  readonly wildcards?: string;
  /**
   * Why `escalate`, `bind` or `impersonate` is needed.
   * @default - none: those verbs are refused
   */
  readonly escalation?: string;
  /**
   * Why a binding names `system:anonymous`, `system:unauthenticated` or `system:authenticated`.
   * @default - none: those subjects are refused
   */
  readonly publicSubjects?: string;
}

/** A subject of a binding. */
export interface AccessSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /**
   * ServiceAccount namespace.
   * @default - the binding's namespace (required in a ClusterRoleBinding)
   */
  readonly namespace?: string;
}

/** Subjects every request (or every unauthenticated one, or every ServiceAccount of the cluster) carries. */
export const PUBLIC_SUBJECTS: readonly string[] = [
  'system:anonymous',
  'system:unauthenticated',
  'system:authenticated',
  'system:serviceaccounts',
];

/** Who a public subject is, for messages. */
const PUBLIC_MEANS: Readonly<Record<string, string>> = {
  'system:anonymous': 'every anonymous caller',
  'system:unauthenticated': 'every anonymous caller',
  'system:authenticated': 'every authenticated caller',
  'system:serviceaccounts': 'every ServiceAccount of every namespace (any Pod anyone can create)',
};

/**
 * Built-in ClusterRoles that write (nearly) everything: bound cluster-wide they reach every
 * namespace's workloads (and, through them, Secrets). `admin` and `edit` aggregate every role
 * labelled `rbac.authorization.k8s.io/aggregate-to-admin`/`-edit` (k8s.io/kubernetes
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
 */
export const CLUSTER_WIDE_WRITERS: readonly string[] = ['cluster-admin', 'admin', 'edit'];

/** Label prefix that merges a ClusterRole's rules into the built-in `admin`, `edit` and `view` (policy.go aggregation rules). */
export const AGGREGATION_LABEL_PREFIX = 'rbac.authorization.k8s.io/aggregate-to-';

/** A reason counts only when it says something (a blank annotation or allowance allows nothing). */
export function reasonGiven(reason: unknown): reason is string {
  return typeof reason === 'string' && reason.trim().length > 0;
}
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

/** Each allowance given without its reason, at `allow.<key>` (a blank reason allows nothing). */
export function unexplainedAllowances(allow: RbacAllowances | undefined): RbacProblem[] {
  const given: Readonly<Record<string, unknown>> = { ...allow };
  return Object.entries(given)
    .filter(([, reason]) => !reasonGiven(reason))
    .map(([key, reason]) => ({
      field: `allow.${key}`,
      value: reason,
      message: 'must give the reason (a blank reason allows nothing)',
    }));
}

/** Problems of one rule at `field`, skipping what `allow` excuses. */
export function ruleProblems(
  field: string,
  rule: {
    apiGroups?: readonly unknown[];
    resources?: readonly unknown[];
    verbs?: readonly unknown[];
    nonResourceURLs?: readonly unknown[];
  },
  allow: RbacAllowances = {},
): RbacProblem[] {
  const out: RbacProblem[] = [];
  if (!reasonGiven(allow.wildcards)) {
    // `*/scale` and `deployments/*` are wildcards too (every resource's subresource, every subresource)
    for (const key of ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const) {
      const given: unknown = rule[key];
      const list: readonly unknown[] = Array.isArray(given) ? given : [];
      if (
        list.some(
          (x) => typeof x === 'string' && (x === '*' || x.endsWith('/*') || x.startsWith('*/') || x.endsWith('*')),
        )
      ) {
        out.push({
          field: `${field}.${key}`,
          value: list,
          message:
            'must not use a wildcard: list what is needed (or allow it explicitly with a reason: allow.wildcards)',
        });
      }
    }
  }
  if (!reasonGiven(allow.escalation)) {
    const escalating = (Array.isArray(rule.verbs) ? rule.verbs : []).filter(
      (v: unknown) => typeof v === 'string' && ESCALATION_VERBS.includes(v),
    );
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
export function subjectProblems(
  field: string,
  subjects: readonly { kind?: unknown; name?: unknown }[],
  allow: RbacAllowances = {},
): RbacProblem[] {
  if (reasonGiven(allow.publicSubjects)) return [];
  return subjects
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => typeof s.name === 'string' && PUBLIC_SUBJECTS.includes(s.name))
    .map(({ s, i }) => ({
      field: `${field}[${i}]`,
      value: `${String(s.kind)} ${String(s.name)}`,
      message: `must not be bound: ${String(s.name)} is ${PUBLIC_MEANS[String(s.name)]} (or allow it explicitly with a reason: allow.publicSubjects)`,
    }));
}

/**
 * Problems of a role object that widens other roles or a binding that hands out a writer of every
 * namespace: aggregation labels (its rules join the built-in admin, edit or view), an
 * `aggregationRule` (it gathers every role that matches), and a ClusterRoleBinding to cluster-admin,
 * admin or edit. Each is allowed only with `allow.escalation` and a reason.
 */
export function widening(
  o: {
    kind?: unknown;
    metadata?: { labels?: Readonly<Record<string, string>> };
    aggregationRule?: unknown;
    roleRef?: unknown;
  },
  allow: RbacAllowances = {},
): RbacProblem[] {
  if (reasonGiven(allow.escalation)) return [];
  const out: RbacProblem[] = [];
  const labels = Object.keys(o.metadata?.labels ?? {}).filter((k) => k.startsWith(AGGREGATION_LABEL_PREFIX));
  if (labels.length > 0)
    out.push({
      field: 'metadata.labels',
      value: labels,
      message: `must not carry aggregation labels: the role's rules join the built-in ${labels.map((l) => l.slice(AGGREGATION_LABEL_PREFIX.length)).join(', ')} role everywhere it is bound (or allow it explicitly with a reason: allow.escalation)`,
    });
  if (o.kind === 'ClusterRole' && o.aggregationRule !== undefined)
    out.push({
      field: 'aggregationRule',
      value: 'set',
      message:
        'must not aggregate other roles: it gains whatever any matching role grants, now or later (or allow it explicitly with a reason: allow.escalation)',
    });
  const ref =
    typeof o.roleRef === 'object' && o.roleRef !== null ? (o.roleRef as { kind?: unknown; name?: unknown }) : {};
  if (
    o.kind === 'ClusterRoleBinding' &&
    ref.kind === 'ClusterRole' &&
    typeof ref.name === 'string' &&
    CLUSTER_WIDE_WRITERS.includes(ref.name)
  )
    out.push({
      field: 'roleRef',
      value: ref.name,
      message: `must not bind ${ref.name} cluster-wide: it writes the workloads (and so reads the Secrets) of every namespace; bind it in a namespace (or allow it explicitly with a reason: allow.escalation)`,
    });
  return out;
}

/** Allowances recorded on an object's annotations (a reason per exception). */
export function allowancesOf(annotations: Readonly<Record<string, string>> | undefined): RbacAllowances {
  const a = annotations ?? {};
  const given = (k: string): string | undefined => (reasonGiven(a[k]) ? a[k] : undefined);
  return {
    wildcards: given(ALLOW_ANNOTATION.wildcards),
    escalation: given(ALLOW_ANNOTATION.escalation),
    publicSubjects: given(ALLOW_ANNOTATION.publicSubjects),
  };
}

const CORE_READ = [
  'pods',
  'pods/log',
  'services',
  'endpoints',
  'configmaps',
  'persistentvolumeclaims',
  'events',
  'serviceaccounts',
];
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
  secretReader: (names: readonly string[]): AccessRule[] => [
    { apiGroups: [''], resources: ['secrets'], resourceNames: [...names], verbs: ['get'] },
  ],
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
