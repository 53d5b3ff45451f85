/**
 * kube-prometheus-stack's release step: locking the dependency that Chart.yaml names by a range.
 *
 * At its tag the chart has no Chart.lock and names `prometheus-windows-exporter` as `0.12.*`. Upstream releases with
 * .github/workflows/release.yaml (helm/chart-releaser-action), whose `cr package` (helm/chart-releaser
 * pkg/packager/packager.go) runs Helm's `downloader.Manager.Build`, that is `helm dependency update` when there is no
 * Chart.lock: each range is locked to the newest matching chart of the repository's index and Chart.lock is written into
 * the released chart. This writes that Chart.lock: a range resolves to the newest `<name>-<x.y.z>` release tag of the same
 * repository merged before the tag being packaged (both are released from main), the digest is Helm's
 * (internal/resolver/resolver.go HashReq) and `generated` is the tagged commit's time.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { ReleaseContext } from '../source-types';

/** A Chart.yaml dependency, with Helm's fields in the order Helm serialises them (pkg/chart/v2/dependency.go). */
interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

/** The newest release of `name` matching a `X.*` / `X.Y.*` range among the tags merged before `tag`. */
function resolve(release: ReleaseContext, name: string, range: string): string {
  if (/^\d+\.\d+\.\d+$/.test(range)) return range;
  const prefix = /^(\d+(?:\.\d+)?)\.[*x]$/.exec(range)?.[1];
  if (prefix === undefined) throw new Error(`${name}: range ${range} is not a X.* / X.Y.* range`);
  const versions = release
    .git('tag', '-l', '--merged', release.tag, `${name}-${prefix}.*`)
    .split('\n')
    .map((t) => t.slice(name.length + 1))
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.startsWith(`${prefix}.`))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`${name}: no release tag matches ${range} before ${release.tag}`);
  return newest;
}

/** Helm's field order and `omitempty` for a dependency, as Go's json.Marshal writes it. */
function goJson(d: Dependency): Dependency {
  const out: Dependency = { name: d.name };
  if (d.version) out.version = d.version;
  out.repository = d.repository ?? '';
  if (d.condition) out.condition = d.condition;
  if (d.tags?.length) out.tags = d.tags;
  if (d.enabled) out.enabled = d.enabled;
  if (d['import-values']?.length) out['import-values'] = d['import-values'];
  if (d.alias) out.alias = d.alias;
  return out;
}

/** Writes the Chart.lock that `helm dependency update` writes at release. */
export function lockDependencies(chartDir: string, release: ReleaseContext): void {
  if (fs.existsSync(path.join(chartDir, 'Chart.lock'))) return;
  const req =
    (parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as { dependencies?: Dependency[] })
      .dependencies ?? [];
  const lock = req.map((d) => ({
    name: d.name,
    version: d.repository ? resolve(release, d.name, d.version ?? '') : (d.version ?? ''),
    repository: d.repository ?? '',
  }));
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        req.map(goJson),
        lock.map((l) => ({ name: l.name, version: l.version, repository: l.repository })),
      ]),
    )
    .digest('hex');
  const generated = new Date(release.git('log', '-1', '--format=%cI', release.tag)).toISOString().replace('.000Z', 'Z');
  const deps = lock
    .map(
      (l) => `- name: ${l.name}\n  repository: ${l.repository === '' ? '""' : l.repository}\n  version: ${l.version}\n`,
    )
    .join('');
  fs.writeFileSync(
    path.join(chartDir, 'Chart.lock'),
    `dependencies:\n${deps}digest: sha256:${digest}\ngenerated: "${generated}"\n`,
  );
}
