import type { ManifestObject } from '../policy/check-manifests';
import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { PlatformAddons } from './platform-addons';

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

const MANAGED = { 'app.kubernetes.io/managed-by': 'k8s-groundwork' };
/** Kinds that define other kinds: they go one step before the objects that use them. */
const DEFINERS = new Set(['ConstraintTemplate', 'CustomResourceDefinition']);

/** Splits companions into those that define kinds (applied first) and the rest. */
export function splitCompanions(objs: readonly ManifestObject[]): [ManifestObject[], ManifestObject[]] {
  return [objs.filter((o) => DEFINERS.has(o.kind)), objs.filter((o) => !DEFINERS.has(o.kind))];
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
      labels: MANAGED,
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
  const applications = plan.waves.flatMap((wave, i) => wave.map((id) => argoApplication(plan.addons.get(id) as AddonDeclaration, i, argoNamespace)));
  const companionWave = plan.waves.length;
  const [definers, rest] = splitCompanions(addons.declarations.flatMap((d) => d.companions));
  const files = [
    { name: '10-applications', objects: applications },
    { name: '20-addon-definitions', objects: definers.map((o) => withAnnotations(o, { 'argocd.argoproj.io/sync-wave': String(companionWave) })) },
    { name: '30-addon-resources', objects: rest.map((o) => withAnnotations(o, { 'argocd.argoproj.io/sync-wave': String(companionWave + 1) })) },
  ].filter((f) => f.objects.length > 0);
  const root: ManifestObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'groundwork-addons', namespace: argoNamespace, labels: MANAGED },
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
  const releases: ManifestObject[] = [];
  for (const wave of addons.plan.waves) {
    for (const id of wave) {
      const d = addons.plan.addons.get(id) as AddonDeclaration;
      const name = repoName(d.chart.repository);
      const oci = d.chart.repository.startsWith('oci://');
      repos.set(name, {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name, namespace: fluxNamespace, labels: MANAGED },
        spec: { url: d.chart.repository, interval: '1h', ...(oci ? { type: 'oci' } : {}) },
      });
      releases.push({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: d.id, namespace: fluxNamespace, labels: MANAGED },
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
  }
  const [definers, rest] = splitCompanions(addons.declarations.flatMap((d) => d.companions));
  const files = [
    { name: 'controllers/sources', objects: [...repos.values()] },
    { name: 'controllers/releases', objects: releases },
    { name: 'definitions/resources', objects: definers },
    { name: 'config/resources', objects: rest },
  ];
  const kustomization = (name: string, path: string, dependsOn: string[]): ManifestObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: fluxNamespace, labels: MANAGED },
    spec: {
      interval: '10m', path: `./${target.path}/${path}`, prune: true, wait: true, timeout: '10m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((n) => ({ name: n })) } : {}),
    },
  });
  return {
    files: files.filter((f) => f.objects.length > 0),
    bootstrap: [
      kustomization('groundwork-addon-controllers', 'controllers', []),
      ...(definers.length > 0 ? [kustomization('groundwork-addon-definitions', 'definitions', ['groundwork-addon-controllers'])] : []),
      kustomization('groundwork-addon-config', 'config', [definers.length > 0 ? 'groundwork-addon-definitions' : 'groundwork-addon-controllers']),
    ],
  };
}

/**
 * Renders the add-ons for a GitOps engine. Argo CD: one Application per add-on (app of apps) with
 * `sync-wave` following the dependency graph, then the companion resources in later waves.
 * Flux: HelmRepository + HelmRelease per add-on with `dependsOn`, and Kustomizations that apply
 * the companions only after every release is ready.
 */
export function renderGitOps(addons: PlatformAddons, target: GitOpsTarget): GitOpsRendering {
  if (!addons.plan.addons.has(target.engine)) {
    throw new GroundworkValidationError([`GitOpsTarget: engine ('${target.engine}') must be an enabled add-on (enable it in the gitops profile)`]);
  }
  return target.engine === 'argo-cd' ? renderArgo(addons, target) : renderFlux(addons, target);
}
