/**
 * Which values paths a chart does not know. Helm ignores a key no template reads, so a misspelt or
 * renamed key changes nothing and says nothing. A path we set is known when the chart's
 * `values.yaml` (or its subchart's, under the subchart's key) has it, when `values.schema.json`
 * declares it, or when a template reads it as `.Values.<path>`; below a default that is an empty
 * map, a list or a scalar, anything goes (user maps such as annotations, or a value that replaces
 * the default whole). One pass over our values; each template search is a plain substring scan.
 */
import type { ChartFiles } from './chart-files';

/** One values path of ours that the chart's defaults and schema do not declare. */
export interface ValuesKey {
  /** Dotted path, e.g. `controller.metrics.serviceMonitor.enabled`. */
  readonly path: string;
  /** The template that reads it as `.Values.<path>`, when one does; otherwise it is unknown. */
  readonly readBy?: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaChild(schema: unknown, key: string): { known: boolean; child?: Record<string, unknown> } {
  if (!isMap(schema)) return { known: false };
  const props = schema.properties;
  if (isMap(props) && isMap(props[key])) return { known: true, child: props[key] };
  // a map schema without properties takes any key (additionalProperties not false)
  const open = !isMap(props) && schema.additionalProperties !== false && (schema.type === 'object' || schema.additionalProperties !== undefined);
  return { known: open };
}

const isNameChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The template of `chart` that reads `.Values.<dotted>` (followed by a non-name character), if any;
 * `whole`: only a read of the value as a whole (not followed by `.field`), as `toYaml` does.
 */
function templateReading(chart: ChartFiles, dotted: string, whole = false): string | undefined {
  const needle = `.Values.${dotted}`;
  for (const [file, text] of chart.templates) {
    // NOTES.txt is printed after an install, not applied: reading a value there configures nothing
    if (file.endsWith('/NOTES.txt')) continue;
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      const next = text.charCodeAt(i + needle.length);
      if (!isNameChar(next) && !(whole && next === 46)) return file;
    }
  }
  return undefined;
}

/** The template that reads `path` itself, or one of its parents whole (then any key below it is passed through). */
function readingOf(chart: ChartFiles, path: readonly string[]): string | undefined {
  const direct = templateReading(chart, path.join('.'));
  if (direct !== undefined) return direct;
  for (let n = path.length - 1; n > 0; n--) {
    const file = templateReading(chart, path.slice(0, n).join('.'), true);
    if (file !== undefined) return file;
  }
  return undefined;
}

function mergeDefaults(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over ?? base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeDefaults(base[k], v);
  return out;
}

/** Every path of `values` that `chart` (or its subcharts) does not declare: unknown, or read by a template. */
export function undeclaredValuesKeys(chart: ChartFiles, values: Readonly<Record<string, unknown>>): ValuesKey[] {
  const out: ValuesKey[] = [];
  // walks our `node` against `chart`'s defaults and schema at `inChart` (the path inside that chart);
  // `shown` is the path as the top chart's values spell it
  const walk = (
    c: ChartFiles,
    node: Readonly<Record<string, unknown>>,
    defaults: unknown,
    schema: unknown,
    inChart: readonly string[],
    shown: readonly string[],
  ): void => {
    for (const [key, value] of Object.entries(node)) {
      const here = [...inChart, key];
      const path = [...shown, key];
      const sub = inChart.length === 0 ? c.subcharts.find((s) => s.key === key) : undefined;
      if (sub !== undefined && isMap(value)) {
        const subDefaults = mergeDefaults(sub.defaults, isMap(defaults) ? defaults[key] : undefined);
        walk(sub, value, subDefaults, sub.schema, [], path);
        continue;
      }
      const declared = isMap(defaults) && Object.prototype.hasOwnProperty.call(defaults, key);
      const fromSchema = schemaChild(schema, key);
      if (!declared && !fromSchema.known) {
        const globalKnown = inChart[0] === 'global' && c.subcharts.some((s) => isMap(s.defaults.global) && key in s.defaults.global);
        if (!globalKnown) out.push({ path: path.join('.'), readBy: readingOf(c, here) });
        continue;
      }
      const d = isMap(defaults) ? defaults[key] : undefined;
      if (isMap(value) && ((isMap(d) && Object.keys(d).length > 0) || (d === undefined && fromSchema.child !== undefined)))
        walk(c, value, d, fromSchema.child, here, path);
    }
  };
  walk(chart, values, chart.defaults, chart.schema, [], []);
  return out;
}
