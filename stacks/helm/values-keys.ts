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
  const open =
    !isMap(props) &&
    schema.additionalProperties !== false &&
    (schema.type === 'object' || schema.additionalProperties !== undefined);
  return { known: open };
}

const isNameChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Template calls that pass a value on whole, every key below it included. */
const WHOLE_VALUE_CALLS = ['toYaml ', 'toJson ', 'toPrettyJson ', 'toRawJson ', 'deepCopy ', 'omit ', '"value" '];

/**
 * Whether the read of a value at `at` in `text` passes it on whole: right after a call that
 * serialises or copies it (`toYaml .Values.x`, `toJson`, `deepCopy`, `omit` of some keys,
 * Bitnami's `tplvalues.render (dict "value" .Values.x …)`), iterated by `range $k, $v :=`, or as the
 * subject of a `with` whose body serialises it (`{{- with .Values.x }}…{{ toYaml . }}`). Bounded
 * look-behind and look-ahead over the template text: constant work per read.
 */
function passedWhole(text: string, at: number, end: number): boolean {
  // `$.Values.x` reads the same value from inside a `range` or `with`
  const before = text
    .slice(Math.max(0, at - 40), at)
    .replace(/\$$/, '')
    .replace(/\(+$/, '');
  if (WHOLE_VALUE_CALLS.some((call) => before.endsWith(call))) return true;
  // `range $key, $value := .Values.x`: every key is used
  if (/range\s+\$\w+\s*,\s*\$\w+\s*:=\s*$/.test(before)) return true;
  if (!before.endsWith('with ')) return false;
  const body = text.slice(end, end + 300);
  const close = body.indexOf('{{');
  const action = close >= 0 ? body.slice(close, body.indexOf('}}', close) + 2) : '';
  return /toYaml \.\s*[|)}]/.test(action);
}

/**
 * The template of `chart` that reads `.Values.<dotted>` (followed by a non-name character), if any;
 * `whole`: only a read that passes the value on whole ({@link passedWhole}), not `if`, `hasKey` or
 * a helper given the map, which read some of its keys.
 */
function templateReading(chart: ChartFiles, dotted: string, whole = false): string | undefined {
  const needle = `.Values.${dotted}`;
  for (const [file, text] of chart.templates) {
    // NOTES.txt is printed after an install, not applied: reading a value there configures nothing
    if (file.endsWith('/NOTES.txt')) continue;
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      const end = i + needle.length;
      const next = text.charCodeAt(end);
      if (isNameChar(next) || next === 46) continue;
      if (!whole || passedWhole(text, i, end)) return file;
    }
  }
  return undefined;
}

/** The template that reads `index .Values.<parent> "<key>"` (a key with dots in it, such as Argo CD's `server.insecure`). */
function indexReading(chart: ChartFiles, parent: string, key: string): string | undefined {
  const needle = `index .Values.${parent} "${key}"`;
  for (const [file, text] of chart.templates) if (!file.endsWith('/NOTES.txt') && text.includes(needle)) return file;
  return undefined;
}

/** The template that reads `path` itself, or passes one of its parents on whole (then any key below it reaches the output). */
function readingOf(chart: ChartFiles, path: readonly string[]): string | undefined {
  const direct =
    templateReading(chart, path.join('.')) ??
    (path.length > 1 ? indexReading(chart, path.slice(0, -1).join('.'), path[path.length - 1]) : undefined);
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
        const globalKnown =
          inChart[0] === 'global' && c.subcharts.some((s) => isMap(s.defaults.global) && key in s.defaults.global);
        if (!globalKnown) out.push({ path: path.join('.'), readBy: readingOf(c, here) });
        continue;
      }
      const d = isMap(defaults) ? defaults[key] : undefined;
      if (
        isMap(value) &&
        ((isMap(d) && Object.keys(d).length > 0) || (d === undefined && fromSchema.child !== undefined))
      )
        walk(c, value, d, fromSchema.child, here, path);
    }
  };
  walk(chart, values, chart.defaults, chart.schema, [], []);
  return out;
}
