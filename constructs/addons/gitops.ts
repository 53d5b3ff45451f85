import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import { secretInValue } from '../internal/secrets';
import { objectSpec, type PropShapes, PropsValidator } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { PlanStep } from './graph';
import type { PlatformAddons } from './platform-addons';
import { MANAGED_BY } from '../internal/labels';
import { APPS_PROJECT, appsProject, argoRepo, IN_CLUSTER, PLATFORM_PROJECT, platformProject } from './argo-cd-projects';
import { credentialsProblems } from './gitops-credentials';
import { renderFlux } from './gitops-flux';
import { addCredentials, pad } from './gitops-waves';
import {
  type GitCredentialsRef,
  type GitOpsRendering,
  type GitOpsTarget,
  namespacesOf,
  type RenderGitOpsOptions,
} from './gitops-types';

export { FLUX_CREATE_ONLY_ANNOTATION } from './flux';
export { APPS_PROJECT, PLATFORM_PROJECT } from './argo-cd-projects';
export { FLUX_APPS_DEPLOYER } from './flux-deployer';
export type {
  EngineInstall,
  GitCredentialsRef,
  GitOpsRendering,
  GitOpsTarget,
  RenderGitOpsOptions,
} from './gitops-types';
export { GIT_CREDENTIALS_SECRET, isSshUrl } from './gitops-credentials';
export { fluxGitRef } from './gitops-flux';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

function withAnnotations(o: ManifestObject, annotations: Record<string, string>): ManifestObject {
  const metadata = { ...o.metadata, annotations: { ...o.metadata?.annotations, ...annotations } };
  return { ...o, metadata };
}

/**
 * Retries for the root app and every child: a sync that fails (a webhook not ready yet) is retried
 * instead of staying failed; automated sync alone does not retry a failed revision.
 */
const ARGO_RETRY = { limit: 10, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } };

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

/** The Application of the apps, in the `apps` project, at sync wave `wave`. */
function argoAppsApplication(
  git: GitOpsTarget & { repoURL: string },
  argoNamespace: string,
  appObjects: readonly ManifestObject[],
  wave: number,
): ManifestObject {
  return gitApplication(git, {
    name: 'groundwork-apps',
    namespace: argoNamespace,
    project: APPS_PROJECT,
    // every app object names its namespace; the destination only has to be one the project permits
    destinationNamespace: namespacesOf(appObjects)[0] ?? argoNamespace,
    path: git.path,
    annotations: { [SYNC_WAVE]: String(wave) },
    // the canary routes' rules, ignored in the diff (argo-cd.ts CANARY_ROUTE_IGNORE), are kept at
    // their live value by a sync too: argoproj/argo-cd v3.4.4 docs/user-guide/sync-options.md
    // "Respect ignore differences configs" (by default the desired state is applied as-is), and
    // controller/sync.go normalizeTargetResources, whose diff config holds the argocd-cm resource
    // overrides (controller/state.go WithDiffSettings(app.Spec.IgnoreDifferences, resourceOverrides, …))
    extraSyncOptions: ['RespectIgnoreDifferences=true'],
  });
}

/**
 * Argo CD: every Application names an AppProject the rendering defines, never `default`. The
 * projects head the first wave file, one sync wave before everything else, so the root app keeps
 * them current as the profile and the apps change; with a repository the bootstrap also applies
 * them before the root app (whose project must exist before it can sync anything).
 */
function renderArgo(
  addons: PlatformAddons,
  target: GitOpsTarget,
  options: RenderGitOpsOptions,
): Omit<GitOpsRendering, 'engine'> {
  const argoNamespace = addons.plan.addons.get('argo-cd')?.namespace ?? 'argocd';
  const { plan } = addons;
  const files = plan.waves.map((wave, i) => {
    const objects: ManifestObject[] = [];
    for (const id of wave) {
      const step = plan.steps.get(id) as PlanStep;
      if (step.kind === 'release')
        objects.push(argoApplication(plan.addons.get(step.addon) as AddonDeclaration, i, argoNamespace));
      else
        objects.push(
          ...step.objects.map((o) =>
            withAnnotations(o, { [SYNC_WAVE]: String(i), [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' }),
          ),
        );
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
    const apps = argoAppsApplication(git, argoNamespace, appObjects, wave);
    if (wave < files.length) files[wave].objects.push(apps);
    else files.push({ name: `wave-${pad(wave)}`, objects: [apps] });
  }
  if (files.length === 0) files.push({ name: 'wave-00', objects: [] });
  if (git !== undefined)
    addCredentials(addons, git, argoNamespace, files, (o, i) =>
      withAnnotations(o, { [SYNC_WAVE]: String(i), [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' }),
    );
  files[0].objects.unshift(
    ...projects.map((p) =>
      withAnnotations(p, { [SYNC_WAVE]: '-1', [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' }),
    ),
  );
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

const ENGINES: readonly GitOpsTarget['engine'][] = ['argo-cd', 'flux'];

/** The JavaScript shape of renderGitOps' arguments (unknown fields and wrong types are refused). */
const ARGUMENT_SPECS: PropShapes<{ target: GitOpsTarget; options: RenderGitOpsOptions }> = {
  target: objectSpec<GitOpsTarget>(
    {
      engine: 'string',
      repoURL: 'string',
      revision: 'string',
      path: 'string',
      credentials: objectSpec<GitCredentialsRef>({ kind: 'string', storeEntry: 'string' }, ['kind', 'storeEntry']),
    },
    ['engine', 'revision', 'path'],
  ),
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
  else if (engine === undefined)
    v.fail('target.engine', target.engine, 'must be an enabled add-on (enable it in the gitops profile)');
  const url = target.repoURL;
  const urlProblem = url === undefined ? undefined : rules.gitUrl(url);
  if (url !== undefined && urlProblem !== undefined)
    v.fail('target.repoURL', secretInValue(url) === undefined ? url : '<redacted>', urlProblem);
  // fluxcd/source-controller v1.7.4 api/v1/gitrepository_types.go: url pattern ^(http|https|ssh)://.*$
  else if (url?.startsWith('git@') === true && target.engine === 'flux')
    v.fail(
      'target.repoURL',
      url,
      'must be an https:// or ssh:// URL for Flux (write git@host:path as ssh://git@host/path)',
    );
  if (target.credentials !== undefined)
    for (const [field, value, problem] of credentialsProblems(target.credentials, url)) v.fail(field, value, problem);
  v.check('target.revision', target.revision, rules.gitRevision);
  v.check('target.path', target.path, rules.repoPath);
  const waves = addons.plan.waves.length;
  v.check('options.appsAfterWave', options.appsAfterWave, (after) =>
    Number.isInteger(after) && after >= -1 && after < waves
      ? undefined
      : `must be a plan wave from -1 (the apps need no add-on) to ${waves - 1}`,
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
export function renderGitOps(
  addons: PlatformAddons,
  target: GitOpsTarget,
  options: RenderGitOpsOptions = {},
): GitOpsRendering {
  const engine = checkedEngine(addons, target, options);
  const rendered =
    target.engine === 'argo-cd' ? renderArgo(addons, target, options) : renderFlux(addons, target, options);
  return {
    ...rendered,
    engine: {
      chart: engine.chart,
      releaseName: engine.releaseName,
      namespace: engine.namespace,
      values: engine.values,
    },
  };
}
