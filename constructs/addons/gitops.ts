import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import { secretInValue } from '../internal/secrets';
import { objectSpec, type PropShapes, PropsValidator } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { ChartRef } from './catalog';
import type { PlanStep } from './graph';
import type { PlatformAddons } from './platform-addons';
import { MANAGED_BY } from '../internal/labels';
import { ALLOW_ANNOTATION, type AccessRule } from '../rbac/rbac-rules';

export { FLUX_CREATE_ONLY_ANNOTATION } from './flux';

/** Where the GitOps engine finds the rendered output. */
export interface GitOpsTarget {
  /** Engine that applies the add-ons. */
  readonly engine: 'argo-cd' | 'flux';
  /**
   * Git repository holding the synthesized YAML.
   * @default - none: no bootstrap objects; the wave files are applied in order by `scripts/bootstrap.sh`
   */
  readonly repoURL?: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** Directory of the stack's output in that repository (apps there, add-ons in `<path>/addons`), e.g. `deploy/prod`. */
  readonly path: string;
}

/** The chart that installs the engine itself, installed once by hand or script before the bootstrap objects. */
export interface EngineInstall {
  readonly chart: ChartRef;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Options of {@link renderGitOps}. */
export interface RenderGitOpsOptions {
  /**
   * Let the engine apply the apps (the kustomization at `target.path`) after this plan wave: the
   * last wave whose steps serve the CRDs and objects the apps need.
   * @default - the engine applies only the add-ons
   */
  readonly appsAfterWave?: number;
  /**
   * The app objects the engine applies at `target.path` (what `renderEnvironment` renders). What the
   * engine may do with the apps is derived from them: Argo CD's `apps` AppProject (destinations and
   * the kinds it may apply) and Flux's deployer ServiceAccount (the kinds, and the names of
   * cluster-scoped objects, it may write).
   * @default - none: the apps project and the deployer admit nothing, so the apps are not applied
   */
  readonly apps?: readonly ManifestObject[];
}

/** The rendered add-on tree: file name to objects, plus the bootstrap objects applied once. */
export interface GitOpsRendering {
  /** Files of the add-on directory, in apply order (one per wave; Flux adds a sources file first). */
  readonly files: ReadonlyArray<{ readonly name: string; readonly objects: readonly ManifestObject[] }>;
  /** Objects that point the engine at the directory (applied once; empty without a repository). */
  readonly bootstrap: readonly ManifestObject[];
  /** The engine's own chart, for the bootstrap install. */
  readonly engine: EngineInstall;
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

function withAnnotations(o: ManifestObject, annotations: Record<string, string>): ManifestObject {
  const metadata = { ...o.metadata, annotations: { ...o.metadata?.annotations, ...annotations } };
  return { ...o, metadata };
}

/** Argo CD's Helm source wants an OCI registry without the scheme. */
function argoRepo(repository: string): string {
  return repository.startsWith('oci://') ? repository.slice('oci://'.length) : repository;
}

const pad = (i: number): string => String(i).padStart(2, '0');

/**
 * Retries for the root app and every child: a sync that fails (a webhook not ready yet) is retried
 * instead of staying failed; automated sync alone does not retry a failed revision.
 */
const ARGO_RETRY = { limit: 10, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } };

/** The in-cluster API server, as Argo CD names it. */
const IN_CLUSTER = 'https://kubernetes.default.svc';
/** The AppProject of the platform's Applications: the root app and one per add-on. */
export const PLATFORM_PROJECT = 'platform';
/** The AppProject of the apps Application. */
export const APPS_PROJECT = 'apps';

/** A Kubernetes API group and kind. */
interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** API group of an apiVersion (`''` for the core group). */
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * Whether a rendered object is cluster-scoped: it carries no namespace. True of every rendering that
 * passes `checkManifests`, whose `namespace` rule refuses a namespaced object without one.
 */
const isClusterScoped = (o: ManifestObject): boolean => o.metadata?.namespace === undefined;

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The distinct group/kinds of `objects`, sorted by group then kind. */
function groupKinds(objects: readonly ManifestObject[]): GroupKind[] {
  const keys = sortedUnique(objects.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`));
  return keys.map((k) => ({ group: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) }));
}

/** The namespaces the namespaced objects of `objects` go to, sorted. */
const namespacesOf = (objects: readonly ManifestObject[]): string[] =>
  sortedUnique(objects.filter((o) => !isClusterScoped(o)).map((o) => o.metadata?.namespace ?? ''));

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
function platformProject(addons: PlatformAddons, argoNamespace: string, repoURL: string | undefined, objects: readonly ManifestObject[]): ManifestObject {
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
  const kinds = [...CHART_CLUSTER_KINDS, ...own.filter((k) => !CHART_CLUSTER_KINDS.some((c) => c.group === k.group && c.kind === k.kind))];
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
function appsProject(argoNamespace: string, repoURL: string, apps: readonly ManifestObject[]): ManifestObject {
  return appProject(APPS_PROJECT, argoNamespace, {
    sourceRepos: [repoURL],
    destinations: namespacesOf(apps).map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: groupKinds(apps.filter(isClusterScoped)),
    namespaceResourceWhitelist: groupKinds(apps.filter((o) => !isClusterScoped(o))),
  });
}

function appProject(name: string, namespace: string, spec: Record<string, unknown>): ManifestObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace, labels: MANAGED_BY }, spec };
}

function argoApplication(d: AddonDeclaration, wave: number, argoNamespace: string): ManifestObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: d.id,
      namespace: argoNamespace,
      labels: MANAGED_BY,
      annotations: { [SYNC_WAVE]: String(wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: PLATFORM_PROJECT,
      source: {
        repoURL: argoRepo(d.chart.repository),
        chart: d.chart.chart,
        targetRevision: d.chart.version,
        helm: { releaseName: d.releaseName, valuesObject: d.values },
      },
      destination: { server: IN_CLUSTER, namespace: d.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: ARGO_RETRY,
      },
    },
  };
}

interface GitApplication {
  readonly name: string;
  /** Namespace of the Application (Argo CD's). */
  readonly namespace: string;
  readonly project: string;
  /** Default namespace of the synced objects; must be a destination of the project. */
  readonly destinationNamespace: string;
  readonly path: string;
  readonly annotations: Record<string, string>;
  readonly extraSyncOptions?: readonly string[];
}

function gitApplication(target: GitOpsTarget & { repoURL: string }, app: GitApplication): ManifestObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: app.name, namespace: app.namespace, labels: MANAGED_BY, annotations: app.annotations },
    spec: {
      project: app.project,
      source: { repoURL: target.repoURL, targetRevision: target.revision, path: app.path },
      destination: { server: IN_CLUSTER, namespace: app.destinationNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // argo-cd v3.2 docs/user-guide/sync-options.md: without SkipDryRunOnMissingResource the dry run of
        // a custom resource whose CRD a child Application installs fails the whole first sync
        syncOptions: ['ServerSideApply=true', 'SkipDryRunOnMissingResource=true', ...(app.extraSyncOptions ?? [])],
        retry: ARGO_RETRY,
      },
    },
  };
}

/**
 * Argo CD: every Application names an AppProject the rendering defines, never `default`. The
 * projects head the first wave file, one sync wave before everything else, so the root app keeps
 * them current as the profile and the apps change; with a repository the bootstrap also applies
 * them before the root app (whose project must exist before it can sync anything).
 */
function renderArgo(addons: PlatformAddons, target: GitOpsTarget, options: RenderGitOpsOptions): Omit<GitOpsRendering, 'engine'> {
  const argoNamespace = addons.plan.addons.get('argo-cd')?.namespace ?? 'argocd';
  const { plan } = addons;
  const files = plan.waves.map((wave, i) => {
    const objects: ManifestObject[] = [];
    for (const id of wave) {
      const step = plan.steps.get(id) as PlanStep;
      if (step.kind === 'release') objects.push(argoApplication(plan.addons.get(step.addon) as AddonDeclaration, i, argoNamespace));
      else objects.push(...step.objects.map((o) => withAnnotations(o, { [SYNC_WAVE]: String(i), [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' })));
    }
    return { name: `wave-${pad(i)}`, objects };
  });
  const addonObjects = [...plan.steps.values()].flatMap((s) => s.objects);
  const projects = [platformProject(addons, argoNamespace, target.repoURL, addonObjects)];
  const git = target.repoURL === undefined ? undefined : (target as GitOpsTarget & { repoURL: string });
  if (git !== undefined && options.appsAfterWave !== undefined) {
    const appObjects = options.apps ?? [];
    const project = appsProject(argoNamespace, git.repoURL, appObjects);
    projects.push(project);
    const wave = options.appsAfterWave + 1;
    const apps = gitApplication(git, {
      name: 'groundwork-apps',
      namespace: argoNamespace,
      project: APPS_PROJECT,
      // every app object names its namespace; the destination only has to be one the project permits
      destinationNamespace: namespacesOf(appObjects)[0] ?? argoNamespace,
      path: target.path,
      annotations: { [SYNC_WAVE]: String(wave) },
      // the canary routes' rules, ignored in the diff (argo-cd.ts CANARY_ROUTE_IGNORE), are kept at
      // their live value by a sync too: argoproj/argo-cd v3.4.4 docs/user-guide/sync-options.md
      // "Respect ignore differences configs" (by default the desired state is applied as-is), and
      // controller/sync.go normalizeTargetResources, whose diff config holds the argocd-cm resource
      // overrides (controller/state.go WithDiffSettings(app.Spec.IgnoreDifferences, resourceOverrides, …))
      extraSyncOptions: ['RespectIgnoreDifferences=true'],
    });
    if (wave < files.length) files[wave].objects.push(apps);
    else files.push({ name: `wave-${pad(wave)}`, objects: [apps] });
  }
  if (files.length === 0) files.push({ name: 'wave-00', objects: [] });
  files[0].objects.unshift(...projects.map((p) => withAnnotations(p, { [SYNC_WAVE]: '-1', [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' })));
  if (git === undefined) return { files, bootstrap: [] };
  const root = gitApplication(git, {
    name: 'groundwork-addons',
    namespace: argoNamespace,
    project: PLATFORM_PROJECT,
    destinationNamespace: argoNamespace,
    path: `${target.path}/addons`,
    annotations: {},
  });
  return { files, bootstrap: [...projects, root] };
}

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
function rulesFor(kinds: readonly GroupKind[], verbs: AccessRule['verbs'], resourceNames?: readonly string[]): AccessRule[] {
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) byGroup.set(k.group, sortedUnique([...(byGroup.get(k.group) ?? []), resourceOf(k.kind)]));
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs, ...(resourceNames !== undefined ? { resourceNames } : {}) }));
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
function fluxDeployer(fluxNamespace: string, apps: readonly ManifestObject[]): ManifestObject[] {
  const namespaced = apps.filter((o) => !isClusterScoped(o));
  const cluster = apps.filter(isClusterScoped);
  const kinds = groupKinds(namespaced);
  const reads = kinds.flatMap((k) => HEALTH_READS[`${k.group}/${k.kind}`] ?? []).filter((r) => !kinds.some((k) => k.group === r.group && k.kind === r.kind));
  const roleNames = sortedUnique(namespaced.filter((o) => o.kind === 'Role' && groupOf(o.apiVersion) === RBAC_GROUP).map((o) => o.metadata?.name ?? ''));
  const refs = namespaced
    .filter((o) => o.kind === 'RoleBinding' && groupOf(o.apiVersion) === RBAC_GROUP)
    .map((o) => (o as { roleRef?: { kind?: string; name?: string } }).roleRef ?? {});
  const bound = (kind: string): string[] => sortedUnique(refs.filter((r) => r.kind === kind).map((r) => r.name ?? ''));
  const escalation: AccessRule[] = [
    ...(roleNames.length > 0 ? [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['escalate'], resourceNames: roleNames } as AccessRule] : []),
    ...(bound('Role').length > 0 ? [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['bind'], resourceNames: bound('Role') } as AccessRule] : []),
    ...(bound('ClusterRole').length > 0
      ? [{ apiGroups: [RBAC_GROUP], resources: ['clusterroles'], verbs: ['bind'], resourceNames: bound('ClusterRole') } as AccessRule]
      : []),
  ];
  const meta = (name: string, namespace?: string, annotations?: Record<string, string>): Record<string, unknown> => ({
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: MANAGED_BY,
    ...(annotations !== undefined ? { annotations } : {}),
  });
  const subject = { kind: 'ServiceAccount', name: FLUX_APPS_DEPLOYER, namespace: fluxNamespace };
  const clusterRoleName = `${FLUX_APPS_DEPLOYER}-cluster`;
  const out: ManifestObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(FLUX_APPS_DEPLOYER, fluxNamespace) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(
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
  if (cluster.length > 0) {
    const byKind = groupKinds(cluster);
    out.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: meta(clusterRoleName),
        rules: [
          ...rulesFor(byKind, READ),
          ...byKind.flatMap((k) =>
            rulesFor(
              [k],
              WRITE,
              sortedUnique(cluster.filter((o) => groupOf(o.apiVersion) === k.group && o.kind === k.kind).map((o) => o.metadata?.name ?? '')),
            ),
          ),
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(clusterRoleName),
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRoleName },
        subjects: [subject],
      },
    );
  }
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
      metadata: meta(FLUX_APPS_DEPLOYER, namespace),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: FLUX_APPS_DEPLOYER },
      subjects: [subject],
    });
  }
  return out;
}

function renderFlux(addons: PlatformAddons, target: GitOpsTarget, options: RenderGitOpsOptions): Omit<GitOpsRendering, 'engine'> {
  const fluxNamespace = addons.plan.addons.get('flux')?.namespace ?? 'flux-system';
  const repoName = (url: string): string =>
    url
      .replace(/^(oci|https?):\/\//, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 63)
      .replace(/-$/, '');
  const repos = new Map<string, ManifestObject>();
  const { plan } = addons;
  const files: { name: string; objects: ManifestObject[] }[] = plan.waves.map((wave, i) => {
    const objects: ManifestObject[] = [];
    for (const id of wave) {
      const step = plan.steps.get(id) as PlanStep;
      if (step.kind !== 'release') {
        objects.push(...step.objects);
        continue;
      }
      // Flux itself is installed by the bootstrap (its own chart, once): a HelmRelease of the
      // engine over that install would make helm-controller adopt objects it does not own, which
      // Helm refuses (helm v3.19 pkg/action/validate.go checkOwnership: "invalid ownership metadata")
      if (step.addon === 'flux') continue;
      const d = plan.addons.get(step.addon) as AddonDeclaration;
      const name = repoName(d.chart.repository);
      const oci = d.chart.repository.startsWith('oci://');
      repos.set(name, {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name, namespace: fluxNamespace, labels: MANAGED_BY },
        spec: { url: d.chart.repository, interval: '1h', ...(oci ? { type: 'oci' } : {}) },
      });
      const releaseDeps = step.dependsOn.filter((dep) => plan.steps.get(dep)?.kind === 'release' && dep !== 'flux');
      objects.push({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: d.id, namespace: fluxNamespace, labels: MANAGED_BY },
        spec: {
          interval: '30m',
          releaseName: d.releaseName,
          targetNamespace: d.namespace,
          chart: { spec: { chart: d.chart.chart, version: d.chart.version, sourceRef: { kind: 'HelmRepository', name, namespace: fluxNamespace } } },
          install: { createNamespace: true, crds: 'CreateReplace', remediation: { retries: 3 } },
          upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
          dependsOn: releaseDeps.map((dep) => ({ name: dep, namespace: fluxNamespace })),
          values: d.values,
        },
      });
    }
    return { name: `wave-${pad(i)}/addons`, objects };
  });
  const all = [{ name: 'sources/helm-repositories', objects: [...repos.values()] }, ...files.filter((f) => f.objects.length > 0)];
  if (target.repoURL === undefined) return { files: all, bootstrap: [] };
  const source: ManifestObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'groundwork', namespace: fluxNamespace, labels: MANAGED_BY },
    spec: { url: target.repoURL, interval: '5m', ref: fluxGitRef(target.revision) },
  };
  // The add-on Kustomizations apply as kustomize-controller itself (cluster-admin): they install CRDs,
  // webhooks and the controllers' own RBAC. Only the apps Kustomization impersonates a narrower account.
  const kustomization = (name: string, path: string, dependsOn: string | undefined, serviceAccountName?: string): ManifestObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: fluxNamespace, labels: MANAGED_BY },
    spec: {
      interval: '10m',
      path: `./${path}`,
      prune: true,
      wait: true,
      timeout: '10m',
      sourceRef: { kind: 'GitRepository', name: 'groundwork' },
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
      ...(serviceAccountName !== undefined ? { serviceAccountName } : {}),
    },
  });
  const bootstrap = [source, kustomization('groundwork-addons-sources', `${target.path}/addons/sources`, undefined)];
  const waveNames = new Map<number, string>();
  let previous = 'groundwork-addons-sources';
  files.forEach((f, i) => {
    if (f.objects.length === 0) {
      waveNames.set(i, previous);
      return;
    }
    const name = `groundwork-addons-wave-${pad(i)}`;
    bootstrap.push(kustomization(name, `${target.path}/addons/${f.name.replace(/\/addons$/, '')}`, previous));
    waveNames.set(i, name);
    previous = name;
  });
  if (options.appsAfterWave !== undefined) {
    // A Kustomization cannot ignore fields: the routes a canary shifts weights on carry
    // FLUX_CREATE_ONLY_ANNOTATION (flux.ts) instead, so the apply does not reset the weights.
    bootstrap.push(
      ...fluxDeployer(fluxNamespace, options.apps ?? []),
      kustomization('groundwork-apps', target.path, waveNames.get(options.appsAfterWave) ?? previous, FLUX_APPS_DEPLOYER),
    );
  }
  return { files: all, bootstrap };
}

const ENGINES: readonly GitOpsTarget['engine'][] = ['argo-cd', 'flux'];

/** The JavaScript shape of renderGitOps' arguments (unknown fields and wrong types are refused). */
const ARGUMENT_SPECS: PropShapes<{ target: GitOpsTarget; options: RenderGitOpsOptions }> = {
  target: objectSpec<GitOpsTarget>({ engine: 'string', repoURL: 'string', revision: 'string', path: 'string' }, ['engine', 'revision', 'path']),
  options: objectSpec<RenderGitOpsOptions>({ appsAfterWave: 'number', apps: 'objects' }),
};

/**
 * The engine add-on of a valid GitOps target; throws with every problem (JavaScript callers
 * included) otherwise. A repository URL with credentials in it is not echoed.
 */
function checkedEngine(addons: PlatformAddons, target: GitOpsTarget, options: RenderGitOpsOptions): AddonDeclaration {
  const v = new PropsValidator('GitOps', 'renderGitOps');
  v.knownProps({ target, options }, ARGUMENT_SPECS);
  const engine = ENGINES.includes(target.engine) ? addons.plan.addons.get(target.engine) : undefined;
  if (!ENGINES.includes(target.engine)) v.fail('target.engine', target.engine, `must be one of ${ENGINES.join(', ')}`);
  else if (engine === undefined) v.fail('target.engine', target.engine, 'must be an enabled add-on (enable it in the gitops profile)');
  const url = target.repoURL;
  const urlProblem = url === undefined ? undefined : rules.gitUrl(url);
  if (url !== undefined && urlProblem !== undefined) v.fail('target.repoURL', secretInValue(url) === undefined ? url : '<redacted>', urlProblem);
  v.check('target.revision', target.revision, rules.gitRevision);
  v.check('target.path', target.path, rules.repoPath);
  const waves = addons.plan.waves.length;
  v.check('options.appsAfterWave', options.appsAfterWave, (after) =>
    Number.isInteger(after) && after >= -1 && after < waves ? undefined : `must be a plan wave from -1 (the apps need no add-on) to ${waves - 1}`,
  );
  v.throwIfInvalid();
  // throwIfInvalid threw when the engine is not an enabled add-on
  return engine as AddonDeclaration;
}

/**
 * Renders the add-ons for a GitOps engine, following the plan's waves: one file per wave.
 * Argo CD: an Application per add-on (app of apps) and the add-ons' objects, each annotated with
 * its wave as `sync-wave`; the root Application skips dry runs of kinds whose CRDs are not there
 * yet and retries. Flux: a HelmRepository per repository, a HelmRelease per add-on (with
 * `dependsOn`) except Flux itself, and one Kustomization per wave that waits for the wave before
 * it. With a repository, the bootstrap points the engine at it (and at the apps, after the wave
 * `options.appsAfterWave`); without one, `scripts/bootstrap.sh` applies the wave files in order.
 * No Application uses Argo CD's `default` project: the add-ons and the root app belong to the
 * `platform` AppProject, the apps to `apps`, derived from `options.apps`. Flux applies the add-ons
 * as kustomize-controller (cluster-admin) and the apps as the `groundwork-apps-deployer`
 * ServiceAccount, bound to the kinds `options.apps` contains.
 */
export function renderGitOps(addons: PlatformAddons, target: GitOpsTarget, options: RenderGitOpsOptions = {}): GitOpsRendering {
  const engine = checkedEngine(addons, target, options);
  const rendered = target.engine === 'argo-cd' ? renderArgo(addons, target, options) : renderFlux(addons, target, options);
  return { ...rendered, engine: { chart: engine.chart, releaseName: engine.releaseName, namespace: engine.namespace, values: engine.values } };
}

/**
 * The Flux GitRepository `ref` for a revision (source.toolkit.fluxcd.io/v1 GitRepositoryRef): a
 * full reference (`refs/tags/v1.2.0`, `refs/heads/main`) as `name`, a commit hash as `commit`, a
 * version tag (`v1.2.0`, `1.2.0-rc.1`) as `tag`, anything else as `branch`. Rendering a tag as a
 * branch makes the source fail: no branch of that name exists.
 */
export function fluxGitRef(revision: string): { readonly name: string } | { readonly commit: string } | { readonly tag: string } | { readonly branch: string } {
  if (revision.startsWith('refs/')) return { name: revision };
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]{1,64})?$/.test(revision)) return { tag: revision };
  return { branch: revision };
}
