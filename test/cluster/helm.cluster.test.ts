/**
 * Real Helm over the vendored chart archives (stacks/helm/template.ts, the code behind
 * `npm run charts -- template`): every environment's charts render with exactly the values the
 * project emits, declare every values path we set, and what they render is admitted by the real
 * API server under each namespace's Pod Security level; and each of those checks fails on a
 * planted bad input. Helm is built from helm.sh/helm/v4 (stacks/helm/build-helm.sh).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { AddonDeclaration, EnvironmentRendering } from '../../constructs';
import { checkObjects } from '../../stacks/apiserver/check';
import { startCluster } from '../../stacks/apiserver/cluster';
import { admissionInput } from '../../stacks/charts';
import { helmBinary } from '../../stacks/helm/package-chart';
import { helmTemplate, renderCharts } from '../../stacks/helm/template';
import { renderedWithDemo } from '../helpers/stacks';

const ROOT = path.resolve(__dirname, '../..');
const helm = helmBinary();

/** `r` with only add-on `id`, its values replaced by `values`. */
function only(r: EnvironmentRendering, id: string, values?: Record<string, unknown>): EnvironmentRendering {
  const d = r.addons.declarations.find((x) => x.id === id) as AddonDeclaration;
  const declarations = [{ ...d, values: values ?? d.values }];
  return { ...r, addons: { ...r.addons, declarations } };
}

describe('npm run charts -- template all', () => {
  test('every vendored chart of every environment renders, declares our values, carries one set of values and is admitted', () => {
    const run = spawnSync('npm', ['run', '-s', 'charts', '--', 'template', 'all'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const summary =
      /helm-template: charts=(\d+) rendered=(\d+) unknown_values_keys=(\d+) pod_security_denied=(\d+) rejected=(\d+) values_mismatch=(\d+) not_vendored=(\d+)/.exec(
        run.stdout,
      );
    expect([run.status, run.stderr.slice(-2000), summary !== null]).toEqual([0, expect.any(String), true]);
    const [charts, rendered, unknown, denied, rejected, mismatch, notVendored] = (summary ?? []).slice(1).map(Number);
    expect(charts).toBeGreaterThanOrEqual(60);
    expect({ rendered, unknown, denied, rejected, mismatch, notVendored }).toEqual({
      rendered: charts,
      unknown: 0,
      denied: 0,
      rejected: 0,
      mismatch: 0,
      notVendored: 1,
    });
  }, 900_000);
});

describe('each check fails on a planted bad input', () => {
  const kind = renderedWithDemo('kind');

  test('a values key the chart does not have is reported, at the top and nested', () => {
    const d = kind.addons.declarations.find((x) => x.id === 'argo-rollouts') as AddonDeclaration;
    const [c] = renderCharts(
      helm,
      only(kind, 'argo-rollouts', {
        ...d.values,
        replicaz: 2,
        controller: { ...(d.values.controller as object), metricz: { enabled: true } },
      }),
    );
    expect(c.error).toBeUndefined();
    expect(c.unknownKeys).toEqual(['controller.metricz', 'replicaz']);
  });

  test('an allow-list entry for a path the chart now declares (or we no longer set) is reported as stale', () => {
    const [c] = renderCharts(helm, only(kind, 'argo-rollouts'), {
      'argo-rollouts': { 'controller.replicas': 'no template needs naming: values.yaml declares it' },
    });
    expect(c.staleAllowed).toEqual(['controller.replicas']);
  });

  test('Alloy: the values that broke it are caught by Helm itself (an empty rbac.clusterRules renders invalid YAML, grafana/alloy helm-chart/1.4.0 templates/rbac.yaml)', () => {
    const d = kind.addons.declarations.find((x) => x.id === 'alloy') as AddonDeclaration;
    const values = structuredClone(d.values) as { rbac: { clusterRules: unknown[] } };
    values.rbac.clusterRules = [];
    const r = helmTemplate(helm, d, values);
    expect(r.error).toMatch(/yaml/i);
  });

  test('a chart Pod that its namespace level refuses is reported as a Pod Security denial', async () => {
    const d = kind.addons.declarations.find((x) => x.id === 'argo-rollouts') as AddonDeclaration;
    // the chart's top-level containerSecurityContext (argo-rollouts 2.40.10 values.yaml), privileged:
    // refused by the namespace's level (baseline, as the add-on declares it) and by restricted
    const containerSecurityContext = {
      privileged: true,
      allowPrivilegeEscalation: true,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    };
    const renders = renderCharts(helm, only(kind, 'argo-rollouts', { ...d.values, containerSecurityContext }));
    expect(renders[0].unknownKeys).toEqual([]);
    const cluster = await startCluster();
    try {
      const result = await checkObjects(cluster.as('admin'), admissionInput('kind', renders, kind.addons.declarations));
      expect(result.rejections.map((x) => [x.kind, x.object])).toEqual([
        ['pod-security', 'Deployment argo-rollouts/argo-rollouts'],
      ]);
      expect(result.rejections[0].message).toContain('privileged');
    } finally {
      await cluster.stop();
    }
  }, 180_000);
});
