/**
 * Noise removed before objects are compared and shown: key order (keys sorted), fields set to the
 * value the API server defaults them to, empty label and annotation maps; Secret values replaced
 * by a short digest (a change still shows, the value never does).
 */
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { asMap, type DiffObject, type Json, sortKeys } from './model';

/** A field the API server defaults: removed when it holds `value` in a map `where` accepts. */
interface DefaultedField {
  readonly key: string;
  readonly value: Json;
  readonly where: (map: Readonly<Record<string, Json>>, kind: string) => boolean;
}

const has = (m: Readonly<Record<string, Json>>, k: string): boolean => Object.prototype.hasOwnProperty.call(m, k);
const podSpec = (m: Readonly<Record<string, Json>>): boolean => Array.isArray(m.containers);
const container = (m: Readonly<Record<string, Json>>): boolean => typeof m.image === 'string';

/** The defaulted fields left out of comparisons. */
const DEFAULTED: readonly DefaultedField[] = [
  { key: 'protocol', value: 'TCP', where: (m) => has(m, 'port') || has(m, 'containerPort') },
  { key: 'restartPolicy', value: 'Always', where: podSpec },
  { key: 'dnsPolicy', value: 'ClusterFirst', where: podSpec },
  { key: 'schedulerName', value: 'default-scheduler', where: podSpec },
  { key: 'terminationGracePeriodSeconds', value: 30, where: podSpec },
  { key: 'terminationMessagePath', value: '/dev/termination-log', where: container },
  { key: 'terminationMessagePolicy', value: 'File', where: container },
  { key: 'revisionHistoryLimit', value: 10, where: (m, kind) => kind === 'Deployment' && has(m, 'template') },
  { key: 'progressDeadlineSeconds', value: 600, where: (m, kind) => kind === 'Deployment' && has(m, 'template') },
  { key: 'sessionAffinity', value: 'None', where: (m, kind) => kind === 'Service' && has(m, 'ports') },
  { key: 'type', value: 'ClusterIP', where: (m, kind) => kind === 'Service' && has(m, 'ports') },
];

function isEmptyMap(v: Json): boolean {
  const m = asMap(v);
  return m !== undefined && Object.keys(m).length === 0;
}

function strip(value: Json, kind: string, parent: string): Json {
  if (Array.isArray(value)) return (value as readonly Json[]).map((v) => strip(v, kind, parent));
  const map = asMap(value);
  if (map === undefined) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(map)) {
    if (DEFAULTED.some((d) => d.key === k && d.value === v && d.where(map, kind))) continue;
    if (parent === 'metadata' && (k === 'labels' || k === 'annotations') && isEmptyMap(v)) continue;
    if (parent === 'metadata' && k === 'creationTimestamp' && v === null) continue;
    out[k] = strip(v, kind, k);
  }
  return out;
}

/** `value` as `<redacted sha256:12 hex>`: equal values give equal digests. */
export function redact(value: Json): string {
  return `<redacted sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12)}>`;
}

function redactSecret(o: Record<string, Json>): void {
  for (const field of ['data', 'stringData']) {
    const m = asMap(o[field]);
    if (m !== undefined) o[field] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, redact(v)]));
  }
}

/** `o` without noise, keys sorted, Secret values redacted. */
export function normalize(o: DiffObject): DiffObject {
  const out = sortKeys(strip(o, o.kind, '')) as Record<string, Json>;
  if (o.kind === 'Secret') redactSecret(out);
  return out as DiffObject;
}

/** A normalized object as YAML lines (keys sorted, no line folding). */
export function yamlLines(o: DiffObject | undefined): string[] {
  if (o === undefined) return [];
  return stringify(o, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '').split('\n');
}
