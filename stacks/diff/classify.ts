/**
 * Compares two renderings object by object and runs every risk family over each difference:
 * added, changed (after noise is removed) and removed objects, each with its findings, the most
 * dangerous first.
 */
import { imageRisks } from './images';
import {
  canonical,
  type DiffObject,
  finding,
  type Finding,
  type ObjectChange,
  type Risk,
  RISKS,
  type RiskRule,
} from './model';
import { networkRisks } from './network';
import { optOutRisks } from './opt-out';
import { type CrdLookup, pinRisksWith } from './pins';
import { podSecurityRisks } from './pod-security';
import { rbacRisks } from './rbac';
import { FILE_KIND } from './read-rendering';
import { secretRisks } from './secrets';

/** One object that differs between the renderings. */
export interface ObjectDiff extends ObjectChange {
  readonly status: 'added' | 'changed' | 'removed';
  readonly findings: readonly Finding[];
}

/** Objects removed: what `kubectl apply --prune` or the GitOps engine's pruning would delete (files of the rendering are not objects). */
export function removedRisks(change: ObjectChange): readonly Finding[] {
  if (change.after !== undefined || change.before === undefined || change.before.kind === FILE_KIND) return [];
  return [finding('removed', change, 'no longer rendered: pruning deletes it from the cluster')];
}

/** Every risk family, in report order. */
export function riskRules(crds?: CrdLookup): readonly RiskRule[] {
  return [
    rbacRisks,
    networkRisks,
    podSecurityRisks,
    optOutRisks,
    pinRisksWith(crds),
    imageRisks,
    removedRisks,
    secretRisks,
  ];
}

/** The index of the most dangerous risk among `findings` (RISKS.length when none). */
export function worstRisk(findings: readonly Finding[]): number {
  return Math.min(RISKS.length, ...findings.map((f) => RISKS.indexOf(f.risk)));
}

/** The objects that differ between `before` and `after` (normalized, by key), with their findings, the most dangerous first. */
export function compareRenderings(
  before: ReadonlyMap<string, DiffObject>,
  after: ReadonlyMap<string, DiffObject>,
  rules: readonly RiskRule[] = riskRules(),
): ObjectDiff[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ObjectDiff[] = [];
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    if (b !== undefined && a !== undefined && canonical(b) === canonical(a)) continue;
    const change: ObjectChange = { key, before: b, after: a };
    const status = b === undefined ? 'added' : a === undefined ? 'removed' : 'changed';
    out.push({ ...change, status, findings: rules.flatMap((r) => r(change)) });
  }
  return out.sort((x, y) => {
    const byRisk = worstRisk(x.findings) - worstRisk(y.findings);
    return byRisk !== 0 ? byRisk : x.key.localeCompare(y.key);
  });
}

/** The risks among `diffs`. */
export function risksOf(diffs: readonly ObjectDiff[]): Set<Risk> {
  return new Set(diffs.flatMap((d) => d.findings.map((f) => f.risk)));
}
