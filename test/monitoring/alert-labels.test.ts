/**
 * Every platform alert reads labels its series really carry in Prometheus. A scrape with
 * `honorLabels` false gives each series the target's labels (prometheus-operator: namespace, service,
 * pod, container, endpoint, job, instance) and keeps a metric's own label of the same name as
 * `exported_<name>` (Prometheus docs, scrape_config `honor_labels`): an alert printing or grouping by
 * `namespace` of such a metric names the exporter's namespace, not the watched object's.
 */
import { type AlertRule, platformAlertGroups } from '../../constructs/addons/platform-alert-rules';
import { type ManifestObject, platformAddons } from '../../constructs';

/** Labels the scrape target gives a series (prometheus-operator v0.93.0 pkg/prometheus/promcfg.go relabelings). */
const TARGET_LABELS = ['namespace', 'service', 'pod', 'container', 'endpoint', 'job', 'instance'];

/** A metric's own labels (its exporter at the catalog pin) and whether its monitor honours them. */
interface MetricLabels {
  readonly labels: readonly string[];
  readonly honorLabels: boolean;
}
const ours = (labels: string[]): MetricLabels => ({ labels, honorLabels: false });
const ksm = (labels: string[]): MetricLabels => ({ labels, honorLabels: true });
const CERT = ['name', 'namespace', 'issuer_name', 'issuer_kind', 'issuer_group'];

const METRICS: Readonly<Record<string, MetricLabels>> = {
  // cert-manager v1.19.6 internal/collectors/certificate_collector.go (ours, or the chart's monitor: honorLabels false)
  certmanager_certificate_expiration_timestamp_seconds: ours(CERT),
  certmanager_certificate_ready_status: ours([...CERT, 'condition']),
  // argo-cd v3.4.4 controller/metrics/metrics.go descAppInfo
  argocd_app_info: ours([
    ...['namespace', 'name', 'project', 'autosync_enabled', 'repo', 'dest_server', 'dest_namespace'],
    ...['sync_status', 'health_status', 'operation'],
  ]),
  // kube-state-metrics v2.20.0 custom resource state, as constructs/addons/flux-state-metrics.ts configures it
  gotk_resource_info: ksm([
    ...['customresource_group', 'customresource_version', 'customresource_kind'],
    ...['name', 'exported_namespace', 'ready', 'suspended'],
  ]),
  // velero v1.18.1 pkg/metrics/metrics.go
  velero_backup_failure_total: ours(['schedule']),
  velero_backup_last_successful_timestamp: ours(['schedule']),
  // kyverno v1.15.3 pkg/engine/metrics.go (the result counter's attributes)
  kyverno_policy_results_total: ours([
    ...['policy_validation_mode', 'policy_type', 'policy_background_mode', 'policy_namespace', 'policy_name'],
    ...['resource_kind', 'resource_namespace', 'resource_request_operation', 'rule_name', 'rule_result'],
    ...['rule_type', 'rule_execution_cause', 'dry_run'],
  ]),
  // gatekeeper v3.21.1 pkg/webhook/stats_reporter.go
  gatekeeper_validation_request_count: ours(['admission_status', 'admission_dryrun']),
  // external-secrets v2.9.0 pkg/controllers/metrics/labels.go ConditionMetricLabelNames
  externalsecret_status_condition: ours(['name', 'namespace', 'condition', 'status']),
  // loki v3.7.6 pkg/validation/validate.go (the labels the rule reads)
  loki_discarded_samples_total: ours(['reason', 'tenant']),
  // kube-state-metrics v2.20.0 internal/store/job.go and resourcequota.go (honorLabels: true)
  kube_job_status_failed: ksm(['namespace', 'job_name', 'reason']),
  kube_resourcequota: ksm(['namespace', 'resourcequota', 'resource', 'type']),
};

/** The labels a series of `metric` carries in Prometheus. */
function stored(m: MetricLabels): string[] {
  const own = m.labels.map((l) => (!m.honorLabels && TARGET_LABELS.includes(l) ? `exported_${l}` : l));
  return [...new Set([...own, ...TARGET_LABELS])];
}

