/** The shapes of stacks/helm/chart-sources.ts, apart so the release steps in prepare/ can use them without a cycle. */

/** What a release step may use. */
export interface ReleaseContext {
  /** The version being packaged. */
  readonly version: string;
  /** The tag being packaged. */
  readonly tag: string;
  /** Extracts another folder of the same repository at the same tag; returns where it is. */
  extract(folder: string): string;
  /** Runs git in the source repository's checkout; returns its trimmed output. */
  git(...args: string[]): string;
}

/** A chart's source: a folder of a Git repository at a tag. */
export interface ChartSource {
  /** GitHub `owner/name` of the repository holding the chart's source. */
  readonly repo: string;
  /** The tag of a release; `{version}` stands for the version being packaged. */
  readonly tag: string;
  /** The chart's folder in the repository. */
  readonly path: string;
  /**
   * The chart's folder holds a placeholder version that the project's release step replaces
   * (`helm package --version <v> --app-version <v>`); packaging does the same with the pin.
   * @default false
   */
  readonly releaseVersion?: boolean;
  /**
   * Sources of the dependencies that Chart.yaml names with a remote repository (a `file://`
   * dependency is read from the same tag), by dependency name; each is packaged at the version its
   * parent's Chart.lock (or exact Chart.yaml version) names.
   * @default - none
   */
  readonly dependencies?: Readonly<Record<string, Omit<ChartSource, 'dependencies'>>>;
  /**
   * The project's own release step, for a chart whose folder is not yet the released chart (a
   * Chart.yaml template, CRDs copied in at release): run on the extracted folder before packaging,
   * with a function to extract other folders of the same tag. Name the upstream file it follows.
   * @default - none
   */
  readonly prepare?: (chartDir: string, release: ReleaseContext) => void;
  /**
   * For a dependency only: package this version instead of the one the parent locks, when the
   * locked version has no public source (`note` says which and why). The archive is then not the
   * published one, and the note says so.
   * @default - the version the parent's Chart.lock names
   */
  readonly version?: string;
  /** Why anything above is not the plain case, and the upstream file that says so. */
  readonly note?: string;
}

/** An add-on whose chart cannot be built here, and why (the exact refusal). */
export interface UnavailableSource {
  readonly unavailable: string;
}
