/**
 * The Flux rendering of the add-ons: a HelmRepository per chart repository, a HelmRelease per
 * add-on, and the GitRepository and Kustomizations that bootstrap them (and the apps).
 */
import type { ManifestObject } from '../policy/check-manifests';
import { MANAGED_BY } from '../internal/labels';
import type { AddonDeclaration } from './addon';
import type { AddonPlan, PlanStep } from './graph';
import type { PlatformAddons } from './platform-addons';
import { FLUX_APPS_DEPLOYER, fluxDeployer } from './flux-deployer';
import { GIT_CREDENTIALS_SECRET } from './gitops-credentials';
import type { GitOpsRendering, GitOpsTarget, RenderGitOpsOptions } from './gitops-types';
import { addCredentials, pad } from './gitops-waves';

/** A HelmRepository's name for a chart repository URL: its host and path as a DNS label. */
function fluxRepoName(url: string): string {
  return url
    .replace(/^(oci|https?):\/\//, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 63)
    .replace(/-$/, '');
}

/**
 * The add-on waves as Flux objects: each chart a HelmRelease that depends on the releases its step
 * depends on, its HelmRepository filed in `repos`; every other step's objects as they are.
 */
function fluxWaveFiles(
  plan: AddonPlan,
  fluxNamespace: string,
  repos: Map<string, ManifestObject>,
): { name: string; objects: ManifestObject[] }[] {
  return plan.waves.map((wave, i) => {
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
      const name = fluxRepoName(d.chart.repository);
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
          chart: {
            spec: {
              chart: d.chart.chart,
              version: d.chart.version,
              sourceRef: { kind: 'HelmRepository', name, namespace: fluxNamespace },
            },
          },
          install: { createNamespace: true, crds: 'CreateReplace', remediation: { retries: 3 } },
          upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
          dependsOn: releaseDeps.map((dep) => ({ name: dep, namespace: fluxNamespace })),
          values: d.values,
        },
      });
    }
    return { name: `wave-${pad(i)}/addons`, objects };
  });
}

/**
 * A Kustomization of the `groundwork` GitRepository's `path`, after `dependsOn`. The add-on
 * Kustomizations apply as kustomize-controller itself (cluster-admin): they install CRDs, webhooks
 * and the controllers' own RBAC. Only the apps Kustomization impersonates a narrower account.
 */
function fluxKustomization(
  fluxNamespace: string,
  name: string,
  path: string,
  dependsOn: string | undefined,
  serviceAccountName?: string,
): ManifestObject {
  return {
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
  };
}

/**
 * The objects that point Flux at the repository: the GitRepository, a Kustomization for the sources and
 * each non-empty wave (each after the one before) and, when asked, the apps' deployer and Kustomization.
 */
function fluxBootstrap(
  repoURL: string,
  target: GitOpsTarget,
  options: RenderGitOpsOptions,
  fluxNamespace: string,
  files: readonly { name: string; objects: readonly ManifestObject[] }[],
): ManifestObject[] {
  const source: ManifestObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'groundwork', namespace: fluxNamespace, labels: MANAGED_BY },
    spec: {
      url: repoURL,
      interval: '5m',
      ref: fluxGitRef(target.revision),
      ...(target.credentials !== undefined ? { secretRef: { name: GIT_CREDENTIALS_SECRET } } : {}),
    },
  };
  const bootstrap = [
    source,
    fluxKustomization(fluxNamespace, 'groundwork-addons-sources', `${target.path}/addons/sources`, undefined),
  ];
  const waveNames = new Map<number, string>();
  let previous = 'groundwork-addons-sources';
  files.forEach((f, i) => {
    if (f.objects.length === 0) {
      waveNames.set(i, previous);
      return;
    }
    const name = `groundwork-addons-wave-${pad(i)}`;
    bootstrap.push(
      fluxKustomization(fluxNamespace, name, `${target.path}/addons/${f.name.replace(/\/addons$/, '')}`, previous),
    );
    waveNames.set(i, name);
    previous = name;
  });
  if (options.appsAfterWave !== undefined) {
    // A Kustomization cannot ignore fields: the routes a canary shifts weights on carry
    // FLUX_CREATE_ONLY_ANNOTATION (flux.ts) instead, so the apply does not reset the weights.
    bootstrap.push(
      ...fluxDeployer(fluxNamespace, options.apps ?? []),
      fluxKustomization(
        fluxNamespace,
        'groundwork-apps',
        target.path,
        waveNames.get(options.appsAfterWave) ?? previous,
        FLUX_APPS_DEPLOYER,
      ),
    );
  }
  return bootstrap;
}

/** The Flux rendering: the HelmRepositories, the waves and, with a repository URL, the objects that bootstrap them. */
export function renderFlux(
  addons: PlatformAddons,
  target: GitOpsTarget,
  options: RenderGitOpsOptions,
): Omit<GitOpsRendering, 'engine'> {
  const fluxNamespace = addons.plan.addons.get('flux')?.namespace ?? 'flux-system';
  const repos = new Map<string, ManifestObject>();
  const files = fluxWaveFiles(addons.plan, fluxNamespace, repos);
  if (target.repoURL !== undefined)
    addCredentials(addons, target as GitOpsTarget & { repoURL: string }, fluxNamespace, files, (o) => o);
  const all = [
    { name: 'sources/helm-repositories', objects: [...repos.values()] },
    ...files.filter((f) => f.objects.length > 0),
  ];
  if (target.repoURL === undefined) return { files: all, bootstrap: [] };
  return { files: all, bootstrap: fluxBootstrap(target.repoURL, target, options, fluxNamespace, files) };
}

/**
 * The Flux GitRepository `ref` for a revision (source.toolkit.fluxcd.io/v1 GitRepositoryRef): a
 * full reference (`refs/tags/v1.2.0`, `refs/heads/main`) as `name`, a commit hash as `commit`, a
 * version tag (`v1.2.0`, `1.2.0-rc.1`) as `tag`, anything else as `branch`. Rendering a tag as a
 * branch makes the source fail: no branch of that name exists.
 */
export function fluxGitRef(
  revision: string,
): { readonly name: string } | { readonly commit: string } | { readonly tag: string } | { readonly branch: string } {
  if (revision.startsWith('refs/')) return { name: revision };
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]{1,64})?$/.test(revision)) return { tag: revision };
  return { branch: revision };
}
