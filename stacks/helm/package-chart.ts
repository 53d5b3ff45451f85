/**
 * Builds a vendored chart archive from the chart's source at the catalog pin (no chart repository
 * is reachable here): `git archive` of the chart's folder at its tag, without docs, tests and CI
 * values, its dependencies packaged the same way into `charts/`, then `helm package` (the real
 * Helm, stacks/helm/build-helm.sh). The sources are checkouts named `<owner>+<name>/repo` or
 * `<owner>/<name>` under `CHART_SOURCES_DIR`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { type AddonId, CATALOG } from '../../constructs';
import { CHART_SOURCES, type ChartSource, unavailableReason } from './chart-sources';

export const CHARTS_DIR = path.resolve(__dirname, 'charts');
const ROOT = path.resolve(__dirname, '../..');

/** The real helm binary, built once from its Go module. */
export function helmBinary(): string {
  return execFileSync('bash', [path.join(ROOT, 'stacks/helm/build-helm.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** The vendored archive of a catalog chart. */
export function archiveFor(id: AddonId): string {
  const { chart, version } = CATALOG[id];
  return path.join(CHARTS_DIR, `${chart}-${version}.tgz`);
}

function gitDir(repo: string): string {
  const base = process.env.CHART_SOURCES_DIR;
  if (base === undefined) throw new Error("set CHART_SOURCES_DIR to the folder holding the charts' source checkouts");
  const candidates = [path.join(base, repo.replace('/', '+'), 'repo'), path.join(base, repo)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (found === undefined) throw new Error(`no checkout of ${repo} (looked in ${candidates.join(', ')})`);
  return found;
}

/** Extracts `folder` of `repo` at `tag` into `into`; returns the extracted folder. */
function extract(repo: string, tag: string, folder: string, into: string): string {
  const tar = execFileSync('git', ['-C', gitDir(repo), 'archive', tag, folder], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', into], { input: tar });
  const dir = path.join(into, folder);
  // keep what renders: drop docs anywhere, and the chart's own unit tests and CI values (folders beside
  // templates/; templates/tests holds `helm test` hooks, which are part of the chart)
  execFileSync('find', [
    dir,
    '(',
    '-name',
    'README*',
    '-o',
    '-name',
    'CHANGELOG*',
    '-o',
    '-name',
    '*.md',
    '-o',
    '-name',
    '*.md.gotmpl',
    ')',
    '-exec',
    'rm',
    '-rf',
    '{}',
    '+',
  ]);
  for (const own of ['tests', 'unittests', 'ci']) fs.rmSync(path.join(dir, own), { recursive: true, force: true });
  return dir;
}

/** Sets the modification time of every file under `dir` to `seconds` (since the epoch). */
function touchAll(dir: string, seconds: number): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) touchAll(f, seconds);
    else fs.utimesSync(f, seconds, seconds);
  }
}

interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly repository?: string;
}

function readYaml<T>(file: string): T | undefined {
  return fs.existsSync(file) ? (parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
}

/** Packages `source` at `version` into `dest`; returns the archive's path. */
function packageSource(
  helm: string,
  source: Omit<ChartSource, 'dependencies'> & Pick<ChartSource, 'dependencies'>,
  version: string,
  repoPath: string,
  dest: string,
  work: string,
): string {
  const tag = source.tag.replace('{version}', version);
  const dir = extract(source.repo, tag, repoPath, fs.mkdtempSync(path.join(work, 'src-')));
  source.prepare?.(dir, {
    version,
    tag,
    extract: (folder) => extract(source.repo, tag, folder, fs.mkdtempSync(path.join(work, 'src-'))),
    git: (...args) => execFileSync('git', ['-C', gitDir(source.repo), ...args], { encoding: 'utf8' }).trim(),
  });
  const meta = readYaml<{ name: string; dependencies?: Dependency[] }>(path.join(dir, 'Chart.yaml'));
  const locked = readYaml<{ dependencies?: Dependency[] }>(path.join(dir, 'Chart.lock'))?.dependencies ?? [];
  for (const dep of meta?.dependencies ?? []) {
    const charts = path.join(dir, 'charts');
    fs.mkdirSync(charts, { recursive: true });
    if (dep.repository === undefined || dep.repository === '' || dep.repository.startsWith('file://')) {
      const local = path.posix.normalize(
        path.posix.join(repoPath, (dep.repository ?? `file://charts/${dep.name}`).slice('file://'.length)),
      );
      if (fs.existsSync(path.join(charts, path.basename(local)))) continue;
      packageSource(helm, { repo: source.repo, tag, path: local }, version, local, charts, work);
      continue;
    }
    const depSource = source.dependencies?.[dep.name];
    if (depSource === undefined)
      throw new Error(`${meta?.name}: dependency "${dep.name}" (${dep.repository}) has no source in chart-sources.ts`);
    const depVersion = depSource.version ?? locked.find((l) => l.name === dep.name)?.version ?? dep.version;
    if (!/^v?\d+\.\d+\.\d+$/.test(depVersion))
      throw new Error(`${meta?.name}: dependency "${dep.name}" is not locked to one version (${depVersion})`);
    packageSource(helm, depSource, depVersion, depSource.path, charts, work);
  }
  // `helm package` records each file's modification time: files a release step wrote and the
  // dependency archives packaged above get the tag's commit time, as `git archive` gives the rest,
  // so a rebuild does not change a file's recorded time (Helm still writes several subcharts in the
  // order its loader's map gives them, so bytes can differ while the files are the same)
  touchAll(
    dir,
    Number(
      execFileSync('git', ['-C', gitDir(source.repo), 'log', '-1', '--format=%ct', tag], { encoding: 'utf8' }).trim(),
    ),
  );
  const args = ['package', dir, '--destination', dest];
  if (source.releaseVersion === true) args.push('--version', version, '--app-version', version);
  const out = execFileSync(helm, args, { encoding: 'utf8' });
  const archive = /saved it to: (.+\.tgz)/.exec(out)?.[1];
  if (archive === undefined) throw new Error(`helm package printed no archive: ${out}`);
  return archive.trim();
}

/** Builds the vendored archive of add-on `id` from its source; returns its path. */
export function packageChart(id: AddonId): string {
  const why = unavailableReason(id);
  if (why !== undefined) throw new Error(`${id}: ${why}`);
  const source = CHART_SOURCES[id] as ChartSource | undefined;
  if (source === undefined) throw new Error(`${id}: no source in stacks/helm/chart-sources.ts`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-package-'));
  try {
    const archive = packageSource(helmBinary(), source, CATALOG[id].version, source.path, work, work);
    const want = archiveFor(id);
    if (path.basename(archive) !== path.basename(want))
      throw new Error(`${id}: packaged ${path.basename(archive)}, the catalog pins ${path.basename(want)}`);
    fs.copyFileSync(archive, want);
    return want;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
