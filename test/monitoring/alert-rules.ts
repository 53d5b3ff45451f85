/**
 * promtool-like checks of alerting rules, run in the tests: every expression parses as PromQL (the
 * Prometheus web UI's own grammar, @prometheus-io/lezer-promql), every alert has a known severity
 * and a runbook_url into the README's Runbooks section.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parser } from '@prometheus-io/lezer-promql';
import type { ManifestObject } from '../../constructs';
import { ALERT_SEVERITIES, runbookUrl } from '../../constructs/addons/platform-alert-rules';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** Why `expr` does not parse as PromQL (the offsets of the parser's error nodes), or undefined. */
export function promqlError(expr: string): string | undefined {
  const at: number[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) at.push(n.from);
    },
  });
  return at.length > 0 ? `does not parse as PromQL (error at offset ${at.join(', ')})` : undefined;
}

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr?: unknown;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The problems of every rule of every PrometheusRule in `objects`, each naming the object and alert. */
export function alertRuleProblems(objects: readonly ManifestObject[]): string[] {
  const out: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'PrometheusRule')) {
    const groups = ((o as { spec?: { groups?: { name: string; rules: Rule[] }[] } }).spec?.groups ?? []) as {
      name: string;
      rules: Rule[];
    }[];
    for (const g of groups) {
      for (const r of g.rules) {
        const at = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''} ${g.name} ${r.alert ?? r.record ?? '?'}`;
        const parse = typeof r.expr === 'string' ? promqlError(r.expr) : 'has no expr';
        if (parse !== undefined) out.push(`${at}: expr ${parse}`);
        if (r.alert === undefined) continue;
        const severity = r.labels?.severity;
        if (!(ALERT_SEVERITIES as readonly string[]).includes(severity ?? ''))
          out.push(
            `${at}: labels.severity (${JSON.stringify(severity)}) must be one of ${ALERT_SEVERITIES.join(', ')}`,
          );
        const runbook = r.annotations?.runbook_url;
        if (runbook !== runbookUrl(r.alert))
          out.push(`${at}: annotations.runbook_url (${JSON.stringify(runbook)}) must be ${runbookUrl(r.alert)}`);
        else if (!README.includes(`### Runbook: ${r.alert}\n`))
          out.push(`${at}: README.md has no "### Runbook: ${r.alert}" entry`);
      }
    }
  }
  return out;
}
