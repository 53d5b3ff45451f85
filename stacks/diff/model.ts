/**
 * What `npm run diff` compares: objects read back from two renderings, keyed by section, API group,
 * kind, namespace and name, and the findings each risk family reports on a (before, after) pair.
 */

/** A parsed YAML value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A map of parsed YAML. */
export type JsonMap = { readonly [key: string]: Json };

/** One object of a rendering (a Kubernetes object, or a file of the rendering as a pseudo-object). */
export interface DiffObject extends JsonMap {
  readonly apiVersion: string;
  readonly kind: string;
}

/** One object as it was at the base and as it is now; at least one side is present. */
export interface ObjectChange {
  /** `[bootstrap: ]<group>/<Kind> <namespace>/<name>`: stable across API version bumps. */
  readonly key: string;
  readonly before?: DiffObject;
  readonly after?: DiffObject;
}

/** The risk names `--fail-on` takes, most dangerous first. */
export const RISKS = ['rbac', 'network', 'pod-security', 'opt-out', 'pin', 'image', 'removed', 'secrets'] as const;

/** One risk family. */
export type Risk = (typeof RISKS)[number];

/** Each risk's heading in the report. */
export const RISK_TITLES: Readonly<Record<Risk, string>> = {
  rbac: 'RBAC widened',
  network: 'NetworkPolicy widened',
  'pod-security': 'Pod Security level lowered',
  'opt-out': 'Hardening opt-out added',
  pin: 'Chart pins changed',
  image: 'Images changed',
  removed: 'Objects removed (what prune would delete)',
  secrets: 'Secret references changed',
};

/** One risky difference on one object. */
export interface Finding {
  readonly risk: Risk;
  /** The object's key (see {@link ObjectChange.key}). */
  readonly object: string;
  readonly message: string;
}

/** A risk family: the findings on one (before, after) pair. Pure: no files, no git. */
export type RiskRule = (change: ObjectChange) => readonly Finding[];

/** `value` as a map, or undefined when it is not one. */
export function asMap(value: Json | undefined): JsonMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonMap) : undefined;
}

/** `value` as a list (a missing value is an empty list). */
export function asList(value: Json | undefined): readonly Json[] {
  return Array.isArray(value) ? (value as readonly Json[]) : [];
}

/** `value` as a string, or undefined. */
export function asString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at `path` (map keys) under `value`. */
export function at(value: Json | undefined, ...path: readonly string[]): Json | undefined {
  let v = value;
  for (const key of path) v = asMap(v)?.[key];
  return v;
}

/** A list of strings at `path` (non-strings left out). */
export function stringsAt(value: Json | undefined, ...path: readonly string[]): string[] {
  return asList(at(value, ...path)).filter((s): s is string => typeof s === 'string');
}

/** JSON with map keys sorted: equal values give equal text whatever their key order. */
export function canonical(value: Json | undefined): string {
  return JSON.stringify(sortKeys(value ?? null));
}

/** A copy of `value` with every map's keys sorted. */
export function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return (value as readonly Json[]).map(sortKeys);
  const map = asMap(value);
  if (map === undefined) return value;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(map).sort()) out[k] = sortKeys(map[k]);
  return out;
}

/** The metadata annotations or labels of `o`. */
export function metaMap(o: DiffObject | undefined, field: 'labels' | 'annotations'): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asMap(at(o, 'metadata', field)) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The object of a change, for rules that read one kind: `after` when present, else `before`. */
export function kindOf(change: ObjectChange): string {
  return (change.after ?? change.before)?.kind ?? '';
}

/** A finding on `change`. */
export function finding(risk: Risk, change: ObjectChange, message: string): Finding {
  return { risk, object: change.key, message };
}
