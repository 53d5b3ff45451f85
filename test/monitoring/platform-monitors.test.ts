/**
 * Every platform alert on an add-on's metrics can fire: a ServiceMonitor Prometheus selects scrapes
 * the one Service of that add-on serving them, the chart renders that Service with our values, and
 * Prometheus may reach its Pods under the NetworkPolicies the platform renders. The charts' Services
 * below are `helm template` of the vendored archives (stacks/helm/charts) with the kind stack's values;
 * test/cluster/platform-monitors.cluster.test.ts checks the same against Helm's output for every stack.
 */
import {
  type AddonDeclaration,
  type EnvironmentRendering,
  type ManifestObject,
  platformAddons,
  type PlatformAddonsProps,
} from '../../constructs';
import { canReach } from '../../constructs/policy/network-reach';
import { alertGroupName } from '../../constructs/addons/platform-alert-rules';
import { withPlatformMonitors } from '../../constructs/addons/platform-monitors';
import {
  declarationOf,
  platformMonitors,
  platformRuleGroups,
  type RenderedService,
  scrapedBy,
  veleroVariant,
} from '../helpers/monitors';
import { rendered, STACKS } from '../helpers/stacks';

type Values = Readonly<Record<string, unknown>>;
const at = (v: Values, ...path: string[]): unknown =>
  path.reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], v);

/** One add-on's metrics Service as its chart renders it, the decoys beside it, and what turns it on. */
interface ChartMetrics {
  /** The template and the value that renders the Service. */
  readonly template: string;
  readonly enabled: (values: Values) => boolean;
  /** The metrics Service, then the chart's other Services (namespace filled in from the declaration). */
  readonly services: readonly Omit<RenderedService, 'namespace'>[];
  /** The container port number behind the metrics port (NetworkPolicies name numbers or names of it). */
  readonly podPort: number;
}

const svc = (
  name: string,
  labels: Record<string, string>,
  ports: Record<string, number | string>,
  selector: Record<string, string> = labels,
): Omit<RenderedService, 'namespace'> => ({ name, labels, ports, selector });

