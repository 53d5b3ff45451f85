/**
 * Chart pins changed: the version (or Git revision) a GitOps object installs, read from Argo CD
 * Applications (`spec.source`, `spec.sources[]`), Flux HelmReleases (`spec.chart.spec`), Flux
 * sources (`spec.ref`) and the engine's own chart (`bootstrap/engine.env`). With the vendored CRDs
 * of both pins at hand, each pin change names the CRDs whose schema changed between them.
 */
import { asList, asMap, asString, at, finding, type Finding, type Json, type ObjectChange } from './model';

/** One pinned source: what it names and the version it pins. */
export interface Pin {
  /** The chart (or Git path) and its repository. */
  readonly name: string;
  readonly repository: string;
  readonly version: string;
}

/** The CRD schemas of `chart` at `version` by CRD name (canonical text), when vendored. */
export type CrdLookup = (chart: string, version: string) => ReadonlyMap<string, string> | undefined;

function argoPin(source: Json): Pin | undefined {
  const version = asString(at(source, 'targetRevision'));
  const name = asString(at(source, 'chart')) ?? asString(at(source, 'path'));
  if (version === undefined || name === undefined) return undefined;
  return { name, repository: asString(at(source, 'repoURL')) ?? '', version };
}

/** The pins an object carries, by name. */
export function pinsOf(o: Json | undefined): Map<string, Pin> {
  const pins: Pin[] = [];
  const kind = asString(at(o, 'kind'));
  if (kind === 'Application') {
    for (const s of [at(o, 'spec', 'source'), ...asList(at(o, 'spec', 'sources'))]) {
      const p = s === undefined ? undefined : argoPin(s);
      if (p !== undefined) pins.push(p);
    }
  } else if (kind === 'HelmRelease') {
    const spec = at(o, 'spec', 'chart', 'spec');
    const name = asString(at(spec, 'chart'));
    if (name !== undefined)
      pins.push({
        name,
        repository: asString(at(spec, 'sourceRef', 'name')) ?? '',
        version: asString(at(spec, 'version')) ?? '*',
      });
  } else if (kind === 'HelmRepository' || kind === 'OCIRepository' || kind === 'GitRepository') {
    const ref = asMap(at(o, 'spec', 'ref'));
    const version = ref === undefined ? undefined : Object.values(ref).find((v): v is string => typeof v === 'string');
    if (version !== undefined)
      pins.push({
        name: asString(at(o, 'metadata', 'name')) ?? '?',
        repository: asString(at(o, 'spec', 'url')) ?? '',
        version,
      });
  } else if (kind === 'File' && asString(at(o, 'metadata', 'name')) === 'bootstrap/engine.env') {
    const name = asString(at(o, 'data', 'ENGINE_CHART'));
    const version = asString(at(o, 'data', 'ENGINE_CHART_VERSION'));
    if (name !== undefined && version !== undefined)
      pins.push({ name, repository: asString(at(o, 'data', 'ENGINE_CHART_REPO')) ?? '', version });
  }
  return new Map(pins.map((p) => [p.name, p]));
}

/** The CRDs whose schema differs between two vendored pins (added and removed ones too). */
export function crdChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [name, schema] of after) {
    const old = before.get(name);
    if (old === undefined) out.push(`${name} (new)`);
    else if (old !== schema) out.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) out.push(`${name} (dropped)`);
  return out.sort();
}

function crdNote(lookup: CrdLookup | undefined, before: Pin, after: Pin): string {
  const old = lookup?.(before.name, before.version);
  const now = lookup?.(after.name, after.version);
  if (old === undefined || now === undefined) return '';
  const changed = crdChanges(old, now);
  return changed.length === 0 ? '; CRD schemas unchanged' : `; CRD schemas changed: ${changed.join(', ')}`;
}

/** The pin risk family, reading vendored CRDs through `lookup` when given. */
export function pinRisksWith(lookup?: CrdLookup): (change: ObjectChange) => readonly Finding[] {
  return (change) => {
    if (change.before === undefined || change.after === undefined) return [];
    const before = pinsOf(change.before);
    const out: Finding[] = [];
    for (const [name, now] of pinsOf(change.after)) {
      const was = before.get(name);
      if (was === undefined || (was.version === now.version && was.repository === now.repository)) continue;
      const repo = was.repository === now.repository ? '' : ` (repository ${was.repository} -> ${now.repository})`;
      out.push(finding('pin', change, `${name} ${was.version} -> ${now.version}${repo}${crdNote(lookup, was, now)}`));
    }
    return out;
  };
}
