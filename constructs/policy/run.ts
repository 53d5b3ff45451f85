/** The shared types of one checkManifests run: how violations are reported and the input indexed once. */
import type { PodOwner } from './pod-security';
import type { HardeningRule, ManifestObject } from './rules-table';
import type { PodIndex, SelectorIndex } from './selector-index';

/** Reports a violation of `rule` by an object or a Pod owner, unless the rule is skipped or opted out with a reason. */
export type Report = (rule: HardeningRule, o: ManifestObject | PodOwner, message: string) => void;

/** The input indexed once, so that every cross-object check is linear in the objects. */
export interface ManifestIndex {
  readonly objects: readonly ManifestObject[];
  readonly pods: readonly PodOwner[];
  readonly hpas: readonly ManifestObject[];
  readonly pdbs: readonly ManifestObject[];
  readonly services: readonly ManifestObject[];
  readonly ofKind: (kind: string) => ManifestObject[];
  readonly exists: (kind: string, ns: string | undefined, name: string) => boolean;
  readonly hpaByTarget: ReadonlyMap<string, ManifestObject>;
  /** Pod templates indexed by their labels; selectors filed under their most selective part. */
  readonly podIndex: PodIndex;
  readonly netpolIndex: SelectorIndex;
  readonly pdbIndex: SelectorIndex;
  readonly serviceByKey: ReadonlyMap<string, ManifestObject>;
}

/** One run of the checks: where violations go, and the indexed input. */
export interface Run {
  readonly report: Report;
  /** Runs one object's checks; a shape no rule expected is reported as malformed rather than thrown. */
  readonly guarded: (o: ManifestObject | PodOwner, check: () => void) => void;
  readonly index: ManifestIndex;
}
