/**
 * Pod Security level lowered: a Namespace whose `pod-security.kubernetes.io/<mode>` label names a
 * lower level than before (restricted > baseline > privileged), or lost the label (the cluster's
 * default, privileged unless the admission configuration says otherwise).
 */
import { finding, type Finding, kindOf, metaMap, type ObjectChange } from './model';

/** The Pod Security levels, most restrictive first. */
const LEVELS = ['restricted', 'baseline', 'privileged'] as const;
const MODES = ['enforce', 'audit', 'warn'] as const;

/** Rank of a level: 0 restricted, 1 baseline, 2 privileged (a missing or unknown value: privileged). */
export function levelRank(level: string | undefined): number {
  const i = LEVELS.indexOf(level as (typeof LEVELS)[number]);
  return i < 0 ? LEVELS.length - 1 : i;
}

/** The Pod Security risk family (changed Namespaces only: a new Namespace lowers nothing). */
export function podSecurityRisks(change: ObjectChange): readonly Finding[] {
  if (kindOf(change) !== 'Namespace' || change.before === undefined || change.after === undefined) return [];
  const before = metaMap(change.before, 'labels');
  const after = metaMap(change.after, 'labels');
  const out: Finding[] = [];
  for (const mode of MODES) {
    const label = `pod-security.kubernetes.io/${mode}`;
    const was = before[label];
    if (was === undefined) continue;
    const now = after[label];
    if (levelRank(now) > levelRank(was)) {
      out.push(
        finding(
          'pod-security',
          change,
          `${mode} lowered from ${was} to ${now ?? 'the cluster default (label removed)'}`,
        ),
      );
    }
  }
  return out;
}
