/**
 * `npm run catalog -- outdated [--json]`: for every chart in the catalog, reads its repository (a
 * Helm repository's `index.yaml`, or an OCI registry's tag list) and prints the pin next to the
 * newest patch of its line, the newest minor of its major and the newest release. Needs network
 * access to the chart repositories; exits 1 when a repository could not be read.
 */
import { parse } from 'yaml';
import { CATALOG, type ChartRef } from '../constructs';
import { runCli, type ParsedArgs, UsageError } from './cli';

/** A release version: `1.2.3` or `v1.2.3` (pre-releases and build metadata are not releases). */
interface Version {
  readonly text: string;
  readonly parts: readonly [number, number, number];
}

/** Parses a release version; undefined for pre-releases and anything else. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? { text, parts: [Number(m[1]), Number(m[2]), Number(m[3])] } : undefined;
}

function compare(a: Version, b: Version): number {
  return a.parts[0] - b.parts[0] || a.parts[1] - b.parts[1] || a.parts[2] - b.parts[2];
}

/** Newest versions relative to a pin. */
export interface Newest {
  /** Newest release with the pin's major and minor. */
  readonly patch?: string;
  /** Newest release with the pin's major. */
  readonly minor?: string;
  /** Newest release. */
  readonly latest?: string;
}

/** The newest patch, minor and release among `available` for `pin` (pre-releases ignored). */
export function newestFor(pin: string, available: readonly string[]): Newest {
  const current = parseVersion(pin);
  const releases = available
    .map(parseVersion)
    .filter((v): v is Version => v !== undefined)
    .sort(compare);
  const newest = (keep: (v: Version) => boolean): string | undefined => releases.filter(keep).pop()?.text;
  if (current === undefined) return { latest: newest(() => true) };
  return {
    patch: newest((v) => v.parts[0] === current.parts[0] && v.parts[1] === current.parts[1]),
    minor: newest((v) => v.parts[0] === current.parts[0]),
    latest: newest(() => true),
  };
}

/** The fetch this module uses (global `fetch`; tests pass the same against a loopback server). */
export type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

/** Registry hosts whose API lives elsewhere (Docker Hub's `docker.io` is served by `registry-1.docker.io`). */
const REGISTRY_API_HOSTS: Readonly<Record<string, string>> = { 'docker.io': 'registry-1.docker.io' };

function isLoopback(host: string): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);
}

function ok(response: Response, what: string): Response {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  return response;
}

/** The chart versions a Helm repository's `index.yaml` lists for `chart`. */
async function helmRepositoryVersions(ref: ChartRef, fetchFn: Fetch): Promise<string[]> {
  const url = `${ref.repository.replace(/\/+$/, '')}/index.yaml`;
  const index = parse(await ok(await fetchFn(url), url).text()) as {
    entries?: Record<string, { version?: unknown }[]>;
  } | null;
  const entries = index?.entries?.[ref.chart];
  if (!Array.isArray(entries)) throw new Error(`${url}: no chart named ${ref.chart}`);
  return entries.map((e) => String(e.version));
}

/**
 * Tags of an OCI chart (`/v2/<name>/tags/list`, following `Link` pages). A registry answering 401
 * with a `Bearer` challenge gets the anonymous token flow of the distribution spec (token from
 * the realm, for the challenge's service and scope). Loopback registries are spoken to over HTTP.
 */
