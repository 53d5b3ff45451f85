import type { ManifestObject } from '../policy/check-manifests';
import { MANAGED_BY } from '../internal/labels';
import { ALLOW_ANNOTATION, type AccessRule } from '../rbac/rbac-rules';
import { type GroupKind, groupKinds, groupOf, isClusterScoped, namespacesOf, sortedUnique } from './gitops-types';

/** The ServiceAccount kustomize-controller impersonates to apply the apps. */
export const FLUX_APPS_DEPLOYER = 'groundwork-apps-deployer';

const READ: AccessRule['verbs'] = ['get', 'list', 'watch'];
const WRITE: AccessRule['verbs'] = ['create', 'update', 'patch', 'delete'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The resource (plural) of a kind, as k8s.io/apimachinery pkg/api/meta/restmapper.go
 * UnsafeGuessKindToResource derives it (lowercase; -s takes -es, -y becomes -ies, else -s), with the
 * exceptions the built-in and CRD plurals make (Endpoints; Gateway API's gateways). The test pins the
 * plurals of every kind the apps render.
 */
function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  const exceptions: Readonly<Record<string, string>> = { endpoints: 'endpoints', gateway: 'gateways' };
  if (exceptions[lower] !== undefined) return exceptions[lower];
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * Kinds Flux reads to judge the health of what it applied: kstatus (fluxcd/cli-utils
 * v0.36.0-flux.15, kustomize-controller v1.7.3 go.mod; kubernetes-sigs/cli-utils
 * pkg/kstatus/polling/statusreaders/deployment.go lists a Deployment's ReplicaSets, and
 * replicaset.go and statefulset.go their Pods, and reports Unknown when it cannot), under the
 * impersonated account.
 */
const HEALTH_READS: Readonly<Record<string, readonly GroupKind[]>> = {
  'apps/Deployment': [
    { group: 'apps', kind: 'ReplicaSet' },
    { group: '', kind: 'Pod' },
  ],
  'apps/ReplicaSet': [{ group: '', kind: 'Pod' }],
  'apps/StatefulSet': [{ group: '', kind: 'Pod' }],
};

/** One rule per API group: `verbs` on the resources of `kinds` (optionally by name). */
function rulesFor(
  kinds: readonly GroupKind[],
  verbs: AccessRule['verbs'],
  resourceNames?: readonly string[],
): AccessRule[] {
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) byGroup.set(k.group, sortedUnique([...(byGroup.get(k.group) ?? []), resourceOf(k.kind)]));
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources,
    verbs,
    ...(resourceNames !== undefined ? { resourceNames } : {}),
  }));
}

/**
 * `escalate` on the apps' own Roles and `bind` on the roles their RoleBindings refer to, by name: what
 * Kubernetes asks of a subject that creates a Role or binding granting more than it holds.
 */
function escalationRules(namespaced: readonly ManifestObject[]): AccessRule[] {
  const roleNames = sortedUnique(
    namespaced
      .filter((o) => o.kind === 'Role' && groupOf(o.apiVersion) === RBAC_GROUP)
      .map((o) => o.metadata?.name ?? ''),
  );
  const refs = namespaced
    .filter((o) => o.kind === 'RoleBinding' && groupOf(o.apiVersion) === RBAC_GROUP)
    .map((o) => (o as { roleRef?: { kind?: string; name?: string } }).roleRef ?? {});
  const bound = (kind: string): string[] => sortedUnique(refs.filter((r) => r.kind === kind).map((r) => r.name ?? ''));
  return [
    ...(roleNames.length > 0
      ? [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['escalate'], resourceNames: roleNames } as AccessRule]
      : []),
    ...(bound('Role').length > 0
      ? [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['bind'], resourceNames: bound('Role') } as AccessRule]
      : []),
    ...(bound('ClusterRole').length > 0
      ? [
          {
            apiGroups: [RBAC_GROUP],
            resources: ['clusterroles'],
            verbs: ['bind'],
            resourceNames: bound('ClusterRole'),
          } as AccessRule,
        ]
      : []),
  ];
}

/** The metadata of a deployer object: its name, namespace if any, the managed-by label and annotations if any. */
function deployerMeta(name: string, namespace?: string, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: MANAGED_BY,
    ...(annotations !== undefined ? { annotations } : {}),
  };
}

