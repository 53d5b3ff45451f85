/**
 * Reads a rendering written by `npm run synth` (any revision's layout) back as objects keyed for
 * comparison: every Kubernetes object of its YAML files, and each other file (the kustomization,
 * `bootstrap/engine.env`, …) as one `File` pseudo-object, so a changed bootstrap input shows too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { asMap, asString, type DiffObject, type Json } from './model';
import { normalize } from './normalize';

/** The pseudo kind of a file of the rendering that holds no Kubernetes object. */
export const FILE_KIND = 'File';

/** The key of an object: section (bootstrap objects are applied by the scripts, not the engine), API group, kind, namespace, name. */
export function objectKey(o: DiffObject, bootstrap: boolean): string {
  if (o.kind === FILE_KIND && o.apiVersion === 'groundwork.io/file')
    return `file ${asString(asMap(o.metadata)?.name) ?? '?'}`;
  const slash = o.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  const meta = asMap(o.metadata);
  const ns = asString(meta?.namespace);
  const name = asString(meta?.name) ?? asString(meta?.generateName) ?? '?';
  return `${bootstrap ? 'bootstrap: ' : ''}${group === '' ? '' : `${group}/`}${o.kind} ${ns === undefined ? '' : `${ns}/`}${name}`;
}

function filesUnder(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));
}

const isKubeObject = (v: Json): v is DiffObject =>
  typeof asMap(v)?.apiVersion === 'string' &&
  typeof asMap(v)?.kind === 'string' &&
  asMap(v)?.apiVersion !== 'kustomize.config.k8s.io/v1beta1';

/** `KEY='value'` lines of a shell-sourced file as a map (single-quoted words unquoted). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq <= 0) continue;
    const raw = line.slice(eq + 1);
    out[line.slice(0, eq)] =
      raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1).split("'\\''").join("'") : raw;
  }
  return out;
}

function fileObject(rel: string, data: Json): DiffObject {
  return { apiVersion: 'groundwork.io/file', kind: FILE_KIND, metadata: { name: rel }, data };
}

/** The objects of one file of a rendering. */
function objectsOfFile(dir: string, rel: string): DiffObject[] {
  const text = fs.readFileSync(path.join(dir, rel), 'utf8');
  if (rel.endsWith('.env')) return [fileObject(rel, parseEnvFile(text))];
  if (!/\.ya?ml$/.test(rel)) return [fileObject(rel, text)];
  const docs = parseAllDocuments(text);
  const values = (Array.isArray(docs) ? docs : [docs]).map((d) => d.toJSON() as Json);
  const objects = values.filter(isKubeObject);
  if (objects.length > 0) return objects;
  return [fileObject(rel, values.length === 1 ? values[0] : values)];
}

/** Every object of the rendering in `dir`, normalized (see normalize.ts), by key. */
export function readRendering(dir: string): Map<string, DiffObject> {
  const out = new Map<string, DiffObject>();
  if (!fs.existsSync(dir)) return out;
  for (const rel of filesUnder(dir)) {
    const bootstrap = rel.startsWith('addons-bootstrap') || rel.startsWith('bootstrap/');
    for (const o of objectsOfFile(dir, rel)) {
      const key = objectKey(o, bootstrap);
      let unique = key;
      for (let n = 2; out.has(unique); n++) unique = `${key} #${n}`;
      out.set(unique, normalize(o));
    }
  }
  return out;
}
