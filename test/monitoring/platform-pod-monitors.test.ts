/**
 * The alerts on Flux and Gatekeeper can fire: their charts render no Service in front of the Pods
 * serving the metrics, so a PodMonitor Prometheus selects scrapes the container port of those Pods
 * alone, and Prometheus may reach it under the NetworkPolicies rendered. The Pods below are the
 * workloads' templates as the charts render them at the catalog pins with our values;
 * test/cluster/platform-monitors.cluster.test.ts checks Flux's against Helm's own output.
 */
import { type AddonDeclaration, type ManifestObject, platformAddons, type PlatformAddonsProps } from '../../constructs';
import { alertGroupName } from '../../constructs/addons/platform-alert-rules';
import { canReach } from '../../constructs/policy/network-reach';
import { platformPodMonitors, platformRuleGroups, podsScrapedBy, type RenderedPods } from '../helpers/monitors';
import { rendered } from '../helpers/stacks';

/** fluxcd-community flux2 2.17.2 templates/<controller>.yaml: the sole Pod label `app`, ports by name. */
const flux = (name: string, ports: Record<string, number> = {}): Omit<RenderedPods, 'namespace'> => ({
  name,
  labels: { app: name },
  ports: { 'http-prom': 8080, healthz: 9440, ...ports },
});
/** gatekeeper v3.21.1 charts/gatekeeper templates/gatekeeper-{controller-manager,audit}-deployment.yaml. */
const gatekeeper = (component: string, operation: string, ports: Record<string, number>) => ({
  name: `gatekeeper-${component === 'controller-manager' ? component : 'audit'}`,
  labels: {
    app: 'gatekeeper',
    chart: 'gatekeeper',
    'control-plane': component,
    'gatekeeper.sh/operation': operation,
    'gatekeeper.sh/system': 'yes',
    heritage: 'Helm',
    release: 'gatekeeper',
  },
  ports: { metrics: 8888, healthz: 9090, ...ports },
});

/** Per add-on: the Pods serving the alert's metric (first) and the chart's other Pods. */
const PODS: Readonly<Record<string, readonly Omit<RenderedPods, 'namespace'>[]>> = {
  flux: [
    flux('source-controller', { http: 9090 }),
    flux('kustomize-controller'),
    flux('helm-controller'),
    flux('notification-controller', { http: 9090, 'http-webhook': 9292 }),
  ],
  gatekeeper: [
    gatekeeper('controller-manager', 'webhook', { 'webhook-server': 8443 }),
    gatekeeper('audit-controller', 'audit', {}),
  ],
};
/** The Pods serving the alert's metric: all Flux controllers (each records its kinds), Gatekeeper's webhook. */
const SERVING: Readonly<Record<string, readonly string[]>> = {
  flux: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'],
  gatekeeper: ['gatekeeper-controller-manager'],
};
const METRICS_PORT: Readonly<Record<string, [string, number]>> = {
  flux: ['http-prom', 8080],
  gatekeeper: ['metrics', 8888],
};

type Decls = { readonly declarations: readonly AddonDeclaration[] };

/** Why the alerts on `d` could not fire (empty: they can). */
function podScrapeProblems(addons: Decls, d: AddonDeclaration, monitors = platformPodMonitors({ addons })): string[] {
  const pods = PODS[d.id].map((p) => ({ ...p, namespace: d.namespace }));
  const [port, number] = METRICS_PORT[d.id];
  const want = SERVING[d.id].map((n) => `${d.namespace}/${n}:${port}`);
  const scraped = monitors.flatMap((m) => podsScrapedBy(m, pods).map((t) => ({ m, t })));
  const problems: string[] = [];
  if (scraped.map((x) => x.t).join() !== want.join())
    problems.push(`${d.id}: monitors scrape [${scraped.map((x) => x.t).join(', ')}], not [${want.join(', ')}]`);
  const monitoring = addons.declarations.find((x) => x.provides.monitoring !== undefined)?.provides.monitoring;
  if (monitoring === undefined) return [...problems, 'no monitoring'];
  for (const m of new Set(scraped.map((x) => x.m))) {
    const labels = m.metadata?.labels ?? {};
    if (
      m.metadata?.namespace !== monitoring.namespace ||
      Object.entries(monitoring.monitorLabels).some(([k, v]) => labels[k] !== v)
    )
      problems.push(`${d.id}: ${m.metadata?.name ?? ''} is not a monitor Prometheus selects`);
  }
  const policies = addons.declarations.flatMap((x) => [...x.prerequisites, ...x.companions]);
  const prometheus = { namespace: monitoring.prometheus.namespace, labels: monitoring.prometheus.podLabels ?? {} };
  for (const p of pods.filter((x) => SERVING[d.id].includes(x.name)))
    if (!canReach(policies, prometheus, p, number))
      problems.push(`${d.id}: NetworkPolicies keep Prometheus from port ${number} of ${p.name}`);
  return problems;
}

