/**
 * A packaged chart read from its archive: each chart (the parent and every subchart, at any depth)
 * with its default values, its values schema and its templates' text. Archives hold subcharts as
 * nested archives or folders under `charts/`; both are read. Subchart unit-test folders are not
 * templates and are not read.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

/** One chart of an archive. */
export interface ChartFiles {
  readonly name: string;
  /** The key its parent's values use for it (the dependency's alias or name); '' for the top chart. */
  readonly key: string;
  readonly defaults: Record<string, unknown>;
  /** values.schema.json, when the chart has one. */
  readonly schema?: Record<string, unknown>;
  /** Template file (relative to the archive) to its text. */
  readonly templates: ReadonlyMap<string, string>;
  readonly subcharts: readonly ChartFiles[];
}

const MERGED_DEFAULTS = '_internal_defaults_do_not_set';

/**
 * The defaults the templates see. Istio's charts keep theirs under `_internal_defaults_do_not_set`
 * and merge them into `.Values` (istio manifests/charts/<chart>/templates/zzz_profile.yaml: "Users
 * should NOT set _internal_defaults_do_not_set explicitly, but rather directly set the fields"), so
 * for a chart whose templates do that merge, those defaults are top-level ones.
 */
export function effectiveDefaults(
  defaults: Record<string, unknown>,
  templates: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const nested = defaults[MERGED_DEFAULTS];
  const merged = [...templates.values()].some((t) => t.includes(`$.Values.${MERGED_DEFAULTS}`));
  if (!merged || typeof nested !== 'object' || nested === null) return defaults;
  const { [MERGED_DEFAULTS]: _nested, ...rest } = defaults;
  return { ...(nested as Record<string, unknown>), ...rest };
}

function readDir(dir: string, rel: string, key: string, work: string): ChartFiles {
  const meta = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as {
    name: string;
    dependencies?: { name: string; alias?: string }[];
  };
  const valuesFile = path.join(dir, 'values.yaml');
  const defaults =
    (fs.existsSync(valuesFile)
      ? (parse(fs.readFileSync(valuesFile, 'utf8')) as Record<string, unknown> | null)
      : null) ?? {};
  const schemaFile = path.join(dir, 'values.schema.json');
  const schema = fs.existsSync(schemaFile)
    ? (JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>)
    : undefined;
  const templates = new Map<string, string>();
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else templates.set(path.join(rel, path.relative(dir, f)), fs.readFileSync(f, 'utf8'));
    }
  };
  walk(path.join(dir, 'templates'));
  const subcharts: ChartFiles[] = [];
  const chartsDir = path.join(dir, 'charts');
  if (fs.existsSync(chartsDir))
    for (const e of fs.readdirSync(chartsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      let subDir = path.join(chartsDir, e.name);
      if (!e.isDirectory()) {
        if (!e.name.endsWith('.tgz')) continue;
        const into = fs.mkdtempSync(path.join(work, 'sub-'));
        execFileSync('tar', ['-xzf', subDir, '-C', into]);
        subDir = path.join(into, fs.readdirSync(into)[0]);
      }
      const subName = (parse(fs.readFileSync(path.join(subDir, 'Chart.yaml'), 'utf8')) as { name: string }).name;
      const dep = meta.dependencies?.find((x) => x.name === subName);
      subcharts.push(readDir(subDir, path.join(rel, 'charts', subName), dep?.alias ?? subName, work));
    }
  return { name: meta.name, key, defaults: effectiveDefaults(defaults, templates), schema, templates, subcharts };
}

/** Reads a chart archive (`helm package` output). */
export function readChartArchive(archive: string): ChartFiles {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-files-'));
  try {
    execFileSync('tar', ['-xzf', archive, '-C', work]);
    const top = fs.readdirSync(work)[0];
    return readDir(path.join(work, top), top, '', work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
