/**
 * GitOps hardening (issue 15, medium items, and "canary weights reset"): canary routes survive
 * Argo CD's self-heal and Flux's apply; no Application uses the `default` AppProject; Flux applies
 * the apps as a deployer holding exactly their kinds; Argo CD's NetworkPolicies admit exactly who
 * calls each component.
 */
import { argoCd, canReach, type ManifestObject, renderGitOps } from '../../constructs';
import { argoCdPodLabels } from '../../constructs/addons/argo-cd';
import {
  APPS_PROJECT,
  FLUX_APPS_DEPLOYER,
  FLUX_CREATE_ONLY_ANNOTATION,
  fluxGitRef,
  PLATFORM_PROJECT,
} from '../../constructs/addons/gitops';
import { as, named, ofKind } from '../helpers/kinds';
import { renderedWithDemo } from '../helpers/stacks';
import { validated, validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

type Json = Record<string, unknown>;
const IN_CLUSTER = 'https://kubernetes.default.svc';
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The rendering of shipped stack `stack` with the demo apps, the engine handed the app objects as renderEnvironment renders them. */
function gitopsWithApps(stack: string): {
  apps: readonly ManifestObject[];
  objects: ManifestObject[];
  bootstrap: readonly ManifestObject[];
} {
  const r = renderedWithDemo(stack);
  const g = renderGitOps(r.addons, r.env.gitops, { appsAfterWave: r.appsAfterWave, apps: r.objects });
  return { apps: r.objects, objects: g.files.flatMap((f) => f.objects), bootstrap: g.bootstrap };
}

describe('canary weights survive the GitOps engine', () => {
  // argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi v0.15.0 docs/quick-start.md and
  // docs/features/multiple-routes.md: the plugin labels the routes it mutates
  // rollouts.argoproj.io/gatewayapi-canary=in-progress, and Argo CD should ignore their rules then
  const JQ = 'select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules';

  test('Argo CD ignores the rules of HTTPRoutes and GRPCRoutes while a canary runs (and only then)', () => {
    const cm = v(argoCd(), 'configs.cm') as Record<string, string>;
    for (const kind of ['HTTPRoute', 'GRPCRoute']) {
      const value = cm[`resource.customizations.ignoreDifferences.gateway.networking.k8s.io_${kind}`];
      expect(value).toBe(`jqPathExpressions:\n  - ${JQ}\n`);
    }
  });

  test('a sync of the apps keeps the ignored rules at their live value (RespectIgnoreDifferences)', () => {
    const { objects } = gitopsWithApps('prod');
    const apps = as(
      objects.find((o) => o.kind === 'Application' && o.metadata?.name === 'groundwork-apps'),
      'Application',
    );
    expect(apps.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  test('Flux: the create-only annotation a canary route carries', () => {
    // fluxcd/kustomize-controller v1.7.3 docs/spec/v1/kustomizations.md: ssa IfNotPresent applies an object only when absent
    expect(FLUX_CREATE_ONLY_ANNOTATION).toEqual({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
  });
});

/** Argo CD's checks of a project (argoproj/argo-cd v3.4.4 app_project_types.go), for what this rendering emits (no globs, no deny patterns). */
interface Project {
  readonly sourceRepos: string[];
  readonly destinations: { server: string; namespace: string }[];
  readonly clusterResourceWhitelist?: { group: string; kind: string; name?: string }[];
  readonly namespaceResourceWhitelist?: { group: string; kind: string }[];
}
function permits(p: Project, o: ManifestObject): boolean {
  const group = groupOf(o.apiVersion);
  const ns = o.metadata?.namespace;
  if (ns === undefined) {
    return (p.clusterResourceWhitelist ?? []).some(
      (w) => w.group === group && w.kind === o.kind && (w.name === undefined || w.name === o.metadata?.name),
    );
  }
  const kindOk =
    p.namespaceResourceWhitelist === undefined ||
    p.namespaceResourceWhitelist.some((w) => w.group === group && w.kind === o.kind);
  return kindOk && p.destinations.some((d) => d.server === IN_CLUSTER && d.namespace === ns);
}

describe('Argo CD: every Application in a project the rendering defines, never default', () => {
  const { apps, objects, bootstrap } = gitopsWithApps('prod');
  const all = [...objects, ...bootstrap];
  const projects = ofKind(all, 'AppProject' as never) as unknown as { metadata: { name: string }; spec: Project }[];
  const project = (name: string): Project => named(projects, name).spec;

  test('the projects are schema-valid, and every Application names one of them', () => {
    validated([...all]);
    const defined = new Set(projects.map((p) => p.metadata.name));
    expect([...defined].sort()).toEqual([APPS_PROJECT, PLATFORM_PROJECT].sort());
    const applications = ofKind(all, 'Application');
    expect(applications.length).toBeGreaterThan(2);
    for (const a of applications) {
      expect(a.spec.project).not.toBe('default');
      expect(defined.has(a.spec.project)).toBe(true);
    }
    expect(named(applications, 'groundwork-apps').spec.project).toBe(APPS_PROJECT);
    expect(named(applications, 'groundwork-addons').spec.project).toBe(PLATFORM_PROJECT);
  });

  test('the bootstrap applies the projects before the root app; the first wave keeps them current', () => {
    const kinds = bootstrap.map((o) => o.kind);
    expect(kinds.indexOf('Application')).toBeGreaterThan(kinds.lastIndexOf('AppProject'));
    const wave0 = objects.filter((o) => o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined);
    const projectWaves = wave0
      .filter((o) => o.kind === 'AppProject')
      .map((o) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave']));
    expect(projectWaves).toEqual([-1, -1]);
    for (const o of objects.filter((x) => x.kind !== 'AppProject'))
      expect(Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'])).toBeGreaterThanOrEqual(0);
  });

  test('apps: destinations, namespaced kinds and cluster-scoped objects are exactly those of the app objects', () => {
    const p = project(APPS_PROJECT);
    const namespaced = apps.filter((o) => o.metadata?.namespace !== undefined);
    const cluster = apps.filter((o) => o.metadata?.namespace === undefined);
    expect(p.sourceRepos).toEqual(['https://github.com/example-org/platform.git']);
    expect(p.destinations).toEqual(['analytics', 'shop'].map((namespace) => ({ server: IN_CLUSTER, namespace })));
    expect(sortedUnique((p.clusterResourceWhitelist ?? []).map((w) => `${w.group}/${w.kind}`))).toEqual([
      '/Namespace',
      'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
      'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
      'external-secrets.io/ClusterSecretStore',
    ]);
    expect(sortedUnique((p.clusterResourceWhitelist ?? []).map((w) => `${w.group}/${w.kind}`))).toEqual(
      sortedUnique(cluster.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`)),
    );
    expect(sortedUnique((p.namespaceResourceWhitelist ?? []).map((w) => `${w.group}/${w.kind}`))).toEqual(
      sortedUnique(namespaced.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`)),
    );
    // what Argo CD then allows: every app object, and nothing beside them
    for (const o of apps) expect([o.kind, o.metadata?.name, permits(p, o)]).toEqual([o.kind, o.metadata?.name, true]);
    const obj = (apiVersion: string, kind: string, name: string, namespace?: string): ManifestObject => ({
      apiVersion,
      kind,
      metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
    });
    expect(permits(p, obj('apps/v1', 'Deployment', 'x', 'kube-system'))).toBe(false);
    expect(permits(p, obj('apps/v1', 'Deployment', 'x', 'argocd'))).toBe(false);
    expect(permits(p, obj('v1', 'Secret', 'x', 'shop'))).toBe(false);
    expect(permits(p, obj('argoproj.io/v1alpha1', 'Application', 'x', 'shop'))).toBe(false);
    expect(permits(p, obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'x'))).toBe(false);
    expect(permits(p, obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x'))).toBe(false);
    // the Application's own destination is one the project permits
    const app = named(ofKind(objects, 'Application'), 'groundwork-apps');
    expect(p.destinations.map((d) => d.namespace)).toContain(app.spec.destination.namespace);
  });

  test('platform: exactly the enabled charts and the GitOps repository; every add-on Application and object permitted', () => {
    const r = renderedWithDemo('prod');
    const p = project(PLATFORM_PROJECT);
    const charts = [...r.addons.plan.addons.values()].map((d) => d.chart.repository.replace(/^oci:\/\//, ''));
    expect(p.sourceRepos).toEqual([...sortedUnique(charts), 'https://github.com/example-org/platform.git']);
    expect(p.namespaceResourceWhitelist).toBeUndefined();
    const applications = ofKind(all, 'Application').filter((a) => a.spec.project === PLATFORM_PROJECT);
    expect(applications.map((a) => a.metadata.name).sort()).toEqual(
      ['groundwork-addons', ...r.addons.plan.addons.keys()].sort(),
    );
    for (const a of applications) {
      expect(p.sourceRepos).toContain(a.spec.source.repoURL);
      expect(p.destinations).toContainEqual({ server: IN_CLUSTER, namespace: a.spec.destination.namespace });
    }
    // the root app applies the Applications, the projects and the add-ons' own objects
    for (const o of objects.filter((x) => x.metadata?.name !== 'groundwork-apps'))
      expect([o.kind, o.metadata?.name, permits(p, o)]).toEqual([o.kind, o.metadata?.name, true]);
    // the charts' own cluster-scoped kinds, listed one by one (no wildcard)
    const kinds = (p.clusterResourceWhitelist ?? []).map((w) => `${w.group}/${w.kind}`);
    for (const k of [
      'apiextensions.k8s.io/CustomResourceDefinition',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
      'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      'scheduling.k8s.io/PriorityClass',
    ])
      expect(kinds).toContain(k);
    expect(kinds.some((k) => k.includes('*'))).toBe(false);
    // charts put objects in kube-system (kube-prometheus-stack's control-plane Services)
    expect(p.destinations).toContainEqual({ server: IN_CLUSTER, namespace: 'kube-system' });
  });

  test('without a repository (kind): the platform project heads the first wave file, applied before any Application', () => {
    const r = renderedWithDemo('kind');
    expect(r.env.gitops.repoURL).toBeUndefined();
    const first = r.gitops.files[0].objects;
    expect(first[0]).toMatchObject({ kind: 'AppProject', metadata: { name: PLATFORM_PROJECT } });
    const applications = ofKind(
      r.gitops.files.flatMap((f) => f.objects),
      'Application',
    );
    for (const a of applications) expect(a.spec.project).toBe(PLATFORM_PROJECT);
    expect(first.filter((o) => o.kind === 'AppProject').map((o) => o.metadata?.name)).toEqual([PLATFORM_PROJECT]);
  });

  test('without the app objects the apps project admits nothing', () => {
    const r = renderedWithDemo('prod');
    const g = renderGitOps(r.addons, r.env.gitops, { appsAfterWave: r.appsAfterWave });
    const p = (
      ofKind(g.bootstrap, 'AppProject' as never) as unknown as { metadata: { name: string }; spec: Project }[]
    ).find((x) => x.metadata.name === APPS_PROJECT);
    expect(p?.spec).toMatchObject({ destinations: [], clusterResourceWhitelist: [], namespaceResourceWhitelist: [] });
  });
});

/**
 * Kubernetes RBAC for a ServiceAccount, over the rendered roles and bindings: a ClusterRoleBinding
 * grants its ClusterRole everywhere; a RoleBinding grants its role's rules in its namespace only.
 */
function can(
  objects: readonly ManifestObject[],
  sa: { namespace: string; name: string },
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name: string,
): boolean {
  const rec = (o: ManifestObject): Json => o;
  const subjectIs = (b: ManifestObject): boolean =>
    ((rec(b).subjects ?? []) as Json[]).some(
      (s) => s.kind === 'ServiceAccount' && s.name === sa.name && s.namespace === sa.namespace,
    );
  const roleOf = (b: ManifestObject): ManifestObject | undefined => {
    const ref = rec(b).roleRef as Json;
    return objects.find(
      (o) =>
        o.kind === ref.kind &&
        o.metadata?.name === ref.name &&
        (ref.kind === 'ClusterRole' || o.metadata?.namespace === b.metadata?.namespace),
    );
  };
  const grants = (role: ManifestObject | undefined): boolean =>
    ((role ? rec(role).rules : []) as Json[]).some(
      (r) =>
        (r.apiGroups as string[]).includes(group) &&
        (r.resources as string[]).includes(resource) &&
        (r.verbs as string[]).includes(verb) &&
        (r.resourceNames === undefined || (r.resourceNames as string[]).includes(name)),
    );
  const bindings = objects.filter(
    (o) =>
      (o.kind === 'ClusterRoleBinding' ||
        (o.kind === 'RoleBinding' && namespace !== undefined && o.metadata?.namespace === namespace)) &&
      subjectIs(o),
  );
  return bindings.some((b) => grants(roleOf(b)));
}

describe('Flux: the apps are applied as a deployer holding exactly their kinds', () => {
  const { apps, bootstrap } = gitopsWithApps('dev');
  const sa = { namespace: 'flux-system', name: FLUX_APPS_DEPLOYER };
  const deployer = (
    verb: string,
    group: string,
    resource: string,
    namespace: string | undefined,
    name = 'x',
  ): boolean => can(bootstrap, sa, verb, group, resource, namespace, name);
  const ks = ofKind(bootstrap, 'Kustomization');

  test('the apps Kustomization impersonates the deployer; the add-on Kustomizations stay cluster-admin', () => {
    validated([...bootstrap]);
    expect(named(ks, 'groundwork-apps').spec.serviceAccountName).toBe(FLUX_APPS_DEPLOYER);
    for (const k of ks.filter((x) => x.metadata.name !== 'groundwork-apps'))
      expect(k.spec.serviceAccountName).toBeUndefined();
    // its account, roles, bindings and the namespaces they live in are applied before it
    const at = (pred: (o: ManifestObject) => boolean): number[] => bootstrap.flatMap((o, i) => (pred(o) ? [i] : []));
    const appsAt = at((o) => o.metadata?.name === 'groundwork-apps')[0];
    expect(at((o) => o.kind === 'ServiceAccount' && o.metadata?.name === FLUX_APPS_DEPLOYER)).toHaveLength(1);
    for (const i of at((o) =>
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'RoleBinding', 'Namespace'].includes(o.kind),
    ))
      expect(i).toBeLessThan(appsAt);
    expect(Math.max(...at((o) => o.kind === 'Namespace'))).toBeLessThan(
      Math.min(...at((o) => o.kind === 'RoleBinding')),
    );
  });

  test('it may apply every app object, by its kind, where it lives', () => {
    for (const o of apps) {
      const resource = {
        Namespace: 'namespaces',
        ResourceQuota: 'resourcequotas',
        LimitRange: 'limitranges',
        NetworkPolicy: 'networkpolicies',
        Role: 'roles',
        RoleBinding: 'rolebindings',
        ServiceAccount: 'serviceaccounts',
        ClusterSecretStore: 'clustersecretstores',
        ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
        ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings',
        ConfigMap: 'configmaps',
        ExternalSecret: 'externalsecrets',
        Deployment: 'deployments',
        Service: 'services',
        HTTPRoute: 'httproutes',
        HorizontalPodAutoscaler: 'horizontalpodautoscalers',
        VerticalPodAutoscaler: 'verticalpodautoscalers',
        PodDisruptionBudget: 'poddisruptionbudgets',
        Rollout: 'rollouts',
        CronJob: 'cronjobs',
        Job: 'jobs',
        StatefulSet: 'statefulsets',
      }[o.kind];
      expect([o.kind, resource]).toEqual([o.kind, expect.any(String)]);
      for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])
        expect([
          o.kind,
          o.metadata?.name,
          verb,
          deployer(verb, groupOf(o.apiVersion), resource as string, o.metadata?.namespace, o.metadata?.name ?? ''),
        ]).toEqual([o.kind, o.metadata?.name, verb, true]);
    }
    // the tenant Roles grant more than these kinds: it may write them (escalate) and bind them, by name
    expect(deployer('escalate', 'rbac.authorization.k8s.io', 'roles', 'shop', 'tenant-admin')).toBe(true);
    expect(deployer('bind', 'rbac.authorization.k8s.io', 'roles', 'shop', 'tenant-admin')).toBe(true);
    // kstatus reads a Deployment's ReplicaSets and Pods to judge its health: read only
    expect(deployer('list', 'apps', 'replicasets', 'shop')).toBe(true);
    expect(deployer('list', '', 'pods', 'shop')).toBe(true);
    expect(deployer('create', '', 'pods', 'shop')).toBe(false);
    expect(deployer('delete', 'apps', 'replicasets', 'shop')).toBe(false);
  });

  test('and nothing else: no other kind, no other namespace, no other cluster-scoped object', () => {
    // the write rules are exactly the app kinds
    const written = bootstrap
      .filter((o) => o.kind === 'ClusterRole')
      .flatMap((o) => ((o as unknown as Json).rules as Json[]).filter((r) => (r.verbs as string[]).includes('patch')))
      .flatMap((r) => (r.resources as string[]).map((res) => `${(r.apiGroups as string[])[0]}/${res}`));
    expect(sortedUnique(written)).toEqual(
      sortedUnique([
        '/namespaces',
        '/resourcequotas',
        '/limitranges',
        'networking.k8s.io/networkpolicies',
        'rbac.authorization.k8s.io/roles',
        'rbac.authorization.k8s.io/rolebindings',
        '/serviceaccounts',
        'external-secrets.io/clustersecretstores',
        'admissionregistration.k8s.io/validatingadmissionpolicies',
        'admissionregistration.k8s.io/validatingadmissionpolicybindings',
        '/configmaps',
        'external-secrets.io/externalsecrets',
        'apps/deployments',
        '/services',
        'gateway.networking.k8s.io/httproutes',
        'autoscaling/horizontalpodautoscalers',
        'autoscaling.k8s.io/verticalpodautoscalers',
        'policy/poddisruptionbudgets',
        'argoproj.io/rollouts',
        'batch/cronjobs',
        'batch/jobs',
        'apps/statefulsets',
      ]),
    );
    for (const ns of ['kube-system', 'flux-system', 'monitoring']) {
      expect(deployer('patch', 'apps', 'deployments', ns)).toBe(false);
      expect(deployer('create', 'rbac.authorization.k8s.io', 'rolebindings', ns)).toBe(false);
      expect(deployer('escalate', 'rbac.authorization.k8s.io', 'roles', ns, 'tenant-admin')).toBe(false);
    }
    expect(deployer('get', '', 'secrets', 'shop')).toBe(false);
    expect(deployer('escalate', 'rbac.authorization.k8s.io', 'roles', 'shop', 'other')).toBe(false);
    expect(deployer('bind', 'rbac.authorization.k8s.io', 'clusterroles', 'shop', 'cluster-admin')).toBe(false);
    expect(deployer('create', '', 'namespaces', undefined, 'shop')).toBe(true);
    expect(deployer('create', '', 'namespaces', undefined, 'kube-system')).toBe(false);
    expect(deployer('delete', '', 'namespaces', undefined, 'monitoring')).toBe(false);
    expect(
      deployer(
        'patch',
        'admissionregistration.k8s.io',
        'validatingadmissionpolicies',
        undefined,
        'groundwork-tenant-shop',
      ),
    ).toBe(true);
    expect(
      deployer('patch', 'admissionregistration.k8s.io', 'validatingadmissionpolicies', undefined, 'kyverno-policy'),
    ).toBe(false);
    expect(deployer('create', 'rbac.authorization.k8s.io', 'clusterrolebindings', undefined)).toBe(false);
    expect(deployer('create', 'apiextensions.k8s.io', 'customresourcedefinitions', undefined)).toBe(false);
    // it is bound in the app namespaces only
    expect(ofKind(bootstrap, 'RoleBinding').map((b) => b.metadata.namespace)).toEqual(['analytics', 'shop']);
  });
});

describe('Argo CD NetworkPolicies: each component admits exactly its callers', () => {
  const gatewayProxies = {
    namespace: 'envoy-gateway-system',
    podLabels: { 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' },
  };
  const prometheus = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
  /** A Pod of component `c` as the chart labels it (templates/_common.tpl argo-cd.labels: selector labels plus component, part-of…). */
  const pod = (c: Parameters<typeof argoCdPodLabels>[0]): { namespace: string; labels: Record<string, string> } => ({
    namespace: 'argocd',
    labels: {
      ...argoCdPodLabels(c),
      'app.kubernetes.io/component': c,
      'app.kubernetes.io/part-of': 'argocd',
      'helm.sh/chart': 'argo-cd-10.1.1',
    },
  });
  const gateway = {
    namespace: 'envoy-gateway-system',
    labels: { ...gatewayProxies.podLabels, 'gateway.envoyproxy.io/owning-gateway-name': 'public' },
  };
  const prom = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
  const grafana = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } };
  const tenant = { namespace: 'shop', labels: { app: 'storefront' } };
  const stray = { namespace: 'argocd', labels: { 'job-name': 'argocd-redis-secret-init' } };
  const objects = argoCd({ gatewayProxies: [gatewayProxies], prometheus }).companions;

  test("the chart's own policies are off (its argocd-server policy admits everyone)", () => {
    expect(v(argoCd(), 'global.networkPolicy.create')).toBe(false);
    validated([...objects]);
  });

  test('argocd-server: the Gateway proxies on its port, Prometheus on metrics, nobody else', () => {
    expect(canReach(objects, gateway, pod('server'), 8080)).toBe(true);
    expect(canReach(objects, prom, pod('server'), 8083)).toBe(true);
    expect(canReach(objects, gateway, pod('server'), 8083)).toBe(false);
    expect(canReach(objects, tenant, pod('server'), 8080)).toBe(false);
    expect(canReach(objects, grafana, pod('server'), 8080)).toBe(false);
    expect(canReach(objects, stray, pod('server'), 8080)).toBe(false);
    // without Gateways, no Pod reaches it
    expect(canReach(argoCd().companions, gateway, pod('server'), 8080)).toBe(false);
    expect(canReach(argoCd().companions, tenant, pod('server'), 8080)).toBe(false);
  });

  test('repo-server: server, application-controller, applicationset and notifications on 8081', () => {
    for (const c of ['server', 'controller', 'applicationSet', 'notifications'] as const)
      expect([c, canReach(objects, pod(c), pod('repoServer'), 8081)]).toEqual([c, true]);
    for (const from of [pod('redis'), gateway, tenant, stray, prom])
      expect(canReach(objects, from, pod('repoServer'), 8081)).toBe(false);
    expect(canReach(objects, prom, pod('repoServer'), 8084)).toBe(true);
    expect(canReach(objects, grafana, pod('repoServer'), 8084)).toBe(false);
  });

  test('redis: server, application-controller and repo-server on 6379', () => {
    for (const c of ['server', 'controller', 'repoServer'] as const)
      expect([c, canReach(objects, pod(c), pod('redis'), 6379)]).toEqual([c, true]);
    for (const from of [pod('applicationSet'), gateway, tenant, stray, prom])
      expect(canReach(objects, from, pod('redis'), 6379)).toBe(false);
  });

  test('controllers: Prometheus on their metrics ports only', () => {
    expect(canReach(objects, prom, pod('controller'), 8082)).toBe(true);
    expect(canReach(objects, prom, pod('applicationSet'), 8080)).toBe(true);
    expect(canReach(objects, tenant, pod('controller'), 8082)).toBe(false);
    expect(canReach(objects, prom, pod('applicationSet'), 7000)).toBe(false);
    // without Prometheus, no metrics port admits anyone
    expect(canReach(argoCd().companions, prom, pod('controller'), 8082)).toBe(false);
  });

  test('Dex, when on: argocd-server on http and grpc', () => {
    const withDex = argoCd({ dex: true, prometheus }).companions;
    expect(canReach(withDex, pod('server'), pod('dex'), 5556)).toBe(true);
    expect(canReach(withDex, pod('server'), pod('dex'), 5557)).toBe(true);
    expect(canReach(withDex, pod('controller'), pod('dex'), 5556)).toBe(false);
    expect(canReach(withDex, prom, pod('dex'), 5558)).toBe(true);
  });

  test.each([
    ['values.server.networkPolicy', { server: { networkPolicy: { create: true } } }],
    ['values.global.networkPolicy', { global: { networkPolicy: { create: true } } }],
    ['values.nameOverride', { nameOverride: 'cd' }],
    ['values.repoServer.containerPorts', { repoServer: { containerPorts: { server: 9000 } } }],
  ])('raw values that would bypass the policies are refused: %s', (field, values) => {
    expect(validationErrorOf(() => argoCd({ values }))).toContain(`Addon 'argo-cd': ${field} `);
  });
});

describe('Flux reads the revision the stack names', () => {
  test.each([
    ['main', { branch: 'main' }],
    ['release/2026-12', { branch: 'release/2026-12' }],
    ['v1.2.0', { tag: 'v1.2.0' }],
    ['1.4.0-rc.1', { tag: '1.4.0-rc.1' }],
    ['refs/tags/prod-2026-12-05', { name: 'refs/tags/prod-2026-12-05' }],
    ['refs/heads/main', { name: 'refs/heads/main' }],
    ['0123456789abcdef0123456789abcdef01234567', { commit: '0123456789abcdef0123456789abcdef01234567' }],
  ])('%s is a %j ref (a tag is never rendered as a branch)', (revision, ref) => {
    expect(fluxGitRef(revision)).toEqual(ref);
  });
});