/** The labels `rule` reads: in its summary, its matchers, and its by / ignoring / on clauses. */
function labelsRead(rule: AlertRule): string[] {
  const summary = [...rule.annotations.summary.matchAll(/\$labels\.(\w+)/g)].map((x) => x[1]);
  const matchers = [...rule.expr.matchAll(/[{,]\s*(\w+)\s*(?:=~|!~|!=|=)\s*"/g)].map((x) => x[1]);
  const clauses = [...rule.expr.matchAll(/\b(?:by|ignoring|on)\s*\(([^)]*)\)/g)].flatMap((x) =>
    x[1].split(',').map((l) => l.trim()),
  );
  return [...new Set([...summary, ...matchers, ...clauses])].filter((l) => l !== '' && l !== '__name__');
}

/** Why `rule` reads a label its series do not carry, or the target's where it means the metric's own. */
function labelProblems(rule: AlertRule, metrics = METRICS): string[] {
  const read = Object.keys(metrics).filter((name) => rule.expr.includes(name));
  if (read.length === 0) return [`${rule.alert}: reads no metric whose labels the test knows`];
  const problems: string[] = [];
  for (const label of labelsRead(rule)) {
    const renamed = read.filter((n) => !metrics[n].honorLabels && metrics[n].labels.includes(label));
    if (renamed.length > 0 && TARGET_LABELS.includes(label))
      problems.push(`${rule.alert}: reads ${label}, the scrape target's; ${renamed.join()}'s own is exported_${label}`);
    else if (!read.some((n) => stored(metrics[n]).includes(label)))
      problems.push(`${rule.alert}: ${read.join()} has no label ${label}`);
  }
  return problems;
}

const EVERY_RULE = [
  ...platformAlertGroups({ certManager: true, velero: true, restoreDrill: true, loki: true, externalSecrets: true }),
  ...platformAlertGroups({ gitops: 'argo-cd', policy: 'kyverno' }),
  ...platformAlertGroups({ gitops: 'flux', policy: 'gatekeeper' }),
].flatMap((g) => g.rules);
const ruleOf = (alert: string): AlertRule => EVERY_RULE.find((r) => r.alert === alert) as AlertRule;

describe('platform alerts read the labels their series carry', () => {
  test.each([...new Set(EVERY_RULE.map((r) => r.alert))])('%s', (alert) => {
    expect(labelProblems(ruleOf(alert))).toEqual([]);
  });

  test("the objects' namespaces are printed from exported_namespace where the metric has its own", () => {
    for (const alert of ['CertificateExpiringSoon', 'CertificateNotReady', 'ExternalSecretSyncFailed'])
      expect([alert, ruleOf(alert).annotations.summary]).toEqual([
        alert,
        expect.stringContaining('{{ $labels.exported_namespace }}/{{ $labels.name }}'),
      ]);
    // kube-state-metrics keeps the object's namespace as namespace
    expect(ruleOf('TenantQuotaNearlyFull').annotations.summary).toContain('{{ $labels.namespace }}');
  });

  test('the monitors scraping those metrics leave honorLabels false (the renaming the rules expect)', () => {
    const decls = platformAddons({
      certManager: { serviceMonitor: true },
      externalSecrets: { storeName: 's', backend: { provider: 'kubernetes', namespace: 'secrets' } },
    }).declarations;
    const monitors = decls
      .flatMap((d) => d.companions)
      .filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor');
    expect(monitors.length).toBeGreaterThan(0);
    type Endpoint = { readonly honorLabels?: unknown };
    const honoured = (o: ManifestObject): unknown[] => {
      const spec = o.spec as { endpoints?: Endpoint[]; podMetricsEndpoints?: Endpoint[] };
      return [...(spec.endpoints ?? []), ...(spec.podMetricsEndpoints ?? [])].map((e) => e.honorLabels);
    };
    expect(monitors.flatMap(honoured).filter((h) => h !== undefined)).toEqual([]);
    // cert-manager's chart monitor: our values leave its honorLabels at the chart's false
    const cm = decls.find((d) => d.id === 'cert-manager')?.values as { prometheus: { servicemonitor: object } };
    expect(cm.prometheus.servicemonitor).not.toHaveProperty('honorLabels');
  });
});

describe('the label check fails on planted bad input', () => {
  const planted = (alert: string, expr: string, summary: string): AlertRule => ({
    alert,
    expr,
    labels: { severity: 'warning' },
    annotations: { summary, runbook_url: '' },
  });

  test("printing an ExternalSecret's namespace as namespace (the controller's) is reported", () => {
    const r = planted('A', 'externalsecret_status_condition == 1', '{{ $labels.namespace }}/{{ $labels.name }}');
    expect(labelProblems(r)).toEqual([
      "A: reads namespace, the scrape target's; externalsecret_status_condition's own is exported_namespace",
    ]);
  });

  test('grouping certificates by namespace, a label kube-state-metrics does not rename, and an unknown metric', () => {
    const r = planted('B', 'count by (namespace) (certmanager_certificate_ready_status{condition="False"})', 's');
    expect(labelProblems(r)).toEqual([
      "B: reads namespace, the scrape target's; certmanager_certificate_ready_status's own is exported_namespace",
    ]);
    const q = planted('C', 'kube_resourcequota > 0', '{{ $labels.exported_namespace }} {{ $labels.quota }}');
    expect(labelProblems(q)).toEqual([
      'C: kube_resourcequota has no label exported_namespace',
      'C: kube_resourcequota has no label quota',
    ]);
    expect(labelProblems(planted('D', 'up == 0', 's'))).toEqual(['D: reads no metric whose labels the test knows']);
  });
});