/** The cluster-scoped apps' access: read every kind they carry, write only their objects, by name, bound to the deployer. */
function clusterScopedAccess(cluster: readonly ManifestObject[], subject: Record<string, string>): ManifestObject[] {
  const clusterRoleName = `${FLUX_APPS_DEPLOYER}-cluster`;
  const byKind = groupKinds(cluster);
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: deployerMeta(clusterRoleName),
      rules: [
        ...rulesFor(byKind, READ),
        ...byKind.flatMap((k) =>
          rulesFor(
            [k],
            WRITE,
            sortedUnique(
              cluster
                .filter((o) => groupOf(o.apiVersion) === k.group && o.kind === k.kind)
                .map((o) => o.metadata?.name ?? ''),
            ),
          ),
        ),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: deployerMeta(clusterRoleName),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRoleName },
      subjects: [subject],
    },
  ];
}

/**
 * What kustomize-controller impersonates to apply the apps (fluxcd/kustomize-controller v1.7.3
 * docs/spec/v1/kustomizations.md "Role-based access control": with `.spec.serviceAccountName` the
 * controller impersonates that ServiceAccount of the Kustomization's namespace; without it, it
 * applies as its own cluster-admin account), granted exactly the kinds the app objects contain:
 *
 * - namespaced kinds through a ClusterRole bound by a RoleBinding in each app namespace only, so
 *   the deployer writes nothing in kube-system or the add-on namespaces. Those RoleBindings need
 *   their namespaces first: the app Namespaces are applied here too (the same objects the apps
 *   carry; Flux takes them over with server-side apply). The Roles and RoleBindings the apps carry
 *   grant more than these kinds (tenant admins read Secrets), and Kubernetes lets a subject create a
 *   Role or binding only with every right it grants, or `escalate` and `bind` on it
 *   (kubernetes/kubernetes pkg/registry/rbac/escalation_check.go RoleEscalationAuthorized and
 *   BindingAuthorized, both authorized by the role's name): granted on those names, in those
 *   namespaces only;
 * - cluster-scoped kinds through a ClusterRoleBinding: read, and write only the objects the apps
 *   carry, by name. `create` can be held by name here because kustomize-controller applies with
 *   server-side apply, a PATCH whose create check carries the name (kubernetes/kubernetes
 *   staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go PatchResource, the apply branch's
 *   createAuthorizerAttributes).
 *
 * What this does not bound: the apps' cluster-scoped objects are platform-level by nature (a
 * ClusterSecretStore chooses the cloud role the secrets operator assumes, a
 * ValidatingAdmissionPolicyBinding what admission enforces cluster-wide), so whoever writes the apps
 * path still decides their content; the deployer only holds them to their names.
 */
export function fluxDeployer(fluxNamespace: string, apps: readonly ManifestObject[]): ManifestObject[] {
  const namespaced = apps.filter((o) => !isClusterScoped(o));
  const cluster = apps.filter(isClusterScoped);
  const kinds = groupKinds(namespaced);
  const reads = kinds
    .flatMap((k) => HEALTH_READS[`${k.group}/${k.kind}`] ?? [])
    .filter((r) => !kinds.some((k) => k.group === r.group && k.kind === r.kind));
  const escalation = escalationRules(namespaced);
  const subject = { kind: 'ServiceAccount', name: FLUX_APPS_DEPLOYER, namespace: fluxNamespace };
  const out: ManifestObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: deployerMeta(FLUX_APPS_DEPLOYER, fluxNamespace) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: deployerMeta(
        FLUX_APPS_DEPLOYER,
        undefined,
        escalation.length > 0
          ? {
              [ALLOW_ANNOTATION.escalation]:
                "escalate and bind only on the apps' own Roles and role references, by name, and only where a RoleBinding grants this role: the app namespaces",
            }
          : undefined,
      ),
      rules: [...rulesFor(kinds, [...READ, ...WRITE]), ...rulesFor(reads, READ), ...escalation],
    },
  ];
  if (cluster.length > 0) out.push(...clusterScopedAccess(cluster, subject));
  // the app Namespaces, as the apps carry them, before the RoleBindings placed in them
  out.push(
    ...cluster
      .filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')
      .map((o) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { ...o.metadata } })),
  );
  for (const namespace of namespacesOf(apps)) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: deployerMeta(FLUX_APPS_DEPLOYER, namespace),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: FLUX_APPS_DEPLOYER },
      subjects: [subject],
    });
  }
  return out;
}