const ARGO = { 'app.kubernetes.io/instance': 'argo-cd', 'app.kubernetes.io/part-of': 'argocd' };
const KYVERNO = { 'app.kubernetes.io/instance': 'kyverno', 'app.kubernetes.io/part-of': 'kyverno' };
const LOKI = { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki' };
const CM = { 'app.kubernetes.io/instance': 'cert-manager' };
const VELERO = { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'velero' };

const CHARTS: Readonly<Record<string, ChartMetrics>> = {
  'argo-cd': {
    template: 'argo-helm argo-cd-10.1.1 templates/argocd-application-controller/metrics.yaml',
    enabled: (v) => at(v, 'controller', 'metrics', 'enabled') === true,
    podPort: 8082, // values.yaml controller.containerPorts.metrics
    services: [
      svc(
        'argo-cd-argocd-application-controller-metrics',
        {
          'app.kubernetes.io/name': 'argocd-metrics',
          'app.kubernetes.io/component': 'application-controller',
          ...ARGO,
        },
        { 'http-metrics': 'metrics' },
        { 'app.kubernetes.io/name': 'argocd-application-controller', 'app.kubernetes.io/instance': 'argo-cd' },
      ),
      svc('argo-cd-argocd-server', { 'app.kubernetes.io/name': 'argocd-server', ...ARGO }, { http: 8080, https: 8080 }),
      svc(
        'argo-cd-argocd-repo-server',
        { 'app.kubernetes.io/name': 'argocd-repo-server', ...ARGO },
        { 'tcp-repo-server': 'repo-server' },
      ),
    ],
  },
  kyverno: {
    template: 'kyverno 3.5.3 templates/admission-controller/service.yaml',
    enabled: (v) => at(v, 'admissionController', 'metricsService', 'create') !== false,
    podPort: 8000, // values.yaml admissionController.metering.port
    services: [
      svc(
        'kyverno-svc-metrics',
        { 'app.kubernetes.io/component': 'admission-controller', ...KYVERNO },
        { 'metrics-port': 8000 },
      ),
      svc('kyverno-svc', { 'app.kubernetes.io/component': 'admission-controller', ...KYVERNO }, { https: 'https' }),
      svc(
        'kyverno-reports-controller-metrics',
        { 'app.kubernetes.io/component': 'reports-controller', ...KYVERNO },
        { 'metrics-port': 8000 },
      ),
      svc(
        'kyverno-background-controller-metrics',
        { 'app.kubernetes.io/component': 'background-controller', ...KYVERNO },
        { 'metrics-port': 8000 },
      ),
    ],
  },
  'external-secrets': {
    template: 'external-secrets 2.9.0 templates/service.yaml',
    enabled: (v) => at(v, 'metrics', 'service', 'enabled') === true,
    podPort: 8080, // values.yaml metrics.listen.port
    services: [
      svc(
        'external-secrets-metrics',
        { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': 'external-secrets' },
        { metrics: 'metrics' },
      ),
      svc(
        'external-secrets-webhook',
        { 'app.kubernetes.io/name': 'external-secrets-webhook', 'app.kubernetes.io/instance': 'external-secrets' },
        { webhook: 'webhook' },
      ),
    ],
  },
  loki: {
    template: 'grafana-community loki 18.11.0 templates/_service.tpl loki.service (monolithic)',
    enabled: (v) => at(v, 'deploymentMode') === 'Monolithic',
    podPort: 3100, // values.yaml loki.server.http_listen_port
    services: [
      svc(
        'loki',
        { ...LOKI, 'app.kubernetes.io/component': 'single-binary' },
        { 'http-metrics': 'http-metrics', grpc: 'grpc' },
      ),
      svc(
        'loki-headless',
        {
          ...LOKI,
          'app.kubernetes.io/component': 'single-binary',
          'prometheus.io/service-monitor': 'false',
          variant: 'headless',
        },
        { 'http-metrics': 'http-metrics', grpc: 'grpc' },
        { ...LOKI, 'app.kubernetes.io/component': 'single-binary' },
      ),
      svc('loki-memberlist', LOKI, { tcp: 'http-memberlist' }),
    ],
  },
  'cert-manager': {
    template: 'cert-manager v1.19.6 deploy/charts/cert-manager templates/service.yaml',
    enabled: (v) => at(v, 'prometheus', 'enabled') === true && at(v, 'prometheus', 'podmonitor', 'enabled') !== true,
    podPort: 9402, // the controller's http-metrics container port (templates/deployment.yaml)
    services: [
      svc(
        'cert-manager',
        { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller', ...CM },
        { 'tcp-prometheus-servicemonitor': 'http-metrics' },
      ),
      svc(
        'cert-manager-webhook',
        { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/component': 'webhook', ...CM },
        { https: 'https', metrics: 'http-metrics' },
      ),
      svc(
        'cert-manager-cainjector',
        { 'app.kubernetes.io/name': 'cainjector', 'app.kubernetes.io/component': 'cainjector', ...CM },
        { 'http-metrics': 9402 },
      ),
    ],
  },
  velero: {
    template: 'velero 12.1.0 templates/service.yaml',
    enabled: (v) => at(v, 'metrics', 'enabled') !== false, // values.yaml metrics.enabled: true
    podPort: 8085, // the server's http-monitoring container port (templates/deployment.yaml)
    // the chart's only Service (the node agent's Pods have none)
    services: [svc('velero', VELERO, { 'http-monitoring': 'http-monitoring' }, { name: 'velero', ...VELERO })],
  },
};

/** The chart's Services of `d` in its namespace. */
const servicesOf = (d: AddonDeclaration): RenderedService[] =>
  CHARTS[d.id].services.map((s) => ({ ...s, namespace: d.namespace }));

/** The chart's own ServiceMonitor is on, labelled as Prometheus selects (certManagerValues; velero-metrics.test.ts). */
const chartScrapes = (d: AddonDeclaration): boolean =>
  (d.id === 'cert-manager' && at(d.values, 'prometheus', 'servicemonitor', 'enabled') === true) ||
  (d.id === 'velero' && at(d.values, 'metrics', 'serviceMonitor', 'enabled') === true);

/**
 * Why the alerts on `d` could not fire in `r` (empty: they can): no monitor of ours scrapes exactly
 * the metrics Service, the chart would not render it, the monitor is not one Prometheus selects,
 * or Prometheus may not reach the Pods behind it.
 */
function scrapeProblems(r: EnvironmentRendering, d: AddonDeclaration, monitors = platformMonitors(r)): string[] {
  const chart = CHARTS[d.id];
  const monitoring = r.addons.contract.monitoringFor('test');
  if (chartScrapes(d)) return [];
  const problems: string[] = [];
  const [metrics] = servicesOf(d);
  const scraped = monitors.flatMap((m) => scrapedBy(m, servicesOf(d)).map((t) => ({ m, t })));
  if (scraped.map((x) => x.t).join() !== `${d.namespace}/${metrics.name}:${Object.keys(metrics.ports)[0]}`)
    problems.push(`${d.id}: monitors scrape [${scraped.map((x) => x.t).join(', ')}], not ${metrics.name} alone`);
  if (!chart.enabled(d.values)) problems.push(`${d.id}: our values do not render ${metrics.name} (${chart.template})`);
  for (const { m } of scraped) {
    const labels = m.metadata?.labels ?? {};
    if (
      m.metadata?.namespace !== monitoring.namespace ||
      Object.entries(monitoring.monitorLabels).some(([k, v]) => labels[k] !== v)
    )
      problems.push(`${d.id}: ${m.metadata?.name ?? ''} is not a monitor Prometheus selects`);
  }
  const policies = r.addons.declarations.flatMap((x) => [...x.prerequisites, ...x.companions]);
  const prometheus = { namespace: monitoring.prometheus.namespace, labels: monitoring.prometheus.podLabels ?? {} };
  if (!canReach(policies, prometheus, { namespace: d.namespace, labels: metrics.selector }, chart.podPort))
    problems.push(`${d.id}: NetworkPolicies keep Prometheus from port ${chart.podPort} of ${metrics.name}'s Pods`);
  return problems;
}

/** The add-ons of `r` whose alerts read their own metrics (the platform rules hold their group). */
const alerted = (r: EnvironmentRendering): AddonDeclaration[] =>
  r.addons.declarations.filter((d) => d.id in CHARTS && platformRuleGroups(r).includes(alertGroupName(d.id)));

describe('the platform scrapes what its alerts read', () => {
  test.each(STACKS)('%s: each alerted add-on is scraped at its metrics Service, reachable by Prometheus', (stack) => {
    const r = rendered(stack);
    const ids = alerted(r).map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['kyverno', 'external-secrets', 'loki', 'cert-manager']));
    for (const d of alerted(r)) expect([d.id, scrapeProblems(r, d)]).toEqual([d.id, []]);
    // one monitor per add-on we scrape, no monitor for anything else
    const ours = alerted(r).filter((d) => !chartScrapes(d));
    expect(platformMonitors(r)).toHaveLength(ours.length);
  });

  test('the kind stack scrapes Argo CD and cert-manager too (its cert-manager chart monitor is off)', () => {
    const r = rendered('kind');
    expect(
      platformMonitors(r)
        .map((m) => m.metadata?.name)
        .sort(),
    ).toEqual([
      'groundwork-argo-cd-argocd-application-controller-metrics',
      'groundwork-cert-manager',
      'groundwork-external-secrets-metrics',
      'groundwork-kyverno-svc-metrics',
      'groundwork-loki',
    ]);
  });
});

/** `r` with the monitor of `id` changed by `change`. */
function withMonitor(
  r: EnvironmentRendering,
  name: string,
  change: (m: ManifestObject) => ManifestObject,
): ManifestObject[] {
  return platformMonitors(r).map((m) => (m.metadata?.name === name ? change(m) : m));
}

describe('the check fails on planted bad input', () => {
  const r = rendered('kind');
  const decl = (id: string): AddonDeclaration => declarationOf(r, id);
  const spec = (m: ManifestObject): Record<string, unknown> => m.spec as Record<string, unknown>;

  test('a wrong port name scrapes nothing', () => {
    const monitors = withMonitor(r, 'groundwork-kyverno-svc-metrics', (m) => ({
      ...m,
      spec: { ...spec(m), endpoints: [{ port: 'metrics', path: '/metrics' }] },
    }));
    expect(scrapeProblems(r, decl('kyverno'), monitors)).toEqual([
      'kyverno: monitors scrape [], not kyverno-svc-metrics alone',
    ]);
  });

  test("Loki's monitor without the headless exclusion scrapes its Pods twice", () => {
    const monitors = withMonitor(r, 'groundwork-loki', (m) => {
      const { matchExpressions: _dropped, ...selector } = spec(m).selector as Record<string, unknown>;
      return { ...m, spec: { ...spec(m), selector } };
    });
    expect(scrapeProblems(r, decl('loki'), monitors)).toEqual([
      'loki: monitors scrape [logging/loki:http-metrics, logging/loki-headless:http-metrics], not loki alone',
    ]);
  });

  test('a monitor without the selector labels, and a metrics Service the values leave off, are reported', () => {
    const monitors = withMonitor(r, 'groundwork-external-secrets-metrics', (m) => ({
      ...m,
      metadata: { ...m.metadata, labels: {} },
    }));
    const d = decl('external-secrets');
    const off = { ...d, values: { ...d.values, metrics: { service: { enabled: false } } } };
    expect(scrapeProblems(r, off, monitors)).toEqual([
      'external-secrets: our values do not render external-secrets-metrics (external-secrets 2.9.0 templates/service.yaml)',
      'external-secrets: groundwork-external-secrets-metrics is not a monitor Prometheus selects',
    ]);
  });

  test("Argo CD's controller policy without the Prometheus rule keeps Prometheus out", () => {
    const d = decl('argo-cd');
    const companions = d.companions.map((o) =>
      o.metadata?.name === 'argocd-application-controller' ? { ...o, spec: { ...spec(o), ingress: [] } } : o,
    );
    const planted = {
      ...r,
      addons: { ...r.addons, declarations: r.addons.declarations.map((x) => (x === d ? { ...d, companions } : x)) },
    };
    expect(scrapeProblems(planted, { ...d, companions })).toEqual([
      "argo-cd: NetworkPolicies keep Prometheus from port 8082 of argo-cd-argocd-application-controller-metrics's Pods",
    ]);
  });
});

describe('monitors follow the profile', () => {
  const ids = (profile: PlatformAddonsProps): string[] => {
    const monitoring = platformAddons(profile).declarations.find((d) => d.id === 'kube-prometheus-stack');
    return (monitoring?.companions ?? []).filter((o) => o.kind === 'ServiceMonitor').map((o) => o.metadata?.name ?? '');
  };
  const store = { storeName: 'platform-secrets', backend: { provider: 'kubernetes', namespace: 'secrets' } } as const;

  test('a component turned off gets no monitor; cert-manager with its own chart monitor gets none of ours', () => {
    expect(ids({ certManager: {}, externalSecrets: store }).sort()).toEqual([
      'groundwork-argo-cd-argocd-application-controller-metrics',
      'groundwork-cert-manager',
      'groundwork-external-secrets-metrics',
      'groundwork-kyverno-svc-metrics',
      'groundwork-loki',
    ]);
    expect(ids({ certManager: { serviceMonitor: true }, gitops: false, policy: false, logs: false }).sort()).toEqual(
      [],
    );
    expect(ids({ certManager: {}, gitops: { engine: 'flux' }, policy: { engine: 'gatekeeper' } })).toEqual([
      'groundwork-cert-manager',
      'groundwork-loki',
    ]);
  });

  test('no platform rules, or no monitoring: no monitors', () => {
    // the monitoring add-on without its PrometheusRule (and without the monitors already added)
    const decls = platformAddons({ certManager: {} }).declarations.map((d) =>
      d.id === 'kube-prometheus-stack'
        ? { ...d, companions: d.companions.filter((o) => o.kind !== 'PrometheusRule' && o.kind !== 'ServiceMonitor') }
        : d,
    );
    const monitorsOf = (ds: readonly AddonDeclaration[]): ManifestObject[] =>
      ds.flatMap((d) => d.companions).filter((o) => o.kind === 'ServiceMonitor');
    expect(monitorsOf(withPlatformMonitors(decls))).toEqual([]);
    const without = platformAddons({ certManager: {}, monitoring: false }).declarations;
    expect(monitorsOf(without)).toEqual([]);
  });
});

describe("Velero without its chart's ServiceMonitor", () => {
  // the cloud stacks turn the chart's monitor on: dev's profile with it off, and as shipped
  const dev = rendered('dev');
  const off = veleroVariant(dev, false);
  const on = veleroVariant(dev, true);
  const veleroOf = (r: EnvironmentRendering): AddonDeclaration => declarationOf(r, 'velero');
  const scraping = (r: EnvironmentRendering, monitors = platformMonitors(r)): string[] =>
    monitors.filter((m) => scrapedBy(m, servicesOf(veleroOf(r))).length > 0).map((m) => m.metadata?.name ?? '');

  test('exactly one monitor of ours scrapes exactly its metrics Service, and Prometheus reaches the server', () => {
    expect(alerted(off).map((d) => d.id)).toContain('velero');
    expect(scrapeProblems(off, veleroOf(off))).toEqual([]);
    expect(scraping(off)).toEqual(['groundwork-velero']);
    expect(veleroOf(off).requiresCrds).not.toContain('monitoring.coreos.com');
  });

  test("with it on, no monitor of ours scrapes Velero: the chart's does", () => {
    expect(at(veleroOf(on).values, 'metrics', 'serviceMonitor', 'enabled')).toBe(true);
    expect(scraping(on)).toEqual([]);
    expect(platformMonitors(on).map((m) => m.metadata?.name)).toEqual(
      platformMonitors(dev).map((m) => m.metadata?.name),
    );
    expect(platformMonitors(off)).toHaveLength(platformMonitors(on).length + 1);
  });

  test('planted: a wrong port, the metrics Service off, a default-deny policy, and our monitor beside the chart one', () => {
    const d = veleroOf(off);
    const badPort = withMonitor(off, 'groundwork-velero', (m) => ({
      ...m,
      spec: { ...(m.spec as Record<string, unknown>), endpoints: [{ port: 'monitoring', path: '/metrics' }] },
    }));
    expect(scrapeProblems(off, d, badPort)).toEqual(['velero: monitors scrape [], not velero alone']);
    const deny = {
      kind: 'NetworkPolicy',
      apiVersion: 'networking.k8s.io/v1',
      metadata: { name: 'deny', namespace: d.namespace },
    };
    const denied = {
      ...d,
      values: { ...d.values, metrics: { enabled: false } },
      companions: [...d.companions, { ...deny, spec: { podSelector: {}, policyTypes: ['Ingress'] } }],
    };
    const planted = {
      ...off,
      addons: { ...off.addons, declarations: off.addons.declarations.map((x) => (x === d ? denied : x)) },
    };
    expect(scrapeProblems(planted, denied)).toEqual([
      'velero: our values do not render velero (velero 12.1.0 templates/service.yaml)',
      "velero: NetworkPolicies keep Prometheus from port 8085 of velero's Pods",
    ]);
    // the chart's monitor on and ours still made: the platform would scrape the server twice
    expect(scraping(on, [...platformMonitors(on), ...platformMonitors(off)])).toEqual(['groundwork-velero']);
  });
});
