/**
 * The platform's ServiceMonitors: Prometheus scrapes only what a monitor selects, so an alert on an
 * add-on's metrics (platform-alert-rules.ts) needs one. Charts whose own monitor would need the
 * monitoring CRDs before the add-on installs (Argo CD, Kyverno, External Secrets and Loki come
 * before monitoring: it depends on them) offer their metrics Service instead (`metricsServices`),
 * and the monitors are made here once every add-on is declared: in the monitoring namespace, with
 * the monitoring offer's selector labels, installed with the monitoring add-on's other objects (after
 * its CRDs), selecting the Service in the add-on's namespace.
 */
import type { ManifestObject } from '../policy/check-manifests';
import { type AddonDeclaration, companion } from './addon';
import type { MetricsServiceOffer, MonitoringOffer } from './offers';
import { alertGroupName, PLATFORM_RULES_NAME } from './platform-alert-rules';

/** Name of the platform's ServiceMonitor of a metrics Service (add-on Services are named after their release: unique). */
export function platformMonitorName(service: MetricsServiceOffer): string {
  return `groundwork-${service.name}`;
}

/**
 * A ServiceMonitor in the monitoring namespace scraping `service` in its own namespace. Prometheus
 * selects monitors by `monitoring.monitorLabels` in every namespace (kube-prometheus-stack 88.5.3
 * values.yaml `serviceMonitorNamespaceSelector: {}`) and may read Services, Endpoints and
 * EndpointSlices in all of them (templates/prometheus/clusterrole.yaml); the target keeps the
 * Service's namespace and name as its `namespace` and `job` labels.
 */
export function platformServiceMonitor(service: MetricsServiceOffer, monitoring: MonitoringOffer): ManifestObject {
  const matchExpressions = Object.entries(service.notIn ?? {}).map(([key, values]) => ({
    key,
    operator: 'NotIn',
    values: [...values],
  }));
  return companion(
    'monitoring.coreos.com/v1',
    'ServiceMonitor',
    platformMonitorName(service),
    monitoring.namespace,
    {
      spec: {
        namespaceSelector: { matchNames: [service.namespace] },
        selector: {
          matchLabels: { ...service.matchLabels },
          ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
        },
        endpoints: [{ port: service.port, path: service.path }],
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
 * Adds to the monitoring add-on's objects one ServiceMonitor per metrics Service an add-on offers
 * whose alerts the platform rules hold; without monitoring (or its platform rules) nothing changes.
 */
export function withPlatformMonitors(decls: readonly AddonDeclaration[]): AddonDeclaration[] {
  const monitoringDecl = decls.find((d) => d.provides.monitoring !== undefined);
  const monitoring = monitoringDecl?.provides.monitoring;
  if (monitoringDecl === undefined || monitoring === undefined) return [...decls];
  const groups = ruleGroupsOf(monitoringDecl);
  const monitors = decls
    .filter((d) => groups.includes(alertGroupName(d.id)))
    .flatMap((d) => (d.provides.metricsServices ?? []).map((s) => platformServiceMonitor(s, monitoring)));
  if (monitors.length === 0) return [...decls];
  return decls.map((d) => (d === monitoringDecl ? { ...d, companions: [...d.companions, ...monitors] } : d));
}
