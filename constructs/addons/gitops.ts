import type { ManifestObject } from '../policy/check-manifests';
import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { PlanStep } from './graph';
import type { PlatformAddons } from './platform-addons';
import { MANAGED_BY } from '../internal/labels';

/** Where the GitOps engine finds the rendered add-on directory. */
export interface GitOpsTarget {
  /** Engine that applies the add-ons. */
  readonly engine: 'argo-cd' | 'flux';
  /** Git repository holding the synthesized YAML. */
  readonly repoURL: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** Directory of the add-on files in that repository, e.g. `dist/prod/addons`. */
  readonly path: string;
}

/** The rendered add-on tree: file name to objects, plus the bootstrap objects applied once by hand. */
export interface GitOpsRendering {
  /** Files of the add-on directory, in apply order. */
  readonly files: ReadonlyArray<{ readonly name: string; readonly objects: readonly ManifestObject[] }>;
  /** Objects that point the engine at the directory (applied once: `kubectl apply -f bootstrap.yaml`). */
  readonly bootstrap: readonly ManifestObject[];
}

function withAnnotations(o: ManifestObject, annotations: Record<string, string>): ManifestObject {
  const metadata = { ...o.metadata, annotations: { ...o.metadata?.annotations, ...annotations } };
  return { ...o, metadata } as ManifestObject;
}

/** Argo CD's Helm source wants an OCI registry without the scheme. */
function argoRepo(repository: string): string {
  return repository.startsWith('oci://') ? repository.slice('oci://'.length) : repository;
}

function argoApplication(d: AddonDeclaration, wave: number, argoNamespace: string): ManifestObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: d.id,
      namespace: argoNamespace,
      labels: MANAGED_BY,
      annotations: { 'argocd.argoproj.io/sync-wave': String(wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      source: { repoURL: argoRepo(d.chart.repository), chart: d.chart.chart, targetRevision: d.chart.version, helm: { releaseName: d.releaseName, valuesObject: d.values } },
      destination: { server: 'https://kubernetes.default.svc', namespace: d.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}

function renderArgo(addons: PlatformAddons, target: GitOpsTarget): GitOpsRendering {
  const argoNamespace = addons.plan.addons.get('argo-cd')?.namespace ?? 'argocd';
  const { plan } = addons;
  const applications: ManifestObject[] = [];
  const resources: ManifestObject[] = [];
  plan.waves.forEach((wave, i) => {
    for (const id of wave) {
      const step = plan.steps.get(id) as PlanStep;
      if (step.kind === 'release') applications.push(argoApplication(plan.addons.get(step.addon) as AddonDeclaration, i, argoNamespace));
      else resources.push(...step.objects.map((o) => withAnnotations(o, { 'argocd.argoproj.io/sync-wave': String(i) })));
    }
  });
  const files = [
    { name: '10-applications', objects: applications },
    { name: '20-addon-resources', objects: resources },
  ].filter((f) => f.objects.length > 0);
  const root: ManifestObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'groundwork-addons', namespace: argoNamespace, labels: MANAGED_BY },
    spec: {
      project: 'default',
      source: { repoURL: target.repoURL, targetRevision: target.revision, path: target.path },
      destination: { server: 'https://kubernetes.default.svc', namespace: argoNamespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  };
  return { files, bootstrap: [root] };
}

function renderFlux(addons: PlatformAddons, target: GitOpsTarget): GitOpsRendering {
  const fluxNamespace = addons.plan.addons.get('flux')?.namespace ?? 'flux-system';
  const repoName = (url: string): string => url.replace(/^(oci|https?):\/\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 63).replace(/-$/, '');
  const repos = new Map<string, ManifestObject>();
  const waveFiles: { name: string; objects: ManifestObject[] }[] = [];
  addons.plan.waves.forEach((wave, i) => {
    const objects: ManifestObject[] = [];
    for (const id of wave) {
      const step = addons.plan.steps.get(id) as PlanStep;
      if (step.kind !== 'release') {
        objects.push(...step.objects);
        continue;
      }
      const d = addons.plan.addons.get(step.addon) as AddonDeclaration;
      const name = repoName(d.chart.repository);
      const oci = d.chart.repository.startsWith('oci://');
      repos.set(name, {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name, namespace: fluxNamespace, labels: MANAGED_BY },
        spec: { url: d.chart.repository, interval: '1h', ...(oci ? { type: 'oci' } : {}) },
      });
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
          dependsOn: d.dependsOn.map((dep) => ({ name: dep, namespace: fluxNamespace })),
          values: d.values,
        },
      });
    }
    waveFiles.push({ name: `wave-${i}/addons`, objects });
  });
  const kustomization = (name: string, path: string, dependsOn: string | undefined): ManifestObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: fluxNamespace, labels: MANAGED_BY },
    spec: {
      interval: '10m', path: `./${target.path}/${path}`, prune: true, wait: true, timeout: '10m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
    },
  });
  const bootstrap = [kustomization('groundwork-addons-sources', 'sources', undefined)];
  waveFiles.forEach((_, i) => bootstrap.push(kustomization(`groundwork-addons-wave-${i}`, `wave-${i}`, i === 0 ? 'groundwork-addons-sources' : `groundwork-addons-wave-${i - 1}`)));
  return { files: [{ name: 'sources/helm-repositories', objects: [...repos.values()] }, ...waveFiles], bootstrap };
}

/**
 * Renders the add-ons for a GitOps engine, following the plan's waves. Argo CD: one Application
 * per add-on (app of apps) and the companion resources, each annotated with its wave as
 * `sync-wave`. Flux: a HelmRepository per repository, a HelmRelease per add-on (with `dependsOn`),
 * and one Kustomization per wave that waits for the wave before it, so companions apply only once
 * the charts defining their kinds are ready.
 */
export function renderGitOps(addons: PlatformAddons, target: GitOpsTarget): GitOpsRendering {
  if (!addons.plan.addons.has(target.engine)) {
    throw new GroundworkValidationError([`GitOpsTarget: engine ('${target.engine}') must be an enabled add-on (enable it in the gitops profile)`]);
  }
  return target.engine === 'argo-cd' ? renderArgo(addons, target) : renderFlux(addons, target);
}
