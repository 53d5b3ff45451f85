/**
 * Secret references changed: what an object reads from Secrets or a secret store (`secretKeyRef`,
 * `secretRef`, `secretName`, `existingSecret`, `imagePullSecrets`, an ExternalSecret's
 * `remoteRef`, `dataFrom`, `secretStoreRef` and target), and a Secret's own keys. Values are never
 * printed: only where they are read from.
 */
import { asMap, canonical, finding, type Finding, type Json, kindOf, type ObjectChange } from './model';

/** Keys whose value names a Secret or a secret-store entry. */
const REFERENCE_KEYS = new Set([
  'secretKeyRef',
  'secretRef',
  'secretName',
  'existingSecret',
  'imagePullSecrets',
  'remoteRef',
  'dataFrom',
  'secretStoreRef',
]);

function step(item: Json, i: number): string {
  const m = asMap(item);
  const name = m?.secretKey ?? m?.name;
  return typeof name === 'string' ? `[${name}]` : `[${i}]`;
}

/** Every secret reference in `value`, by path, as canonical text. */
export function secretRefsOf(
  value: Json | undefined,
  path = '',
  out: Map<string, string> = new Map(),
): Map<string, string> {
  if (Array.isArray(value)) {
    (value as readonly Json[]).forEach((item, i) => secretRefsOf(item, `${path}${step(item, i)}`, out));
    return out;
  }
  for (const [k, v] of Object.entries(asMap(value ?? null) ?? {})) {
    const here = path === '' ? k : `${path}.${k}`;
    if (REFERENCE_KEYS.has(k)) out.set(here, canonical(v));
    else secretRefsOf(v, here, out);
  }
  return out;
}

/** The keys of a Secret (`data` and `stringData`), values left out. */
function secretKeys(o: Json | undefined): string {
  const m = asMap(o);
  return [...Object.keys(asMap(m?.data) ?? {}), ...Object.keys(asMap(m?.stringData) ?? {})].sort().join(', ');
}

/** The secrets risk family (changed objects; a Secret whose keys or values changed counts). */
export function secretRisks(change: ObjectChange): readonly Finding[] {
  const { before, after } = change;
  if (before === undefined || after === undefined) return [];
  const out: Finding[] = [];
  if (kindOf(change) === 'Secret') {
    const m = (o: Json): Json => ({ data: asMap(o)?.data ?? null, stringData: asMap(o)?.stringData ?? null });
    const keys = secretKeys(after);
    if (canonical(m(before)) !== canonical(m(after)))
      out.push(finding('secrets', change, `Secret contents changed (keys now: ${keys === '' ? 'none' : keys})`));
  }
  const old = secretRefsOf(before);
  const now = secretRefsOf(after);
  for (const [path, ref] of now) {
    const was = old.get(path);
    if (was !== ref)
      out.push(
        finding('secrets', change, was === undefined ? `${path}: new reference ${ref}` : `${path}: ${was} -> ${ref}`),
      );
  }
  for (const [path, was] of old)
    if (!now.has(path)) out.push(finding('secrets', change, `${path}: reference ${was} removed`));
  return out;
}
