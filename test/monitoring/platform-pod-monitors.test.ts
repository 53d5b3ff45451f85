/**
 * The alert on Gatekeeper can fire: its chart renders no Service in front of the Pods serving the
 * metrics, so a PodMonitor Prometheus selects scrapes the container port of those Pods alone, and
 * Prometheus may reach it under the NetworkPolicies rendered. The Pods below are the workloads'
 * templates as the chart renders them at the catalog pin with our values (not vendored: read at
 * open-policy-agent/gatekeeper v3.21.1 charts/gatekeeper). Flux's alert reads kube-state-metrics
 * (flux-state-metrics.ts): no monitor of its controllers.
 */
import { type AddonDeclaration, type ManifestObject, platformAddons, type PlatformAddonsProps } from '../../constructs';
import { alertGroupName } from '../../constructs/addons/platform-alert-rules';
import { canReach } from '../../constructs/policy/network-reach';
import {
  declarationOf,
  platformPodMonitors,
  platformRuleGroups,
  podsScrapedBy,
  type RenderedPods,
} from '../helpers/monitors';
import { rendered, STACKS } from '../helpers/stacks';

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
  gatekeeper: [
    gatekeeper('controller-manager', 'webhook', { 'webhook-server': 8443 }),
    gatekeeper('audit-controller', 'audit', {}),
  ],
};
/** The Pods serving the alert's metric: Gatekeeper's webhook. */
const SERVING: Readonly<Record<string, readonly string[]>> = { gatekeeper: ['gatekeeper-controller-manager'] };
const METRICS_PORT: Readonly<Record<string, [string, number]>> = { gatekeeper: ['metrics', 8888] };

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
const decl = (addons: Decls, id: string): AddonDeclaration => declarationOf({ addons }, id);

describe('Gatekeeper is scraped at its Pods', () => {
  const addons = platformAddons(PROFILE);

  test('its alert group is on, and its metrics Pods are scraped and reachable', () => {
    expect(platformRuleGroups({ addons })).toContain(alertGroupName('gatekeeper'));
    expect(podScrapeProblems(addons, decl(addons, 'gatekeeper'))).toEqual([]);
  });

  test('one PodMonitor, named after the Pods; Flux and the shipped stacks (Kyverno) have none', () => {
    const names = (ms: readonly ManifestObject[]): string[] => ms.map((m) => m.metadata?.name ?? '');
    expect(names(platformPodMonitors({ addons }))).toEqual(['groundwork-gatekeeper-controller-manager']);
    for (const stack of STACKS) expect([stack, names(platformPodMonitors(rendered(stack)))]).toEqual([stack, []]);
  });

  test('Kyverno chosen, or no monitoring: no PodMonitor', () => {
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

  test('the monitor in another namespace, or unlabelled, is reported', () => {
    const g = decl(addons, 'gatekeeper');
    const elsewhere = change('groundwork-gatekeeper-controller-manager', (s) => ({
      ...s,
      namespaceSelector: { matchNames: ['x'] },
    }));
    expect(podScrapeProblems(addons, g, elsewhere)[0]).toMatch(/^gatekeeper: monitors scrape \[\], not/);
    const unlabelled = platformPodMonitors({ addons }).map((m) => ({ ...m, metadata: { ...m.metadata, labels: {} } }));
    expect(podScrapeProblems(addons, g, unlabelled)).toEqual([
      'gatekeeper: groundwork-gatekeeper-controller-manager is not a monitor Prometheus selects',
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
