/**
 * The platform's ServiceMonitors against what Helm really renders (the vendored archives at the
 * catalog pins, with exactly our values): each scrapes the one metrics Service its add-on offers, and
 * Prometheus may reach the Pods behind it under every NetworkPolicy rendered, the charts' own (Loki's)
 * included. Only Helm runs here, no API server.
 */
import type { AddonDeclaration, EnvironmentRendering, ManifestObject } from '../../constructs';
import type { MetricsServiceOffer } from '../../constructs/addons/offers';
import { canReach } from '../../constructs/policy/network-reach';
import { helmBinary } from '../../stacks/helm/package-chart';
import { helmTemplate } from '../../stacks/helm/template';
import { platformMonitors, renderedService, scrapedBy } from '../helpers/monitors';
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

describe.each(STACKS)('%s: the platform monitors against the rendered charts', (stack) => {
  const r = rendered(stack);
  const monitoring = r.addons.contract.monitoringFor('test');
  const prometheus = { namespace: monitoring.prometheus.namespace, labels: monitoring.prometheus.podLabels ?? {} };
  const ours = r.addons.declarations.flatMap((d) => [...d.prerequisites, ...d.companions]);

  test.each(platformMonitors(r).map((m) => [m.metadata?.name ?? '', m] as const))(
    '%s scrapes its metrics Service alone, and Prometheus reaches its Pods',
    (_name, m) => {
      const [d, offer] = offerOf(r, m);
      const objects = chartObjects(stack, d);
      const services = objects.filter((o) => o.kind === 'Service');
      expect(scrapedBy(m, services.map(renderedService))).toEqual([`${offer.namespace}/${offer.name}:${offer.port}`]);
      const service = services.find((o) => o.metadata?.name === offer.name) as ManifestObject;
      const [labels, ports, port] = podsBehind(objects, service, offer.port);
      const policies = [...ours, ...objects.filter((o) => o.kind === 'NetworkPolicy')];
      const pods = { namespace: d.namespace, labels, ports };
      expect([port, canReach(policies, prometheus, pods, port)]).toEqual([port, true]);
    },
  );
});

describe('the rendered check fails on planted bad input', () => {
  const r = rendered('kind');
  const argo = r.addons.declarations.find((d) => d.id === 'argo-cd') as AddonDeclaration;
  const monitor = platformMonitors(r).find((m) => m.metadata?.name?.includes('argo-cd')) as ManifestObject;

  test("Argo CD's metrics Service switched off: the monitor scrapes nothing", () => {
    const values = structuredClone(argo.values) as { controller: { metrics: { enabled: boolean } } };
    values.controller.metrics.enabled = false;
    const services = chartObjects('kind', argo, values).filter((o) => o.kind === 'Service');
    expect(scrapedBy(monitor, services.map(renderedService))).toEqual([]);
  });

  test("Loki's chart policy admitting another namespace keeps Prometheus out", () => {
    const loki = r.addons.declarations.find((d) => d.id === 'loki') as AddonDeclaration;
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
