/**
 * The platform's ServiceMonitors against what Helm really renders (the vendored archives at the
 * catalog pins, with exactly our values): each scrapes the one metrics Service its add-on offers, and
 * Prometheus may reach the Pods behind it under every NetworkPolicy rendered, the charts' own (Loki's)
 * included. Only Helm runs here, no API server.
 */
import { type AddonDeclaration, type EnvironmentRendering, type ManifestObject } from '../../constructs';
import type { MetricsServiceOffer } from '../../constructs/addons/offers';
import { canReach } from '../../constructs/policy/network-reach';
import { helmBinary } from '../../stacks/helm/package-chart';
import { helmTemplate } from '../../stacks/helm/template';
import { declarationOf, platformMonitors, renderedService, scrapedBy, veleroVariant } from '../helpers/monitors';
import { rendered, STACKS } from '../helpers/stacks';

const helm = helmBinary();

type Json = Record<string, unknown>;
const rendersOf = new Map<string, ManifestObject[]>();
/** `helm template` of `d` (cached per stack and add-on). */
function chartObjects(stack: string, d: AddonDeclaration, values: unknown = d.values): ManifestObject[] {
  const key = `${stack}/${d.id}/${JSON.stringify(values)}`;
  let objects = rendersOf.get(key);
  if (objects === undefined) {
    const out = helmTemplate(helm, d, values);
    if (out.error !== undefined) throw new Error(`${d.id}: ${out.error}`);
    rendersOf.set(key, (objects = out.objects as unknown as ManifestObject[]));
  }
  return objects;
}

/** The add-on offering the metrics Service `m` selects in its namespace, and that offer. */
function offerOf(r: EnvironmentRendering, m: ManifestObject): [AddonDeclaration, MetricsServiceOffer] {
  const ns = (m.spec as { namespaceSelector: { matchNames: string[] } }).namespaceSelector.matchNames[0];
  for (const d of r.addons.declarations)
    for (const s of d.provides.metricsServices ?? [])
      if (s.namespace === ns && `groundwork-${s.name}` === m.metadata?.name) return [d, s];
  throw new Error(`no add-on offers what ${m.metadata?.name ?? ''} scrapes`);
}

/** The Pods behind `service` (a workload's template whose labels its selector matches) and the container port number of `port`. */
type Labels = Record<string, string>;
function podsBehind(
  objects: readonly ManifestObject[],
  service: ManifestObject,
  port: string,
): [Labels, Record<string, number>, number] {
  const svc = renderedService(service);
  const target = svc.ports[port];
  for (const w of objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))) {
    const tpl = (w.spec as { template: { metadata: { labels: Labels }; spec: { containers: Json[] } } }).template;
    if (!Object.entries(svc.selector).every(([k, v]) => tpl.metadata.labels[k] === v)) continue;
    const ports = tpl.spec.containers.flatMap((c) => (c.ports ?? []) as { name?: string; containerPort: number }[]);
    const named: Record<string, number> = Object.fromEntries(
      ports.flatMap((p) => (p.name !== undefined ? [[p.name, p.containerPort] as const] : [])),
    );
    const number: number | undefined = typeof target === 'number' ? target : named[target];
    if (number !== undefined) return [tpl.metadata.labels, named, number];
  }
  throw new Error(`no Pod behind ${svc.name} serves ${port}`);
}

/**
 * What monitor `m` of `r` scrapes among the Services Helm renders for the add-on offering them, the
 * Service port it should scrape, and the Pod port behind it with whether Prometheus reaches it under
 * our policies and the chart's.
 */
function scrapeOf(stack: string, r: EnvironmentRendering, m: ManifestObject): [string[], string, number, boolean] {
  const monitoring = r.addons.contract.monitoringFor('test');
  const prometheus = { namespace: monitoring.prometheus.namespace, labels: monitoring.prometheus.podLabels ?? {} };
  const ours = r.addons.declarations.flatMap((d) => [...d.prerequisites, ...d.companions]);
  const [d, offer] = offerOf(r, m);
  const objects = chartObjects(stack, d);
  const services = objects.filter((o) => o.kind === 'Service');
  const scraped = scrapedBy(m, services.map(renderedService));
  const service = services.find((o) => o.metadata?.name === offer.name) as ManifestObject;
  const [labels, ports, port] = podsBehind(objects, service, offer.port);
  const policies = [...ours, ...objects.filter((o) => o.kind === 'NetworkPolicy')];
  const reach = canReach(policies, prometheus, { namespace: d.namespace, labels, ports }, port);
  return [scraped, `${offer.namespace}/${offer.name}:${offer.port}`, port, reach];
}

