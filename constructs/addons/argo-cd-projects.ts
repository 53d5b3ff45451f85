import type { ManifestObject } from '../policy/check-manifests';
import type { PlatformAddons } from './platform-addons';
import { MANAGED_BY, TENANT_LABEL } from '../internal/labels';
import { type GroupKind, groupKinds, isClusterScoped, namespacesOf, sortedUnique } from './gitops-types';

/** Argo CD's Helm source wants an OCI registry without the scheme. */
export function argoRepo(repository: string): string {
  return repository.startsWith('oci://') ? repository.slice('oci://'.length) : repository;
}

/** The in-cluster API server, as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** The AppProject of the platform's Applications: the root app and one per add-on. */
export const PLATFORM_PROJECT = 'platform';
/** The AppProject of the apps Application. */
export const APPS_PROJECT = 'apps';

/**
 * Cluster-scoped kinds the add-on charts create themselves (not in our rendered objects, so not
 * derivable from them): generous, but each listed. CRDs, ClusterRoles and their bindings, and
 * webhook configurations come with nearly every controller chart (e.g. prometheus-community
 * kube-prometheus-stack-88.5.3 templates/prometheus-operator/clusterrole.yaml and
 * admission-webhooks/{mutating,validating}WebhookConfiguration.yaml); APIService with
 * kubernetes-sigs/metrics-server charts/metrics-server/templates/apiservice.yaml; CSIDriver,
 * StorageClass and VolumeSnapshotClass with kubernetes-sigs/aws-ebs-csi-driver
 * charts/aws-ebs-csi-driver/templates/csidriver.yaml, storageclass.yaml, volumesnapshotclass.yaml;
 * IngressClass with ingress-nginx; Namespaces with `CreateNamespace=true` and the prerequisites.
 * The kinds of our own cluster-scoped objects are added from the rendering.
 */
const CHART_CLUSTER_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'storage.k8s.io', kind: 'CSIDriver' },
  { group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
  { group: 'cert-manager.io', kind: 'ClusterIssuer' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'kyverno.io', kind: 'ClusterPolicy' },
];

/**
 * The AppProject of the platform (argoproj/argo-cd v3.4.4 pkg/apis/application/v1alpha1/types.go
 * AppProjectSpec; app_project_types.go IsSourcePermitted, isDestinationMatched and
 * IsGroupKindNamePermitted: a cluster-scoped kind must be whitelisted, a namespaced object's
 * namespace must be a destination, an Application's repoURL must be a source repository).
 * Sources: exactly the enabled add-ons' chart repositories and the GitOps repository. Destinations:
 * the engine's namespace (the Applications), every add-on namespace, every namespace our add-on
 * objects go to or create, and the cluster's system namespaces, where charts put objects of their
 * own (kube-prometheus-stack-88.5.3 templates/exporters/kube-controller-manager/service.yaml:
 * `namespace: kube-system`). Cluster-scoped kinds: CHART_CLUSTER_KINDS and those of our objects.
 * Namespaced kinds are not listed: the charts' are not known here.
 */
export function platformProject(
  addons: PlatformAddons,
  argoNamespace: string,
  repoURL: string | undefined,
  objects: readonly ManifestObject[],
): ManifestObject {
  const declarations = [...addons.plan.addons.values()];
  const sourceRepos = sortedUnique(declarations.map((d) => argoRepo(d.chart.repository)));
  const namespaces = sortedUnique([
    argoNamespace,
    ...declarations.map((d) => d.namespace),
    ...namespacesOf(objects),
    ...objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name ?? ''),
    ...addons.contract.systemNamespaces,
  ]);
  const own = groupKinds(objects.filter(isClusterScoped));
  const kinds = [
    ...CHART_CLUSTER_KINDS,
    ...own.filter((k) => !CHART_CLUSTER_KINDS.some((c) => c.group === k.group && c.kind === k.kind)),
  ];
  return appProject(PLATFORM_PROJECT, argoNamespace, {
    sourceRepos: repoURL === undefined ? sourceRepos : [...sourceRepos, repoURL],
    destinations: namespaces.filter((n) => n !== '').map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: kinds,
  });
}

