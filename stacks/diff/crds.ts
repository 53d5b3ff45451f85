/**
 * The vendored CRDs of a chart pin (`stacks/apiserver/crds/<chart or add-on>-<version>.yaml.gz`),
 * read as CRD name -> canonical schema text, so a pin change can name the CRDs it changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parseAllDocuments } from 'yaml';
// the catalog file alone: the constructs barrel would cost the CLI a second of start-up
import { CATALOG } from '../../constructs/addons/catalog';
import { asList, asMap, asString, at, canonical, type Json } from './model';
import type { CrdLookup } from './pins';

/** CRD name -> its versions' names and schemas as canonical text, from one multi-document YAML. */
export function crdSchemas(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const docs = parseAllDocuments(text);
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const o = doc.toJSON() as Json;
    const name = asString(at(o, 'metadata', 'name'));
    if (asString(at(o, 'kind')) !== 'CustomResourceDefinition' || name === undefined) continue;
    out.set(
      name,
      canonical(
        asList(at(o, 'spec', 'versions')).map((v) => ({
          name: asMap(v)?.name ?? null,
          schema: asMap(v)?.schema ?? null,
        })),
      ),
    );
  }
  return out;
}

/** The file prefixes a chart's CRDs may be vendored under: the chart's name and the add-ons installing it. */
function prefixes(chart: string): string[] {
  return [chart, ...Object.entries(CATALOG).flatMap(([id, ref]) => (ref.chart === chart ? [id] : []))];
}

/** A lookup over the CRD directories `dirs` (the working tree's first, then the base's); each file is read once. */
export function vendoredCrds(dirs: readonly string[]): CrdLookup {
  const cache = new Map<string, Map<string, string> | undefined>();
  return (chart, version) => {
    const key = `${chart}@${version}`;
    if (!cache.has(key)) {
      const file = dirs
        .flatMap((d) => prefixes(chart).map((p) => path.join(d, `${p}-${version}.yaml.gz`)))
        .find((f) => fs.existsSync(f));
      cache.set(key, file === undefined ? undefined : crdSchemas(gunzipSync(fs.readFileSync(file)).toString('utf8')));
    }
    return cache.get(key);
  };
}
