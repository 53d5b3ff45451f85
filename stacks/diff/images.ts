/**
 * Images changed: a container image (`image: <ref>`) or a chart's image values
 * (`image: {registry, repository, tag, digest}`) that differs between the two renderings of an
 * object, or appears in it (new objects are reported as added, not here).
 */
import { asMap, finding, type Finding, type Json, type ObjectChange } from './model';

const IMAGE_PARTS = ['registry', 'repository', 'name', 'tag', 'digest'] as const;

/** A list element's step in a path: its `name` when it has one (stable under reordering), else its index. */
function step(item: Json, i: number): string {
  const name = asMap(item)?.name;
  return typeof name === 'string' ? `[${name}]` : `[${i}]`;
}

/** An `image:` map of chart values as one reference (`registry/repository:tag@digest`), when it has any part. */
function imageMapRef(m: Readonly<Record<string, Json>>): string | undefined {
  const part = (k: (typeof IMAGE_PARTS)[number]): string | undefined =>
    typeof m[k] === 'string' || typeof m[k] === 'number' ? String(m[k]) : undefined;
  if (IMAGE_PARTS.every((k) => part(k) === undefined)) return undefined;
  const repo = [part('registry'), part('repository') ?? part('name')].filter((s) => s !== undefined).join('/');
  return `${repo}${part('tag') !== undefined ? `:${part('tag')}` : ''}${part('digest') !== undefined ? `@${part('digest')}` : ''}`;
}

/** Every image reference in `value`, by path (`spec.template.spec.containers[api].image`). */
export function imagesOf(
  value: Json | undefined,
  path = '',
  out: Map<string, string> = new Map(),
): Map<string, string> {
  if (Array.isArray(value)) {
    (value as readonly Json[]).forEach((item, i) => imagesOf(item, `${path}${step(item, i)}`, out));
    return out;
  }
  const map = asMap(value ?? null);
  if (map === undefined) return out;
  for (const [k, v] of Object.entries(map)) {
    const here = path === '' ? k : `${path}.${k}`;
    if (k === 'image' && typeof v === 'string') out.set(here, v);
    else if (k === 'image' && asMap(v) !== undefined) {
      const ref = imageMapRef(asMap(v) ?? {});
      if (ref !== undefined) out.set(here, ref);
      imagesOf(v, here, out);
    } else imagesOf(v, here, out);
  }
  return out;
}

/** The image risk family. */
export function imageRisks(change: ObjectChange): readonly Finding[] {
  if (change.before === undefined || change.after === undefined) return [];
  const before = imagesOf(change.before);
  const out: Finding[] = [];
  for (const [path, ref] of imagesOf(change.after)) {
    const was = before.get(path);
    if (was === ref) continue;
    out.push(finding('image', change, was === undefined ? `${path}: new image ${ref}` : `${path}: ${was} -> ${ref}`));
  }
  return out;
}