async function ociTags(ref: ChartRef, fetchFn: Fetch): Promise<string[]> {
  const location = ref.repository.slice('oci://'.length).replace(/\/+$/, '');
  const host = location.split('/')[0];
  const name = `${location.slice(host.length + 1)}/${ref.chart}`.replace(/^\//, '');
  const base = `${isLoopback(host) ? 'http' : 'https'}://${REGISTRY_API_HOSTS[host] ?? host}`;
  let headers: Record<string, string> = {};
  let url: string | undefined = `${base}/v2/${name}/tags/list`;
  const tags: string[] = [];
  while (url !== undefined) {
    let response = await fetchFn(url, { headers });
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && challenge?.startsWith('Bearer ')) {
      const params = Object.fromEntries(
        [...challenge.slice('Bearer '.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      const tokenUrl = new URL(params.realm);
      if (params.service) tokenUrl.searchParams.set('service', params.service);
      tokenUrl.searchParams.set('scope', params.scope ?? `repository:${name}:pull`);
      const body = (await ok(await fetchFn(tokenUrl.toString()), tokenUrl.toString()).json()) as {
        token?: string;
        access_token?: string;
      };
      headers = { authorization: `Bearer ${body.token ?? body.access_token ?? ''}` };
      response = await fetchFn(url, { headers });
    }
    ok(response, url);
    tags.push(...(((await response.json()) as { tags?: string[] | null }).tags ?? []));
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    url = next === undefined ? undefined : new URL(next, base).toString();
  }
  return tags;
}

/** Every version the chart's repository offers. */
export function availableVersions(ref: ChartRef, fetchFn: Fetch = fetch): Promise<string[]> {
  return ref.repository.startsWith('oci://') ? ociTags(ref, fetchFn) : helmRepositoryVersions(ref, fetchFn);
}

/** One catalog entry's freshness. */
export interface Freshness extends Newest {
  readonly id: string;
  readonly chart: string;
  readonly pin: string;
  /** Why the repository could not be read. */
  readonly error?: string;
}

/** Reads every entry's repository (four at a time) and compares its pin. */
export async function outdated(
  catalog: Readonly<Record<string, ChartRef>>,
  fetchFn: Fetch = fetch,
): Promise<Freshness[]> {
  const ids = Object.keys(catalog);
  const rows: Freshness[] = new Array<Freshness>(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ids.length; i = next++) {
      const ref = catalog[ids[i]];
      try {
        rows[i] = {
          id: ids[i],
          chart: ref.chart,
          pin: ref.version,
          ...newestFor(ref.version, await availableVersions(ref, fetchFn)),
        };
      } catch (e) {
        rows[i] = { id: ids[i], chart: ref.chart, pin: ref.version, error: e instanceof Error ? e.message : String(e) };
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return rows;
}

/** What a row says: up to date, a patch/minor/major behind, or unreadable. */
export function statusOf(row: Freshness): string {
  if (row.error !== undefined) return `unreadable: ${row.error}`;
  if (row.patch !== undefined && row.patch !== row.pin) return 'patch behind';
  if (row.minor !== undefined && row.minor !== row.pin && row.minor !== row.patch) return 'minor behind';
  if (row.latest !== undefined && row.latest !== row.pin && row.latest !== row.minor) return 'major behind';
  return 'current';
}

/** A Markdown table of the rows. */
export function formatFreshness(rows: readonly Freshness[]): string {
  const lines = [
    '| add-on | chart | pin | newest patch | newest minor | newest | status |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.id} | ${r.chart} | ${r.pin} | ${r.patch ?? '-'} | ${r.minor ?? '-'} | ${r.latest ?? '-'} | ${statusOf(r)} |`,
    );
  return lines.join('\n');
}

/** The catalog command's flags and usage. */
export const CATALOG_COMMAND = { usage: 'usage: catalog outdated [--json]', switches: ['json'] } as const;

/** `catalog outdated`: how far each chart pin is behind its repository. */
export async function catalogMain(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1 || args.positionals[0] !== 'outdated')
    throw new UsageError('the one command is "outdated"');
  // progress on stderr: stdout stays the table or the JSON
  console.error(`catalog: asking the chart repositories for ${Object.keys(CATALOG).length} pins`);
  const rows = await outdated(CATALOG);
  console.log(args.switches.has('json') ? JSON.stringify(rows, null, 2) : formatFreshness(rows));
  return rows.some((r) => r.error !== undefined) ? 1 : 0;
}

runCli(module, { ...CATALOG_COMMAND, usage: 'usage: npm run catalog -- outdated [--json]' }, catalogMain);
