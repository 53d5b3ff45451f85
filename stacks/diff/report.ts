/**
 * The diff as text (a terminal) or markdown (a pull-request comment): a summary, then each risk's
 * objects, most dangerous first (each object once, under its most dangerous risk, with all its
 * findings and its unified diff), then everything else; the last line is always
 * `diff: stack=<name> added=A changed=C removed=R risky=K`.
 */
import { type ObjectDiff, worstRisk } from './classify';
import { unifiedDiff } from './line-diff';
import { RISK_TITLES, RISKS } from './model';
import { yamlLines } from './normalize';

/** Diff lines shown per object; the rest are counted. */
export const MAX_DIFF_LINES = 300;

/** The output formats. */
export const FORMATS = ['text', 'markdown'] as const;

/** An output format. */
export type Format = (typeof FORMATS)[number];

/** What one stack's diff reports. */
export interface StackDiff {
  readonly stack: string;
  /** What the working tree is compared with (`HEAD~1 (1a2b3c4)`). */
  readonly base: string;
  readonly diffs: readonly ObjectDiff[];
}

/** The counts of the summary line. */
export interface DiffCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly risky: number;
}

/** The counts of `diffs` (risky: objects with at least one finding). */
export function countsOf(diffs: readonly ObjectDiff[]): DiffCounts {
  const n = (s: ObjectDiff['status']): number => diffs.filter((d) => d.status === s).length;
  return {
    added: n('added'),
    changed: n('changed'),
    removed: n('removed'),
    risky: diffs.filter((d) => d.findings.length > 0).length,
  };
}

/** The machine-readable last line. */
export function summaryLine(stack: string, c: DiffCounts): string {
  return `diff: stack=${stack} added=${c.added} changed=${c.changed} removed=${c.removed} risky=${c.risky}`;
}

/** An object's unified diff (YAML, keys sorted), at most {@link MAX_DIFF_LINES} lines; none for a removed object. */
export function objectDiffLines(d: ObjectDiff): string[] {
  if (d.status === 'removed') return [];
  const lines = unifiedDiff(yamlLines(d.before), yamlLines(d.after));
  if (lines.length <= MAX_DIFF_LINES) return lines;
  return [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more diff lines`];
}

/** The objects of each group: each risk (by its most dangerous finding), then the rest. */
function groups(diffs: readonly ObjectDiff[]): { title: string; diffs: ObjectDiff[] }[] {
  const out = RISKS.map((r, i) => ({
    title: `${RISK_TITLES[r]} (${r})`,
    diffs: diffs.filter((d) => worstRisk(d.findings) === i),
  }));
  out.push({ title: 'Other changes', diffs: diffs.filter((d) => d.findings.length === 0) });
  return out.filter((g) => g.diffs.length > 0);
}

function riskCounts(diffs: readonly ObjectDiff[]): string {
  const counts = RISKS.map(
    (r) => [r, diffs.filter((d) => d.findings.some((f) => f.risk === r)).length] as const,
  ).filter(([, n]) => n > 0);
  return counts.length === 0 ? 'none' : counts.map(([r, n]) => `${r} ${n}`).join(', ');
}

/** The text report of one stack. */
export function textReport(s: StackDiff): string[] {
  const out = [`diff ${s.stack}: ${s.base} -> working tree; risks: ${riskCounts(s.diffs)}`];
  for (const g of groups(s.diffs)) {
    out.push('', `== ${g.title}: ${g.diffs.length} object${g.diffs.length === 1 ? '' : 's'}`);
    for (const d of g.diffs) {
      out.push(`${d.status === 'added' ? '+' : d.status === 'removed' ? '-' : '~'} ${d.key} (${d.status})`);
      for (const f of d.findings) out.push(`    [${f.risk}] ${f.message}`);
      out.push(...objectDiffLines(d).map((l) => `    ${l}`));
    }
  }
  out.push(summaryLine(s.stack, countsOf(s.diffs)));
  return out;
}

/** `text` with markdown's inline markup characters escaped (`* on *.*` stays literal). */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, '\\$&');
}

/** The markdown report of one stack (a pull-request comment). */
export function markdownReport(s: StackDiff): string[] {
  const c = countsOf(s.diffs);
  const out = [
    `### Rendered diff: stack \`${s.stack}\``,
    '',
    `Base ${s.base} → working tree: **${c.added} added, ${c.changed} changed, ${c.removed} removed, ${c.risky} risky** (risks: ${riskCounts(s.diffs)})`,
  ];
  for (const g of groups(s.diffs)) {
    out.push('', `#### ${g.title === 'Other changes' ? '' : '⚠️ '}${g.title}`, '');
    for (const d of g.diffs) {
      out.push(`- \`${d.key}\` (${d.status})`);
      for (const f of d.findings) out.push(`  - **${f.risk}**: ${markdownText(f.message)}`);
      const lines = objectDiffLines(d);
      if (lines.length > 0)
        out.push(
          '',
          '  <details><summary>diff</summary>',
          '',
          '  ```diff',
          ...lines.map((l) => `  ${l}`),
          '  ```',
          '  </details>',
        );
    }
  }
  out.push('', summaryLine(s.stack, c));
  return out;
}