const PROFILE: PlatformAddonsProps = { certManager: {}, gitops: { engine: 'flux' }, policy: { engine: 'gatekeeper' } };
const decl = (addons: Decls, id: string): AddonDeclaration =>
  addons.declarations.find((d) => d.id === id) as AddonDeclaration;

describe('Flux and Gatekeeper are scraped at their Pods', () => {
  const addons = platformAddons(PROFILE);

  test.each(['flux', 'gatekeeper'])(
    '%s: its alert group is on, and its metrics Pods are scraped and reachable',
    (id) => {
      expect(platformRuleGroups({ addons })).toContain(alertGroupName(id as 'flux'));
      expect(podScrapeProblems(addons, decl(addons, id))).toEqual([]);
    },
  );

  test('one PodMonitor each, named after the Pods; the dev stack (Flux, Kyverno) has the Flux one alone', () => {
    const names = (ms: readonly ManifestObject[]): string[] => ms.map((m) => m.metadata?.name ?? '').sort();
    expect(names(platformPodMonitors({ addons }))).toEqual([
      'groundwork-flux-controllers',
      'groundwork-gatekeeper-controller-manager',
    ]);
    const dev = rendered('dev');
    expect(names(platformPodMonitors(dev))).toEqual(['groundwork-flux-controllers']);
    expect(podScrapeProblems(dev.addons, decl(dev.addons, 'flux'))).toEqual([]);
  });

  test('the engines not chosen, or no monitoring: no PodMonitor', () => {
    expect(platformPodMonitors({ addons: platformAddons({ certManager: {} }) })).toEqual([]);
    const without = platformAddons({ ...PROFILE, monitoring: false }).declarations;
    expect(without.flatMap((d) => d.companions).filter((o) => o.kind === 'PodMonitor')).toEqual([]);
  });
});

describe('the Pod check fails on planted bad input', () => {
  const addons = platformAddons(PROFILE);
  const change = (name: string, f: (spec: Record<string, unknown>) => Record<string, unknown>): ManifestObject[] =>
    platformPodMonitors({ addons }).map((m) =>
      m.metadata?.name === name ? { ...m, spec: f(m.spec as Record<string, unknown>) } : m,
    );

  test("a Service's port name instead of the container's scrapes nothing", () => {
    const monitors = change('groundwork-gatekeeper-controller-manager', (s) => ({
      ...s,
      podMetricsEndpoints: [{ port: 'http-metrics', path: '/metrics' }],
    }));
    expect(podScrapeProblems(addons, decl(addons, 'gatekeeper'), monitors)).toEqual([
      'gatekeeper: monitors scrape [], not [gatekeeper-system/gatekeeper-controller-manager:metrics]',
    ]);
  });

  test("Gatekeeper's monitor without the control-plane label scrapes the audit Pods too", () => {
    const monitors = change('groundwork-gatekeeper-controller-manager', (s) => ({
      ...s,
      selector: { matchLabels: { app: 'gatekeeper' } },
    }));
    expect(podScrapeProblems(addons, decl(addons, 'gatekeeper'), monitors)).toEqual([
      'gatekeeper: monitors scrape [gatekeeper-system/gatekeeper-controller-manager:metrics, gatekeeper-system/gatekeeper-audit:metrics], not [gatekeeper-system/gatekeeper-controller-manager:metrics]',
    ]);
  });

  test("Flux's monitor in the wrong namespace, or unlabelled, is reported", () => {
    const elsewhere = change('groundwork-flux-controllers', (s) => ({
      ...s,
      namespaceSelector: { matchNames: ['x'] },
    }));
    expect(podScrapeProblems(addons, decl(addons, 'flux'), elsewhere)[0]).toMatch(/^flux: monitors scrape \[\], not/);
    const unlabelled = platformPodMonitors({ addons }).map((m) => ({ ...m, metadata: { ...m.metadata, labels: {} } }));
    expect(podScrapeProblems(addons, decl(addons, 'flux'), unlabelled)).toEqual([
      'flux: groundwork-flux-controllers is not a monitor Prometheus selects',
    ]);
  });

  test('a default-deny policy in the Gatekeeper namespace keeps Prometheus out', () => {
    const g = decl(addons, 'gatekeeper');
    const deny: ManifestObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: g.namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    const planted = {
      declarations: addons.declarations.map((d) => (d === g ? { ...g, companions: [...g.companions, deny] } : d)),
    };
    expect(podScrapeProblems(planted, g)).toEqual([
      'gatekeeper: NetworkPolicies keep Prometheus from port 8888 of gatekeeper-controller-manager',
    ]);
  });
});
