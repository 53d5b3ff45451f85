/**
 * Real Helm over the vendored chart archives: each renders with exactly the values the project
 * emits, and what it renders is admitted by the real API server in the add-on's namespace under
 * that namespace's Pod Security level. Helm is built from helm.sh/helm/v4 (stacks/helm/build-helm.sh);
 * the archives are packaged from each chart's source at its pin (stacks/helm/package-chart.sh).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { type AddonDeclaration, CATALOG } from '../../constructs';
import { dryRunPodFor } from '../../stacks/apiserver/check';
import { startCluster, type TestCluster } from '../../stacks/apiserver/cluster';
import type { KubeObjectJson } from '../../stacks/apiserver/kube-client';
import { renderedWithDemo } from '../helpers/stacks';

const ROOT = path.resolve(__dirname, '../..');
const CHARTS = path.join(ROOT, 'stacks/helm/charts');
const helm = execFileSync('bash', [path.join(ROOT, 'stacks/helm/build-helm.sh')], { encoding: 'utf8' }).trim();
const archives = fs.readdirSync(CHARTS).filter((f) => f.endsWith('.tgz'));

/** `helm template` of `d`'s vendored chart with `values`: the status and the objects (or the error). */
function template(d: AddonDeclaration, values: unknown): { status: number | null; objects: KubeObjectJson[]; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  const file = path.join(dir, 'values.json');
  fs.writeFileSync(file, JSON.stringify(values));
  const archive = path.join(CHARTS, `${d.chart.chart}-${d.chart.version}.tgz`);
  const r = spawnSync(helm, ['template', d.releaseName, archive, '--namespace', d.namespace, '--values', file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const objects =
    r.status === 0
      ? parseAllDocuments(r.stdout)
          .map((doc) => doc.toJS() as KubeObjectJson | null)
          .filter((o): o is KubeObjectJson => o !== null)
      : [];
  return { status: r.status, objects, stderr: r.stderr };
}

const declarations = (): AddonDeclaration[] =>
  renderedWithDemo('kind').addons.declarations.filter((d) => archives.includes(`${d.chart.chart}-${d.chart.version}.tgz`));

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
  await cluster.as('admin').discover();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('real Helm over the vendored charts', () => {
  test('every vendored archive is a chart of the catalog at its pin', () => {
    expect(archives.length).toBeGreaterThan(0);
    const pins = Object.values(CATALOG).map((c) => `${c.chart}-${c.version}.tgz`);
    for (const a of archives) {
      expect([a, pins.includes(a)]).toEqual([a, true]);
      const chart = execFileSync(helm, ['show', 'chart', path.join(CHARTS, a)], { encoding: 'utf8' });
      const entry = Object.values(CATALOG).find((c) => `${c.chart}-${c.version}.tgz` === a);
      expect(chart).toContain(`version: ${entry?.version}`);
    }
  });

  test.each(declarations().map((d) => [d.id, d] as const))('%s renders with exactly the values the project emits', (_id, d) => {
    const r = template(d, d.values);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.objects.length).toBeGreaterThan(0);
  });

  test('Alloy: the values that broke it are caught by Helm itself (an empty rbac.clusterRules renders invalid YAML, grafana/alloy helm-chart/1.4.0 templates/rbac.yaml)', () => {
    const d = declarations().find((x) => x.id === 'alloy');
    expect(d).toBeDefined();
    const values = structuredClone(d?.values) as { rbac: { clusterRules: unknown[] } };
    values.rbac.clusterRules = [];
    const r = template(d as AddonDeclaration, values);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/yaml/i);
  });

  test.each(declarations().map((d) => [d.id, d] as const))(
    "%s: what the chart renders is admitted by the real API server in the add-on's namespace, every Pod under its Pod Security level",
    async (_id, d) => {
      const admin = cluster.as('admin');
      // the namespace as the project creates it (its Pod Security labels), then its default ServiceAccount (kube-controller-manager's job)
      // (an add-on sharing a namespace finds it among the others' objects: Alloy runs in Loki's)
      const addonNs = renderedWithDemo('kind')
        .addons.declarations.flatMap((x) => [...x.prerequisites, ...x.companions])
        .find((o) => o.kind === 'Namespace' && o.metadata?.name === d.namespace);
      expect(addonNs).toBeDefined();
      expect((await admin.apply(addonNs as KubeObjectJson)).status).toBeLessThan(300);
      await admin.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: d.namespace } });
      const objects = template(d, d.values).objects.map((o) => ({ ...o, metadata: { namespace: d.namespace, ...o.metadata } }));
      const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
      for (const crd of crds) expect([crd.metadata?.name, (await admin.apply(crd)).status]).toEqual([crd.metadata?.name, 201]);
      await admin.discover();
      const refused: string[] = [];
      for (const o of objects.filter((x) => x.kind !== 'CustomResourceDefinition')) {
        const res = await admin.apply(o);
        if (res.status >= 300) refused.push(`${o.kind} ${o.metadata?.name}: ${String(res.body.message)}`);
        const pod = res.status < 300 ? dryRunPodFor(o) : undefined;
        if (pod !== undefined) {
          const admitted = await admin.create(pod, true);
          if (admitted.status >= 300) refused.push(`${o.kind} ${o.metadata?.name} Pod: ${String(admitted.body.message)}`);
        }
      }
      expect(refused).toEqual([]);
    },
  );
});