describe.each(STACKS)('%s: the platform monitors against the rendered charts', (stack) => {
  const r = rendered(stack);
  test.each(platformMonitors(r).map((m) => [m.metadata?.name ?? '', m] as const))(
    '%s scrapes its metrics Service alone, and Prometheus reaches its Pods',
    (_name, m) => {
      const [scraped, expected, port, reach] = scrapeOf(stack, r, m);
      expect([scraped, port, reach]).toEqual([[expected], port, true]);
    },
  );
});

describe("Velero without its chart's ServiceMonitor (dev's profile with it off; the cloud stacks turn it on)", () => {
  const dev = rendered('dev');
  const off = veleroVariant(dev, false);
  const on = veleroVariant(dev, true);
  const veleroOf = (r: EnvironmentRendering): AddonDeclaration => declarationOf(r, 'velero');
  const servicesOf = (r: EnvironmentRendering, values?: unknown): ReturnType<typeof renderedService>[] =>
    chartObjects('dev', veleroOf(r), values)
      .filter((o) => o.kind === 'Service')
      .map(renderedService);

  test("ours scrapes the chart's metrics Service alone, and Prometheus reaches the server's port", () => {
    const monitors = platformMonitors(off).filter((m) => scrapedBy(m, servicesOf(off)).length > 0);
    expect(monitors.map((m) => m.metadata?.name)).toEqual(['groundwork-velero']);
    expect(scrapeOf('dev', off, monitors[0])).toEqual([
      ['velero/velero:http-monitoring'],
      'velero/velero:http-monitoring',
      8085,
      true,
    ]);
    expect(chartObjects('dev', veleroOf(off)).filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
  });

  test("with it on, the chart's ServiceMonitor scrapes that Service, labelled as Prometheus selects, and none of ours", () => {
    const chart = chartObjects('dev', veleroOf(on)).filter((o) => o.kind === 'ServiceMonitor');
    expect(chart.map((m) => scrapedBy(m, servicesOf(on)))).toEqual([['velero/velero:http-monitoring']]);
    const labels = on.addons.contract.monitoringFor('test').monitorLabels;
    expect(chart[0].metadata?.labels).toMatchObject(labels);
    expect(platformMonitors(on).filter((m) => scrapedBy(m, servicesOf(on)).length > 0)).toEqual([]);
  });

  test('planted: metrics switched off in the values, ours scrapes nothing', () => {
    const values = structuredClone(veleroOf(off).values) as { metrics: { enabled: boolean } };
    values.metrics.enabled = false;
    const monitor = platformMonitors(off).find((m) => m.metadata?.name === 'groundwork-velero') as ManifestObject;
    expect(servicesOf(off, values).flatMap((s) => scrapedBy(monitor, [s]))).toEqual([]);
  });
});

describe('the rendered check fails on planted bad input', () => {
  const r = rendered('kind');
  const argo = declarationOf(r, 'argo-cd');
  const monitor = platformMonitors(r).find((m) => m.metadata?.name?.includes('argo-cd')) as ManifestObject;

  test("Argo CD's metrics Service switched off: the monitor scrapes nothing", () => {
    const values = structuredClone(argo.values) as { controller: { metrics: { enabled: boolean } } };
    values.controller.metrics.enabled = false;
    const services = chartObjects('kind', argo, values).filter((o) => o.kind === 'Service');
    expect(scrapedBy(monitor, services.map(renderedService))).toEqual([]);
  });

  test("Loki's chart policy admitting another namespace keeps Prometheus out", () => {
    const loki = declarationOf(r, 'loki');
    const values = structuredClone(loki.values) as { networkPolicy: { metrics: Json } };
    values.networkPolicy.metrics = { ...values.networkPolicy.metrics, namespaceSelector: { matchLabels: { x: 'y' } } };
    const objects = chartObjects('kind', loki, values);
    const service = objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'loki') as ManifestObject;
    const [labels, ports, port] = podsBehind(objects, service, 'http-metrics');
    const monitoring = r.addons.contract.monitoringFor('test');
    const prometheus = { namespace: monitoring.namespace, labels: monitoring.prometheus.podLabels ?? {} };
    const to = {
      namespace: loki.namespace,
      labels,
      ports,
    };
    expect(
      canReach(
        objects.filter((o) => o.kind === 'NetworkPolicy'),
        prometheus,
        to,
        port,
      ),
    ).toBe(false);
  });
});
