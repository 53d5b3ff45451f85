/**
 * The platform's PodMonitors against what Helm really renders (the vendored archives at the catalog
 * pins, with exactly our values): each scrapes every workload of its chart declaring the metrics
 * container port (Flux: each controller records its own kinds' metrics), and Prometheus may reach
 * that port under every NetworkPolicy rendered, the chart's own included (Flux's `allow-scraping`).
 * Gatekeeper's chart is not vendored: test/monitoring/platform-pod-monitors.test.ts reads its
 * templates at the pin. Only Helm runs here, no API server.
 */
import type { AddonDeclaration, EnvironmentRendering, ManifestObject } from '../../constructs';
import type { MetricsPodsOffer } from '../../constructs/addons/offers';
import { canReach } from '../../constructs/policy/network-reach';
import { helmBinary } from '../../stacks/helm/package-chart';
import { helmTemplate, isVendored } from '../../stacks/helm/template';
import { platformPodMonitors, podsScrapedBy, type RenderedPods } from '../helpers/monitors';
import { rendered, STACKS } from '../helpers/stacks';

const helm = helmBinary();

/** `helm template` of `d` with `values`. */
function chartObjects(d: AddonDeclaration, values: unknown = d.values): ManifestObject[] {
  const out = helmTemplate(helm, d, values);
  if (out.error !== undefined) throw new Error(`${d.id}: ${out.error}`);
  return out.objects as unknown as ManifestObject[];
}

/** The rendered workloads' Pod templates: labels and named container ports. */
function renderedPods(objects: readonly ManifestObject[], namespace: string): RenderedPods[] {
  type Template = { metadata: { labels?: Record<string, string> }; spec: { containers: Record<string, unknown>[] } };
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((w) => {
      const tpl = (w.spec as { template: Template }).template;
      const ports = tpl.spec.containers.flatMap((c) => (c.ports ?? []) as { name?: string; containerPort: number }[]);
      return {
        namespace,
        name: w.metadata?.name ?? '',
        labels: { ...tpl.metadata.labels },
        ports: Object.fromEntries(ports.flatMap((p) => (p.name !== undefined ? [[p.name, p.containerPort]] : []))),
      };
    });
}

/** The add-on offering the Pods monitor `m` selects, and that offer. */
function offerOf(r: EnvironmentRendering, m: ManifestObject): [AddonDeclaration, MetricsPodsOffer] {
  for (const d of r.addons.declarations)
    for (const p of d.provides.metricsPods ?? []) if (`groundwork-${p.name}` === m.metadata?.name) return [d, p];
  throw new Error(`no add-on offers what ${m.metadata?.name ?? ''} scrapes`);
}

/** What `m` scrapes in `objects`, what it should (every workload declaring the port), and whether Prometheus reaches each. */
function check(r: EnvironmentRendering, m: ManifestObject, objects: readonly ManifestObject[]) {
  const [d, offer] = offerOf(r, m);
  const pods = renderedPods(objects, d.namespace);
  const serving = pods.filter((p) => offer.port in p.ports);
  const monitoring = r.addons.contract.monitoringFor('test');
  const prometheus = { namespace: monitoring.prometheus.namespace, labels: monitoring.prometheus.podLabels ?? {} };
  const policies = [
    ...r.addons.declarations.flatMap((x) => [...x.prerequisites, ...x.companions]),
    // the chart's policies name no namespace (flux2 2.17.2 templates/policies.yaml): the release's applies
    ...objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? d.namespace } })),
  ];
  return {
    scraped: podsScrapedBy(m, pods).sort(),
    serving: serving.map((p) => `${p.namespace}/${p.name}:${offer.port}`).sort(),
    unreachable: serving.filter((p) => !canReach(policies, prometheus, p, p.ports[offer.port])).map((p) => p.name),
  };
}

const vendoredMonitors = (r: EnvironmentRendering): [string, ManifestObject][] =>
  platformPodMonitors(r)
    .filter((m) => isVendored(offerOf(r, m)[0]))
    .map((m) => [m.metadata?.name ?? '', m]);

describe.each(STACKS)('%s: the platform PodMonitors against the rendered charts', (stack) => {
  const r = rendered(stack);
  const monitors = vendoredMonitors(r);

  test('the Flux stacks have the Flux PodMonitor', () => {
    const flux = r.addons.declarations.some((d) => d.id === 'flux');
    expect(monitors.map(([name]) => name)).toEqual(flux ? ['groundwork-flux-controllers'] : []);
  });

  if (monitors.length > 0)
    test.each(monitors)('%s scrapes every Pod declaring the port, and Prometheus reaches them', (_name, m) => {
      const result = check(r, m, chartObjects(offerOf(r, m)[0]));
      expect(result.serving.length).toBeGreaterThan(0);
      expect(result).toEqual({ scraped: result.serving, serving: result.serving, unreachable: [] });
    });
});

describe('the rendered Pod check fails on planted bad input', () => {
  const r = rendered('dev');
  const m = platformPodMonitors(r)[0];
  const flux = r.addons.declarations.find((d) => d.id === 'flux') as AddonDeclaration;

  test('image automation turned on in the values: its controller serves metrics the monitor misses', () => {
    const values = { ...(flux.values as Record<string, unknown>), imageAutomationController: { create: true } };
    const result = check(r, m, chartObjects(flux, values));
    expect(result.serving.filter((t) => !result.scraped.includes(t))).toEqual([
      'flux-system/image-automation-controller:http-prom',
    ]);
  });

  test("without the chart's allow-scraping policy Prometheus is kept out (but of the webhook receiver)", () => {
    const objects = chartObjects(flux).filter((o) => o.metadata?.name !== 'allow-scraping');
    // allow-webhooks admits every namespace to every port of notification-controller
    expect(check(r, m, objects).unreachable.sort()).toEqual([
      'helm-controller',
      'kustomize-controller',
      'source-controller',
    ]);
  });
});
