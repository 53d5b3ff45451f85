/**
 * Real Helm over the vendored charts, for one environment: every enabled add-on's chart rendered by
 * `helm template` with exactly the values the project emits, after checking that the GitOps engine's
 * object (Argo CD Application `valuesObject`, Flux HelmRelease `values`, or the engine's own
 * install) and the Pulumi release carry those same values; the values paths the chart does not
 * declare; and the hardening checks over what the chart renders.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';
import {
  type AddonDeclaration,
  type AddonId,
  checkManifests,
  type EnvironmentRendering,
  type ManifestObject,
} from '../../constructs';
import { releaseArgs } from '../../constructs/pulumi';
import { binaries } from '../apiserver/cluster';
import type { KubeObjectJson } from '../apiserver/kube-client';
import { type ChartFiles, readChartArchive } from './chart-files';
import { archiveFor } from './package-chart';
import { VALUES_ALLOWLIST } from './values-allowlist';
import { undeclaredValuesKeys, type ValuesKey } from './values-keys';

/** The Kubernetes version the charts are rendered for: the one the test API server is built at (its binaries' folder names it). */
export function kubeVersion(): string {
  if (kube === undefined) {
    const dir = binaries();
    kube = /^kube-([\d.]+)-etcd-/.exec(path.basename(dir))?.[1];
    if (kube === undefined) throw new Error(`cannot read the Kubernetes version from ${dir}`);
  }
  return kube;
}
let kube: string | undefined;

/** One add-on's chart rendered for one environment. */
export interface ChartRender {
  /** The add-on. */
  readonly id: AddonId;
  /** Its declaration (chart, release name, namespace, values). */
  readonly declaration: AddonDeclaration;
  /** Helm's error when the render failed. */
  readonly error?: string;
  /** What Helm rendered (CRDs included); none when it failed. */
  readonly objects: readonly KubeObjectJson[];
  /** Values paths neither the chart nor the allow-list accounts for. */
  readonly unknownKeys: readonly string[];
  /** Paths the chart's values.yaml does not declare that a template reads or passes on whole (allowed, printed with the template). */
  readonly readByTemplate: readonly ValuesKey[];
  /** Allow-list entries for paths the chart now declares (to remove). */
  readonly staleAllowed: readonly string[];
  /** Where the emitted values differ from the declaration's (engine object or Pulumi release). */
  readonly valuesMismatch: readonly string[];
  /** checkManifests findings over the chart's own output, by rule. */
  readonly findings: ReadonlyMap<string, number>;
}

/** The values each rendering carries for each add-on: the GitOps engine's objects and the Pulumi release. */
export function carriedValues(r: EnvironmentRendering): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  const put = (id: string, carrier: string, values: unknown): void => {
    out.set(id, (out.get(id) ?? new Map<string, unknown>()).set(carrier, values));
  };
  for (const o of r.gitops.files.flatMap((f) => f.objects) as (ManifestObject & { spec?: Record<string, unknown> })[]) {
    const name = String(o.metadata?.name);
    const source = o.spec?.source as { chart?: string; helm?: { valuesObject?: unknown } } | undefined;
    if (o.kind === 'Application' && source?.chart !== undefined)
      put(name, 'Argo CD Application valuesObject', source.helm?.valuesObject);
    if (o.kind === 'HelmRelease') put(name, 'Flux HelmRelease values', o.spec?.values);
  }
  const engine = r.addons.declarations.find((d) => d.chart === r.gitops.engine.chart);
  if (engine !== undefined) put(engine.id, 'GitOps engine install values', r.gitops.engine.values);
  for (const d of r.addons.declarations) put(d.id, 'Pulumi helm.v3.Release values', releaseArgs(d).values);
  return out;
}

/** For each add-on, the carriers whose values are not exactly the add-on's (none: every carrier agrees). */
export function valuesMismatches(r: EnvironmentRendering): Map<string, string[]> {
  const carried = carriedValues(r);
  return new Map(
    r.addons.declarations.map((d) => [
      d.id,
      [...(carried.get(d.id) ?? new Map<string, unknown>())]
        .filter(([, v]) => !isDeepStrictEqual(v, d.values))
        .map(([carrier]) => carrier),
    ]),
  );
}

/** `helm template` of `d`'s vendored chart with `values` (CRDs included, as an install applies them). */
export function helmTemplate(
  helm: string,
  d: AddonDeclaration,
  values: unknown = d.values,
): { objects: KubeObjectJson[]; error?: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  try {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const args = [
      'template',
      d.releaseName,
      archiveFor(d.id),
      '--namespace',
      d.namespace,
      '--values',
      file,
      '--include-crds',
      '--kube-version',
      kubeVersion(),
    ];
    const r = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0)
      return { objects: [], error: r.stderr.trim().length > 0 ? r.stderr.trim() : `helm exited ${String(r.status)}` };
    const objects = parseAllDocuments(r.stdout)
      .map((doc) => doc.toJS() as KubeObjectJson | null)
      .filter((o): o is KubeObjectJson => o !== null && typeof o === 'object');
    return { objects };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const read = new Map<string, ChartFiles>();
/** An archive's charts, read (extracted and parsed) once per process: every environment enabling the chart reads the same archive. */
function chartFiles(archive: string): ChartFiles {
  let files = read.get(archive);
  if (files === undefined) read.set(archive, (files = readChartArchive(archive)));
  return files;
}

/** Whether `d`'s chart is vendored. */
export const isVendored = (d: AddonDeclaration): boolean => fs.existsSync(archiveFor(d.id));

/** Renders and checks every vendored chart the rendering enables (`allowlist`: the undeclared paths accounted for). */
export function renderCharts(
  helm: string,
  r: EnvironmentRendering,
  allowlist: typeof VALUES_ALLOWLIST = VALUES_ALLOWLIST,
): ChartRender[] {
  const mismatches = valuesMismatches(r);
  return r.addons.declarations.map((d) => {
    const valuesMismatch = mismatches.get(d.id) ?? [];
    const { objects, error } = helmTemplate(helm, d);
    const undeclared = undeclaredValuesKeys(chartFiles(archiveFor(d.id)), d.values);
    const allowed = allowlist[d.id] ?? {};
    const unknownKeys = undeclared
      .filter((k) => k.readBy === undefined && allowed[k.path] === undefined)
      .map((k) => k.path);
    const staleAllowed = Object.keys(allowed).filter(
      (p) => !undeclared.some((k) => k.path === p && k.readBy === undefined),
    );
    const findings = new Map<string, number>();
    for (const v of checkManifests(objects)) findings.set(v.rule, (findings.get(v.rule) ?? 0) + 1);
    return {
      id: d.id,
      declaration: d,
      error,
      objects,
      unknownKeys,
      readByTemplate: undeclared.filter((k) => k.readBy !== undefined),
      staleAllowed,
      valuesMismatch,
      findings,
    };
  });
}
