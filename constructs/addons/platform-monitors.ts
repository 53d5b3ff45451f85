/**
 * The platform's ServiceMonitors and PodMonitors: Prometheus scrapes only what a monitor selects, so
 * an alert on an add-on's metrics (platform-alert-rules.ts) needs one. Charts whose own monitor would
 * need the monitoring CRDs before the add-on installs (Argo CD, Kyverno, External Secrets and Loki
 * come before monitoring: it depends on them) offer their metrics Service instead (`metricsServices`),
 * or, when the chart renders none, the Pods serving the metrics (`metricsPods`: Gatekeeper).
 * cert-manager and Velero offer theirs only while their chart's monitor (`serviceMonitor`) is off.
 * The monitors are made here once every add-on is declared: in the monitoring namespace, with the
 * monitoring offer's selector labels, installed with the monitoring add-on's other objects (after its
 * CRDs), selecting the Service or Pods in the add-on's namespace.
 */
import type { ManifestObject } from '../policy/check-manifests';
import { type AddonDeclaration, companion } from './addon';
import type { MetricsPodsOffer, MetricsServiceOffer, MonitoringOffer } from './offers';
import { alertGroupName, PLATFORM_RULES_NAME } from './platform-alert-rules';

/** Name of the platform's monitor of a metrics Service or Pods (add-on Services are named after their release: unique). */
export function platformMonitorName(offer: MetricsServiceOffer | MetricsPodsOffer): string {
  return `groundwork-${offer.name}`;
}

/** A label selector: `matchLabels`, and `matchExpressions` from the offer's In and NotIn lists. */
function selectorOf(
  matchLabels: Readonly<Record<string, string>>,
  lists: {
    readonly In?: Readonly<Record<string, readonly string[]>>;
    readonly NotIn?: Readonly<Record<string, readonly string[]>>;
  },
): Record<string, unknown> {
  const matchExpressions = (['In', 'NotIn'] as const).flatMap((operator) =>
    Object.entries(lists[operator] ?? {}).map(([key, values]) => ({ key, operator, values: [...values] })),
  );
  return { matchLabels: { ...matchLabels }, ...(matchExpressions.length > 0 ? { matchExpressions } : {}) };
}

/**
 * A ServiceMonitor in the monitoring namespace scraping `service` in its own namespace. Prometheus
 * selects monitors by `monitoring.monitorLabels` in every namespace (kube-prometheus-stack 88.5.3
 * values.yaml `serviceMonitorNamespaceSelector: {}`) and may read Services, Endpoints and
 * EndpointSlices in all of them (templates/prometheus/clusterrole.yaml); the target keeps the
 * Service's namespace and name as its `namespace` and `job` labels.
 */
export function platformServiceMonitor(service: MetricsServiceOffer, monitoring: MonitoringOffer): ManifestObject {
  return companion(
    'monitoring.coreos.com/v1',
    'ServiceMonitor',
    platformMonitorName(service),
    monitoring.namespace,
    {
      spec: {
        namespaceSelector: { matchNames: [service.namespace] },
        selector: selectorOf(service.matchLabels, { NotIn: service.notIn }),
        endpoints: [{ port: service.port, path: service.path }],
      },
    },
    { labels: { ...monitoring.monitorLabels } },
  );
}

/**
 * A PodMonitor in the monitoring namespace scraping the container port `pods.port` of `pods` in
 * their own namespace. Prometheus selects PodMonitors by `monitoring.monitorLabels` in every
 * namespace too (kube-prometheus-stack 88.5.3 values.yaml `podMonitorNamespaceSelector: {}`,
 * `podMonitorSelectorNilUsesHelmValues`) and may read Pods in all of them
 * (templates/prometheus/clusterrole.yaml); `portNumber` is left out: the port is named.
 */
export function platformPodMonitor(pods: MetricsPodsOffer, monitoring: MonitoringOffer): ManifestObject {
  return companion(
    'monitoring.coreos.com/v1',
    'PodMonitor',
    platformMonitorName(pods),
    monitoring.namespace,
    {
      spec: {
        namespaceSelector: { matchNames: [pods.namespace] },
        selector: selectorOf(pods.matchLabels, { In: pods.in }),
        podMetricsEndpoints: [{ port: pods.port, path: pods.path }],
      },
    },
    { labels: { ...monitoring.monitorLabels } },
  );
}

/** The rule groups of the platform's PrometheusRule among `d`'s objects (none: no platform rules). */
function ruleGroupsOf(d: AddonDeclaration): string[] {
  const rules = d.companions.find((o) => o.kind === 'PrometheusRule' && o.metadata?.name === PLATFORM_RULES_NAME);
  const groups = (rules?.spec as { groups?: { name: string }[] } | undefined)?.groups ?? [];
  return groups.map((g) => g.name);
}

/**
 * Adds to the monitoring add-on's objects one ServiceMonitor per metrics Service and one PodMonitor
 * per metrics Pods offer of an add-on whose alerts the platform rules hold; without monitoring (or its
 * platform rules) nothing changes.
 */
export function withPlatformMonitors(decls: readonly AddonDeclaration[]): AddonDeclaration[] {
  const monitoringDecl = decls.find((d) => d.provides.monitoring !== undefined);
  const monitoring = monitoringDecl?.provides.monitoring;
  if (monitoringDecl === undefined || monitoring === undefined) return [...decls];
  const groups = ruleGroupsOf(monitoringDecl);
  const monitors = decls
    .filter((d) => groups.includes(alertGroupName(d.id)))
    .flatMap((d) => [
      ...(d.provides.metricsServices ?? []).map((s) => platformServiceMonitor(s, monitoring)),
      ...(d.provides.metricsPods ?? []).map((p) => platformPodMonitor(p, monitoring)),
    ]);
  if (monitors.length === 0) return [...decls];
  return decls.map((d) => (d === monitoringDecl ? { ...d, companions: [...d.companions, ...monitors] } : d));
}
