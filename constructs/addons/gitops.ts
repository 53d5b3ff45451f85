import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import { secretInValue } from '../internal/secrets';
import { objectSpec, type PropShapes, PropsValidator } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { ChartRef } from './catalog';
import type { PlanStep } from './graph';
import type { PlatformAddons } from './platform-addons';
import { MANAGED_BY } from '../internal/labels';

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
      project: 'default',
      source: {
        repoURL: argoRepo(d.chart.repository),
        chart: d.chart.chart,
        targetRevision: d.chart.version,
        helm: { releaseName: d.releaseName, valuesObject: d.values },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: d.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: ARGO_RETRY,
      },
    },
  };
}

function gitApplication(
  name: string,
  namespace: string,
  target: GitOpsTarget & { repoURL: string },
  path: string,
  annotations: Record<string, string>,
): ManifestObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace, labels: MANAGED_BY, annotations },
    spec: {
      project: 'default',
      source: { repoURL: target.repoURL, targetRevision: target.revision, path },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // argo-cd v3.2 docs/user-guide/sync-options.md: without SkipDryRunOnMissingResource the dry run of
        // a custom resource whose CRD a child Application installs fails the whole first sync
        syncOptions: ['ServerSideApply=true', 'SkipDryRunOnMissingResource=true'],
        retry: ARGO_RETRY,
      },
    },
  };
}

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
  if (target.repoURL === undefined) return { files, bootstrap: [] };
  const git = target as GitOpsTarget & { repoURL: string };
  if (options.appsAfterWave !== undefined) {
    const wave = options.appsAfterWave + 1;
    const apps = gitApplication('groundwork-apps', argoNamespace, git, target.path, { [SYNC_WAVE]: String(wave) });
    if (wave < files.length) files[wave].objects.push(apps);
    else files.push({ name: `wave-${pad(wave)}`, objects: [apps] });
  }
  return { files, bootstrap: [gitApplication('groundwork-addons', argoNamespace, git, `${target.path}/addons`, {})] };
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
    spec: { url: target.repoURL, interval: '5m', ref: /^[0-9a-f]{40}$/.test(target.revision) ? { commit: target.revision } : { branch: target.revision } },
  };
  const kustomization = (name: string, path: string, dependsOn: string | undefined): ManifestObject => ({
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
  if (options.appsAfterWave !== undefined) bootstrap.push(kustomization('groundwork-apps', target.path, waveNames.get(options.appsAfterWave) ?? previous));
  return { files: all, bootstrap };
}

const ENGINES: readonly GitOpsTarget['engine'][] = ['argo-cd', 'flux'];

/** The JavaScript shape of renderGitOps' arguments (unknown fields and wrong types are refused). */
const ARGUMENT_SPECS: PropShapes<{ target: GitOpsTarget; options: RenderGitOpsOptions }> = {
  target: objectSpec<GitOpsTarget>({ engine: 'string', repoURL: 'string', revision: 'string', path: 'string' }, ['engine', 'revision', 'path']),
  options: objectSpec<RenderGitOpsOptions>({ appsAfterWave: 'number' }),
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
 */
export function renderGitOps(addons: PlatformAddons, target: GitOpsTarget, options: RenderGitOpsOptions = {}): GitOpsRendering {
  const engine = checkedEngine(addons, target, options);
  const rendered = target.engine === 'argo-cd' ? renderArgo(addons, target, options) : renderFlux(addons, target, options);
  return { ...rendered, engine: { chart: engine.chart, releaseName: engine.releaseName, namespace: engine.namespace, values: engine.values } };
}
