import type { ManifestObject } from '../policy/check-manifests';
import type { ChartRef } from './catalog';

// The shapes renderGitOps takes and returns, and the helpers over rendered objects that the Argo CD
// projects (argo-cd-projects.ts), the Flux deployer (flux-deployer.ts) and gitops.ts share.

/**
 * Where the credentials of a private repository live: a reference, never a value. The entry holds
 * `sshPrivateKey` (kind `ssh`; Flux also reads `knownHosts`) or `username` and `password` (kind
 * `token`: the token as the password); an ExternalSecret copies them into the Secret the engine reads.
 */
export interface GitCredentialsRef {
  /** `ssh`: a deploy key, for an `ssh://` or `git@` URL; `token`: username and token, for an `https://` URL. */
  readonly kind: 'ssh' | 'token';
  /** Key of the entry in the platform's ClusterSecretStore (the External Secrets add-on's store). */
  readonly storeEntry: string;
}

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
  /**
   * Credentials of a private repository, by reference (needs `repoURL` and a secret store).
   * @default - none: the repository is read anonymously (public)
   */
  readonly credentials?: GitCredentialsRef;
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

/** A Kubernetes API group and kind. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** API group of an apiVersion (`''` for the core group). */
export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

/**
 * Whether a rendered object is cluster-scoped: it carries no namespace. True of every rendering that
 * passes `checkManifests`, whose `namespace` rule refuses a namespaced object without one.
 */
export const isClusterScoped = (o: ManifestObject): boolean => o.metadata?.namespace === undefined;

export const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The distinct group/kinds of `objects`, sorted by group then kind. */
export function groupKinds(objects: readonly ManifestObject[]): GroupKind[] {
  const keys = sortedUnique(objects.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`));
  return keys.map((k) => ({ group: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) }));
}

/** The namespaces the namespaced objects of `objects` go to, sorted. */
export const namespacesOf = (objects: readonly ManifestObject[]): string[] =>
  sortedUnique(objects.filter((o) => !isClusterScoped(o)).map((o) => o.metadata?.namespace ?? ''));
