import { ApiObject, type App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { chartManifests, Tenant, WebService } from '../../constructs';
import { DependencyGraph } from 'cdk8s/lib/dependency';
import { rendered } from '../helpers/stacks';

/** A chart with what apps put in one: WebServices in and out of a tenant, a group construct, a bare ApiObject. */
function appChart(app: App = Testing.app()): Chart {
  const chart = new Chart(app, 'apps', { disableResourceNameHashes: true });
  const tenant = new Tenant(chart, 'team-a', {
    name: 'team-a',
    environment: 'kind',
    namespaces: [{ name: 'team-a' }],
    platform: rendered('kind').contract,
  });
  const group = new Construct(chart, 'group');
  for (let i = 0; i < 3; i++) {
    new WebService(i === 1 ? group : chart, `web-${i}`, {
      namespace: tenant.namespaces[0],
      image: `ghcr.io/acme/web-${i}:1.0.${i}`,
      port: 8080,
      autoscaling: i === 2 ? { minReplicas: 2, maxReplicas: 4 } : undefined,
    });
  }
  new ApiObject(group, 'bare', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare' }, data: { a: 'b' } });
  return chart;
}

/** How many times cdk8s's dependency graph is built while `fn` runs. */
function graphsBuilt(fn: () => unknown): number {
  const spy = jest.spyOn(DependencyGraph.prototype, 'topology');
  try {
    fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describe('chartManifests renders what chart.toJson() renders', () => {
  test('no dependency: same objects in the same order, without building the dependency graph', () => {
    const chart = appChart();
    let ours: unknown[] = [];
    expect(graphsBuilt(() => (ours = chartManifests(chart)))).toBe(0);
    expect(ours.length).toBeGreaterThan(20);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(chart.toJson()));
  });

  test('a dependency between objects: cdk8s orders them (the dependency first), and so does chartManifests', () => {
    const chart = appChart();
    const late = new ApiObject(chart, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    const first = chart.node.findAll().find((c) => c instanceof ApiObject) as ApiObject;
    first.addDependency(late);
    let ours: unknown[] = [];
    expect(graphsBuilt(() => (ours = chartManifests(chart)))).toBeGreaterThan(0);
    const names = ours.map((o) => (o as { metadata: { name: string } }).metadata.name);
    expect(names.indexOf('late')).toBeLessThan(names.indexOf(first.name));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(chart.toJson()));
  });

  test('a dependency a validation adds: ordered as cdk8s orders it, on every call', () => {
    const chart = appChart();
    const late = new ApiObject(chart, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    const first = chart.node.findAll().find((c) => c instanceof ApiObject) as ApiObject;
    first.node.addValidation({
      validate: () => {
        first.addDependency(late);
        return [];
      },
    });
    const names = (objects: unknown[]) => objects.map((o) => (o as { metadata: { name: string } }).metadata.name);
    const ours = names(chartManifests(chart));
    expect(ours.indexOf('late')).toBeLessThan(ours.indexOf(first.name));
    expect(names(chartManifests(chart))).toEqual(ours);
    expect(names(chart.toJson())).toEqual(ours);
  });

  test('groundwork objects come out shared with their props (read-only), others as cdk8s renders them', () => {
    const chart = appChart();
    const a = chartManifests(chart) as { kind: string; spec?: object; data?: object }[];
    const b = chartManifests(chart) as typeof a;
    const deployment = a.findIndex((o) => o.kind === 'Deployment');
    expect(b[deployment].spec).toBe(a[deployment].spec);
    const bare = a.findIndex((o) => o.kind === 'ConfigMap' && JSON.stringify(o).includes('"bare"'));
    expect(b[bare].data).not.toBe(a[bare].data);
  });

  test('a chart inside a chart renders its own objects, not its parent', () => {
    const chart = appChart();
    const inner = new Chart(chart, 'inner');
    new ApiObject(inner, 'inner-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner-cm' } });
    const ours = chartManifests(chart);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(chart.toJson()));
    expect(JSON.stringify(ours)).not.toContain('inner-cm');
    expect(JSON.stringify(chartManifests(inner))).toBe(JSON.stringify(inner.toJson()));
  });

  test('a chart below a plain construct of another chart stays out of it', () => {
    const chart = appChart();
    const deep = new Chart(new Construct(chart, 'holder'), 'deep');
    new ApiObject(deep, 'deep-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep-cm' } });
    expect(graphsBuilt(() => chartManifests(chart))).toBe(0);
    expect(JSON.stringify(chartManifests(chart))).toBe(JSON.stringify(chart.toJson()));
    expect(JSON.stringify(chartManifests(chart))).not.toContain('deep-cm');
  });

  test('a failing validation anywhere in the App throws the message cdk8s throws', () => {
    const app = Testing.app();
    const chart = appChart(app);
    const other = new Chart(app, 'other');
    other.node.addValidation({ validate: () => ['planted problem'] });
    expect(() => chart.toJson() as unknown).toThrow(
      'Validation failed with the following errors:\n  [other] planted problem',
    );
    expect(() => chartManifests(chart)).toThrow(
      'Validation failed with the following errors:\n  [other] planted problem',
    );
  });

  test('a Chart subclass with its own toJson is asked, not bypassed', () => {
    class Custom extends Chart {
      public override toJson(): unknown[] {
        return [{ custom: true }];
      }
    }
    expect(chartManifests(new Custom(Testing.app(), 'custom'))).toEqual([{ custom: true }]);
  });
});
