/**
 * Hardening opt-out added: an object gaining a `groundwork.io/allow-<rule>` annotation (the
 * hardening checks then skip that rule for it), or one whose reason changed; a new object carrying
 * one counts too.
 */
import { finding, type Finding, metaMap, type ObjectChange } from './model';

/** The prefix of every opt-out annotation (constructs/policy/rules-table.ts `optOutAnnotation`). */
export const OPT_OUT_PREFIX = 'groundwork.io/allow-';

/** The opt-out risk family. */
export function optOutRisks(change: ObjectChange): readonly Finding[] {
  if (change.after === undefined) return [];
  const before = metaMap(change.before, 'annotations');
  const out: Finding[] = [];
  for (const [key, reason] of Object.entries(metaMap(change.after, 'annotations'))) {
    if (!key.startsWith(OPT_OUT_PREFIX) || before[key] === reason) continue;
    const rule = key.slice(OPT_OUT_PREFIX.length);
    const verb = before[key] === undefined ? 'opts out of' : 'changed its reason to opt out of';
    out.push(finding('opt-out', change, `${verb} ${rule}: "${reason}"`));
  }
  return out;
}