/**
 * The AppProject of the apps: the GitOps repository only; destinations the namespaces the app
 * objects use; exactly the namespaced and the cluster-scoped kinds they contain. Without app objects
 * it admits nothing (an empty whitelist permits no kind: app_project_types.go IsGroupKindNamePermitted).
 * Argo CD v3.4.4 can also hold a cluster-scoped kind to names (types.go ClusterResourceRestrictionItem
 * `name`, manifests/crds/appproject-crd.yaml), which would narrow the apps to their own Namespaces,
 * policies and stores; the schema the tests check AppProjects against does not know the field yet.
 */
export function appsProject(argoNamespace: string, repoURL: string, apps: readonly ManifestObject[]): ManifestObject {
  const roles = tenantRoles(apps);
  return appProject(APPS_PROJECT, argoNamespace, {
    sourceRepos: [repoURL],
    destinations: namespacesOf(apps).map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: groupKinds(apps.filter(isClusterScoped)),
    namespaceResourceWhitelist: groupKinds(apps.filter((o) => !isClusterScoped(o))),
    ...(roles.length > 0 ? { roles } : {}),
  });
}

/** The tenant RoleBindings (tenant-render.ts accessPart) and the project role each becomes. */
const ACCESS_LEVELS = [
  { binding: 'tenant-admin', role: 'admin' },
  { binding: 'tenant-edit', role: 'edit' },
  { binding: 'tenant-view', role: 'view' },
] as const;

/**
 * What each level may do with the apps Application (argoproj/argo-cd v3.4.4
 * docs/operator-manual/rbac.md: project-role policies `p, proj:<project>:<role>, applications,
 * <action>, <project>/<app>, allow`; "Fine-grained Permissions for update/delete action":
 * `<action>/<group>/<kind>/<ns>/<name>` reaches the Application's resources, and since v3 `update`
 * and `delete` alone reach only the Application itself, which no tenant gets). One Application
 * holds every tenant's objects, so admins' update, delete and resource actions are bound to their
 * own namespaces; editors may sync, viewers only look.
 */
function policiesOf(role: 'admin' | 'edit' | 'view', name: string, namespaces: readonly string[]): string[] {
  const p = (action: string): string =>
    `p, proj:${APPS_PROJECT}:${name}, applications, ${action}, ${APPS_PROJECT}/*, allow`;
  const own =
    role === 'admin' ? namespaces.flatMap((ns) => ['update', 'delete'].map((a) => p(`${a}/*/*/${ns}/*`))) : [];
  return [p('get'), ...(role === 'view' ? [] : [p('sync')]), ...own];
}

/**
 * One project role per tenant and access level with groups (`<tenant>-admin`, `-edit`, `-view`),
 * read from the tenants' RoleBindings: the groups an OIDC provider puts in the token's `groups`
 * claim get the role (AppProject spec.roles[].groups; argocd-rbac-cm scopes `[groups]`). Without
 * SSO no one carries those groups.
 */
function tenantRoles(apps: readonly ManifestObject[]): Record<string, unknown>[] {
  const roles = new Map<
    string,
    { level: (typeof ACCESS_LEVELS)[number]; groups: Set<string>; namespaces: Set<string> }
  >();
  for (const o of apps) {
    const level = ACCESS_LEVELS.find((l) => l.binding === o.metadata?.name);
    const tenant = o.metadata?.labels?.[TENANT_LABEL];
    const namespace = o.metadata?.namespace;
    if (o.kind !== 'RoleBinding' || level === undefined || tenant === undefined || namespace === undefined) continue;
    const subjects = ((o as { subjects?: { kind?: string; name?: string }[] }).subjects ?? []).filter(
      (s) => s.kind === 'Group' && s.name !== undefined,
    );
    if (subjects.length === 0) continue;
    const name = `${tenant}-${level.role}`;
    const entry = roles.get(name) ?? { level, groups: new Set<string>(), namespaces: new Set<string>() };
    subjects.forEach((s) => entry.groups.add(s.name as string));
    entry.namespaces.add(namespace);
    roles.set(name, entry);
  }
  return [...roles.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, r]) => ({
      name,
      policies: policiesOf(r.level.role, name, sortedUnique([...r.namespaces])),
      groups: sortedUnique([...r.groups]),
    }));
}

function appProject(name: string, namespace: string, spec: Record<string, unknown>): ManifestObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace, labels: MANAGED_BY },
    spec,
  };
}
