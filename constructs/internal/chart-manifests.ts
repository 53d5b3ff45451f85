import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { KubeObject } from './kube-object';

/**
 * What `chart.toJson()` returns, without cdk8s's dependency graph when the App declares no
 * dependency. cdk8s 2.70 (`App._synthChart`, app.ts and dependency.ts) first turns construct
 * dependencies into ApiObject dependencies, validates every construct of the App, then builds a
 * vertex with two Sets for every construct of the chart to sort them topologically. With no
 * dependency anywhere and no chart directly inside another (the two things that add edges), that
 * sort is the construct tree in pre-order, as `findAll()` lists it, which is the order kept here.
 * (The graph keys vertices by path, and an integer-like key would move first in an object; only a
 * chart placed directly in the App can have such a path, and a chart is not an ApiObject.)
 * For 10,000 WebServices the graph is about 80,000 vertices: building it took a quarter of `toJson`.
 *
 * Anything else (a dependency, a nested chart, a Chart subclass with its own `toJson`) is left to
 * cdk8s. Validation runs first, as cdk8s does it: every construct of the App, the same message; a
 * dependency a validation adds is ordered by cdk8s's graph, as cdk8s orders it after validating.
 *
 * The result is to be read, not changed: groundwork's objects render through
 * `KubeObject.toSharedJson`, whose body is the construct's own props (a change would show in every
 * later rendering of the chart). `structuredClone` it first to change it.
 */
export function chartManifests(chart: Chart): unknown[] {
  if (chart.toJson !== Chart.prototype.toJson) return chart.toJson();
  const app = App.of(chart);
  const everything = app.node.findAll();
  for (const c of everything) {
    if (c.node.dependencies.length > 0) return chart.toJson();
    if (Chart.isChart(c) && c.node.scope !== undefined && Chart.isChart(c.node.scope)) return chart.toJson();
  }
  const errors: string[] = [];
  for (const c of everything) for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  // cdk8s orders by its graph after validating: a validation that added a dependency is ordered so
  // (the graph of a chart whose own constructs gained none is its pre-order, so looking at all is exact)
  if (everything.some((c) => c.node.dependencies.length > 0))
    return new DependencyGraph(chart.node)
      .topology()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
      .map(render);
  const out: unknown[] = [];
  collect(chart, chart, out);
  return out;
}

/**
 * An object's rendering: shared with its props for groundwork's own objects (read-only). Not
 * `instanceof KubeObject`: cdk8s's `ApiObject[Symbol.hasInstance]`, which KubeObject inherits, is
 * true for every ApiObject.
 */
function render(o: ApiObject): unknown {
  return o.constructor === KubeObject ? (o as KubeObject).toSharedJson() : o.toJson();
}

/** Pre-order: the ApiObjects whose closest chart is `chart` (a chart below it renders its own). */
function collect(node: IConstruct, chart: Chart, out: unknown[]): void {
  if (node !== chart && Chart.isChart(node)) return;
  if (node instanceof ApiObject) out.push(render(node));
  for (const child of node.node.children) collect(child, chart, out);
}
