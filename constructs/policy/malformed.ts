/** The `malformed` rule, and the defensive readers every rule reads manifests with (malformed input is reported, never thrown on). */

export type Json = Record<string, unknown>;

/** `x` when it is a list, else an empty one (malformed input is reported, never thrown on). */
export function arr(x: unknown): Json[] {
  return Array.isArray(x) ? x.filter((i): i is Json => typeof i === 'object' && i !== null) : [];
}

/** A value from a manifest as it appears in a message: strings as they are, anything else as JSON. */
export function shown(x: unknown): string {
  return typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
}

/** `x` when it is an object (not a list), else an empty one. */
export function rec(x: unknown): Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {};
}

/** What is wrong with the shape of an entry (not an object, no apiVersion or kind, odd metadata); undefined when it can be checked. */
export function malformedProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    return `is ${o === null ? 'null' : Array.isArray(o) ? 'a list' : `a ${typeof o}`}, not a Kubernetes object`;
  const m = o as Json;
  if (typeof m.apiVersion !== 'string' || m.apiVersion.length === 0) return 'has no apiVersion';
  if (typeof m.kind !== 'string' || m.kind.length === 0) return 'has no kind';
  if (m.metadata !== undefined && (typeof m.metadata !== 'object' || m.metadata === null || Array.isArray(m.metadata)))
    return 'has metadata that is not an object';
  const md = rec(m.metadata);
  for (const f of ['name', 'namespace'] as const)
    if (md[f] !== undefined && typeof md[f] !== 'string') return `has a metadata.${f} that is not a string`;
  for (const f of ['labels', 'annotations'] as const) {
    if (
      md[f] !== undefined &&
      (typeof md[f] !== 'object' ||
        md[f] === null ||
        Array.isArray(md[f]) ||
        Object.values(md[f] as Json).some((v) => typeof v !== 'string'))
    )
      return `has metadata.${f} that are not a string map`;
  }
  return undefined;
}
