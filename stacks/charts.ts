/**
 * `npm run charts -- template <stack|all> [--markdown]`: real Helm over the vendored charts for each
 * environment (stacks/helm/template.ts), then what they render applied to a real kube-apiserver in
 * the add-on's namespace as the project creates it (its Pod Security level decides every Pod).
 * Prints each problem, then
 * `helm-template: charts=N rendered=N unknown_values_keys=U pod_security_denied=P rejected=R values_mismatch=M not_vendored=V`
 * (V: enabled add-ons whose chart stacks/helm/chart-sources.ts records as unbuildable here, each
 * listed with why); exits 1 on any problem, including an enabled add-on with no archive and no such record. `--markdown` also prints the per-chart hardening findings table.
 *
 * `npm run charts -- package <addon…|all>`: rebuilds vendored chart archives from their sources
 * (stacks/helm/chart-sources.ts; checkouts under CHART_SOURCES_DIR).
 */
import type { AddonDeclaration, AddonId } from '../constructs';
import { checkObjects, reportLines, totals, type CheckResult, type SourcedObject } from './apiserver/check';
import { startCluster } from './apiserver/cluster';
import { CHART_SOURCES, unavailableReason } from './helm/chart-sources';

import { helmBinary, packageChart } from './helm/package-chart';
import { type ChartRender, isVendored, renderCharts } from './helm/template';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import { renderStack } from './render-stack';
import { stackNames } from './stack-config';

const USAGE = `usage: npm run charts -- template <stack|all> [--markdown] | package <addon…|all>   (stacks: ${stackNames().join(', ')})`;

/** The objects to apply for one environment's charts: the namespaces the add-ons create (with their Pod Security levels), then each chart's output. */
export function admissionInput(
  stack: string,
  renders: readonly ChartRender[],
  declarations: readonly AddonDeclaration[],
): SourcedObject[] {
  const ns = declarations.flatMap((d) => [...d.prerequisites, ...d.companions]).filter((o) => o.kind === 'Namespace');
  return [
    ...ns.map((object) => ({ source: `${stack}: the project's namespaces`, object })),
    ...renders.flatMap((c) =>
      c.objects.map((o) => ({
        source: `${stack}: chart ${c.declaration.chart.chart}-${c.declaration.chart.version}`,
        object: { ...o, metadata: { namespace: c.declaration.namespace, ...o.metadata } },
      })),
    ),
  ];
}

/** The per-chart findings table (markdown), from one rendering per chart (the last environment that enables it). */
export function findingsTable(renders: readonly ChartRender[]): string {
  const byChart = new Map<string, ChartRender>();
  for (const c of renders) byChart.set(`${c.declaration.chart.chart} ${c.declaration.chart.version}`, c);
  const rows = [...byChart].sort(([a], [b]) => a.localeCompare(b));
  return [
    '| chart | objects | findings by rule |',
    '|---|---:|---|',
    ...rows.map(([chart, c]) => {
      const findings = [...c.findings].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => `${rule} ${n}`);
      return `| ${chart} | ${c.objects.length} | ${findings.length > 0 ? findings.join(', ') : 'none'} |`;
    }),
  ].join('\n');
}

async function template(stacks: readonly string[], markdown: boolean): Promise<number> {
  const helm = helmBinary();
  const all: ChartRender[] = [];
  const missing: string[] = [];
  const notVendored: string[] = [];
  const results: CheckResult[] = [];
  for (const stack of stacks) {
    const r = renderStack(stack);
    const vendored = { ...r, addons: { ...r.addons, declarations: r.addons.declarations.filter(isVendored) } };
    for (const d of r.addons.declarations.filter((x) => !isVendored(x))) {
      const why = unavailableReason(d.id);
      if (why !== undefined) notVendored.push(`${stack}: ${d.id}: not rendered: ${why}`);
      else missing.push(`${stack}: ${d.id}: no vendored chart (npm run charts -- package ${d.id})`);
    }
    const renders = renderCharts(helm, vendored);
    all.push(...renders);
    for (const c of renders) {
      const where = `${stack}: ${c.id}`;
      if (c.error !== undefined) console.log(`${where}: helm template failed: ${c.error}`);
      for (const k of c.unknownKeys)
        console.log(`${where}: unknown values key ${k} (the chart's values.yaml, schema and templates do not have it)`);
      for (const k of c.staleAllowed)
        console.log(
          `${where}: allow-listed values key ${k} is declared by the chart now (remove it from values-allowlist.ts)`,
        );
      for (const m of c.valuesMismatch) console.log(`${where}: ${m} differ from the add-on's values`);
      for (const k of c.readByTemplate)
        console.log(`${where}: values key ${k.path} is not in the chart's values.yaml; ${k.readBy} reads it`);
    }
    // webhook servers are chart Pods, which never run here: a chart's webhook configuration would
    // make the API server refuse later objects for want of endpoints, blaming the wrong chart
    const cluster = await startCluster([], { webhooks: false });
    try {
      const result = await checkObjects(cluster.as('admin'), admissionInput(stack, renders, r.addons.declarations));
      results.push(result);
      for (const line of reportLines(result)) console.log(`${stack}: ${line}`);
    } finally {
      await cluster.stop();
    }
  }
  for (const line of [...missing, ...notVendored]) console.log(line);
  if (markdown) console.log(findingsTable(all));
  const t = totals(results);
  const count = (f: (c: ChartRender) => number): number => all.reduce((n, c) => n + f(c), 0);
  const unknown = count((c) => c.unknownKeys.length + c.staleAllowed.length);
  const mismatch = count((c) => c.valuesMismatch.length);
  const rendered = all.filter((c) => c.error === undefined).length;
  // every enabled add-on's chart counts, except those chart-sources.ts records as unbuildable here (listed above, with why)
  const charts = all.length + missing.length;
  console.log(
    `helm-template: charts=${charts} rendered=${rendered} unknown_values_keys=${unknown} pod_security_denied=${t.podSecurityDenied} rejected=${t.rejected} values_mismatch=${mismatch} not_vendored=${notVendored.length}`,
  );
  return rendered === charts && unknown === 0 && mismatch === 0 && t.podSecurityDenied === 0 && t.rejected === 0
    ? 0
    : 1;
}

async function main(args: ParsedArgs): Promise<number> {
  const [command, ...rest] = args.positionals;
  if (command === 'package') {
    if (rest.length === 0) throw new UsageError('name the add-ons to package, or "all"');
    const buildable = (Object.keys(CHART_SOURCES) as AddonId[]).filter((id) => unavailableReason(id) === undefined);
    if (!rest.includes('all')) requireKnown('add-on', rest, Object.keys(CHART_SOURCES));
    const ids = rest.includes('all') ? buildable : (rest as AddonId[]);
    for (const id of ids) console.log(`charts: ${id} -> ${packageChart(id)}`);
    return 0;
  }
  if (command !== 'template')
    throw new UsageError(command === undefined ? 'name a command' : `unknown command "${command}"`);
  if (rest.length !== 1) throw new UsageError('template takes one stack, or "all"');
  const known = stackNames();
  if (rest[0] !== 'all') requireKnown('stack', rest, known);
  return template(rest[0] === 'all' ? known : rest, args.switches.has('markdown'));
}

runCli(module, { usage: USAGE, switches: ['markdown'] }, main);
