/**
 * Alerts on the platform itself: one PrometheusRule with a group per enabled component. Each
 * rule's metric and labels are as the exporter at its catalog pin defines them (named next to the
 * rule); every alert has a `severity` and a `runbook_url` into the README's Runbooks section.
 */
import type { ManifestObject } from '../policy/check-manifests';
import { MANAGED_BY } from '../internal/labels';
import type { AddonId } from './catalog';
import { FLUX_RESOURCE_INFO } from './flux-state-metrics';
import type { AddonContext } from './register';

/** Severities an alert may carry (Alertmanager routes on them). */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;

/** Page whose `Runbooks` section holds one entry per alert. */
export const RUNBOOK_PAGE = 'README.md';

/** The runbook of `alert`: the README heading `Runbook: <alert>` (GitHub's anchor of it). */
export function runbookUrl(alert: string): string {
  return `${RUNBOOK_PAGE}#runbook-${alert.toLowerCase()}`;
}

/** The name of the rule group watching add-on `id` (the platform's ServiceMonitors scrape the add-ons that have one). */
export function alertGroupName(id: AddonId): string {
  return `groundwork.${id}`;
}

/** One alerting rule as Prometheus reads it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: (typeof ALERT_SEVERITIES)[number] };
  readonly annotations: { readonly summary: string; readonly runbook_url: string };
}

/** A rule group. */
export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Which platform components the rules watch (those the environment enables). */
export interface PlatformRuleSources {
  /**
   * cert-manager: certificate expiry and failed issuance.
   * @default false
   */
  readonly certManager?: boolean;
  /**
   * The GitOps engine: Argo CD applications degraded or out of sync, or Flux objects not ready.
   * @default - none
   */
  readonly gitops?: 'argo-cd' | 'flux';
  /**
   * Velero: failed or missing backups.
   * @default false
   */
  readonly velero?: boolean;
  /**
   * Velero's restore drill: a failed drill Job.
   * @default false
   */
  readonly restoreDrill?: boolean;
  /**
   * The policy engine: Kyverno rule errors or Gatekeeper admission errors.
   * @default - none
   */
  readonly policy?: 'kyverno' | 'gatekeeper';
  /**
   * External Secrets: ExternalSecrets that fail to sync.
   * @default false
   */
  readonly externalSecrets?: boolean;
  /**
   * Loki: log lines discarded at ingestion.
   * @default false
   */
  readonly loki?: boolean;
}

function rule(
  alert: string,
  severity: AlertRule['labels']['severity'],
  expr: string,
  forDuration: string | undefined,
  summary: string,
): AlertRule {
  return {
    alert,
    expr,
    ...(forDuration !== undefined ? { for: forDuration } : {}),
    labels: { severity },
    annotations: { summary, runbook_url: runbookUrl(alert) },
  };
}

/**
 * A metric's own `namespace` label (the watched object's) as Prometheus stores it when the scraping
 * monitor leaves `honorLabels` false (the platform's monitors, and cert-manager's chart monitor:
 * v1.19.6 deploy/charts/cert-manager values.yaml `prometheus.servicemonitor.honorLabels: false`): the
 * target's `namespace` (the exporter's) wins and the metric's is kept as `exported_namespace`
 * (Prometheus docs, scrape_config `honor_labels`). kube-state-metrics is scraped with `honorLabels: true`
 * (kube-prometheus-stack 88.5.3 values.yaml `kube-state-metrics.prometheus.monitor.http.honorLabels`).
 */
const OBJECT_NAMESPACE = '{{ $labels.exported_namespace }}';

/**
 * cert-manager v1.19.6 internal/collectors/certificate_collector.go:
 * `certmanager_certificate_expiration_timestamp_seconds{name, namespace, issuer_name, …}` and
 * `certmanager_certificate_ready_status{name, namespace, condition, …}` (condition True/False/Unknown);
 * the Certificate's namespace is stored as `exported_namespace` (OBJECT_NAMESPACE).
 */
const CERT_MANAGER: AlertGroup = {
  name: alertGroupName('cert-manager'),
  rules: [
    rule(
      'CertificateExpiringSoon',
      'warning',
      'certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600',
      '1h',
      `Certificate ${OBJECT_NAMESPACE}/{{ $labels.name }} expires in less than 14 days (renewal is failing)`,
    ),
    rule(
      'CertificateNotReady',
      'warning',
      'certmanager_certificate_ready_status{condition="False"} == 1',
      '30m',
      `Certificate ${OBJECT_NAMESPACE}/{{ $labels.name }} is not Ready: issuance fails`,
    ),
  ],
};

/**
 * argo-cd v3.4.4 controller/metrics/metrics.go: `argocd_app_info{namespace, name, project, …,
 * dest_namespace, sync_status, health_status}`, one series per Application with value 1 (its
 * `namespace`, the Application's, is stored as `exported_namespace`: OBJECT_NAMESPACE).
 */
const ARGO_CD: AlertGroup = {
  name: alertGroupName('argo-cd'),
  rules: [
    rule(
      'ArgoCdAppDegraded',
      'critical',
      'argocd_app_info{health_status="Degraded"} == 1',
      '15m',
      'Argo CD application {{ $labels.name }} is Degraded',
    ),
    rule(
      'ArgoCdAppOutOfSync',
      'warning',
      'argocd_app_info{sync_status="OutOfSync"} == 1',
      '30m',
      'Argo CD application {{ $labels.name }} is OutOfSync for 30 minutes',
    ),
  ],
};

/**
 * `gotk_resource_info{customresource_kind, exported_namespace, name, ready, suspended}` (value 1),
 * made by kube-state-metrics from the Flux objects (flux-state-metrics.ts): the controllers at the
 * pins no longer set `gotk_reconcile_condition`. Suspended objects are left out.
 */
const FLUX: AlertGroup = {
  name: alertGroupName('flux'),
  rules: [
    rule(
      'FluxResourceNotReady',
      'warning',
      `${FLUX_RESOURCE_INFO}{ready="False", suspended!="true"} == 1`,
      '15m',
      'Flux {{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} is not Ready for 15 minutes',
    ),
  ],
};

/**
 * velero v1.18.1 pkg/metrics/metrics.go: `velero_backup_failure_total{schedule}` (counter) and
 * `velero_backup_last_successful_timestamp{schedule}` (gauge, Unix seconds).
 */
const VELERO: AlertGroup = {
  name: alertGroupName('velero'),
  rules: [
    rule(
      'VeleroBackupFailed',
      'warning',
      'increase(velero_backup_failure_total{schedule!=""}[1h]) > 0',
      undefined,
      'A backup of schedule {{ $labels.schedule }} failed in the last hour',
    ),
    rule(
      'VeleroBackupMissing',
      'critical',
      'time() - velero_backup_last_successful_timestamp{schedule!=""} > 26 * 3600',
      '15m',
      'Schedule {{ $labels.schedule }} has had no successful backup for more than 26 hours',
    ),
  ],
};

/** kube-state-metrics `kube_job_status_failed{job_name}`: the drill's Jobs are named `restore-drill-<time>` by their CronJob. */
const RESTORE_DRILL: AlertGroup = {
  name: 'groundwork.restore-drill',
  rules: [
    rule(
      'RestoreDrillFailed',
      'warning',
      'kube_job_status_failed{job_name=~"restore-drill-[0-9]+"} > 0',
      undefined,
      'Restore drill Job {{ $labels.job_name }} failed',
    ),
  ],
};

/**
 * kyverno v1.15.3 pkg/engine/engine.go and pkg/engine/metrics.go: the OpenTelemetry counter
 * `kyverno_policy_results` (exported with `_total`, pkg/metrics/metrics.go) with `rule_result`
 * `error` (pkg/metrics/common_types.go).
 */
const KYVERNO: AlertGroup = {
  name: alertGroupName('kyverno'),
  rules: [
    rule(
      'KyvernoPolicyErrors',
      'warning',
      'sum by (policy_name, rule_name) (increase(kyverno_policy_results_total{rule_result="error"}[10m])) > 0',
      '10m',
      'Kyverno policy {{ $labels.policy_name }} rule {{ $labels.rule_name }} errors while evaluating requests',
    ),
  ],
};

/**
 * gatekeeper v3.21.1 pkg/webhook/stats_reporter.go and common.go: the counter
 * `validation_request_count{admission_status}` with status `error`, namespace `gatekeeper`; its docs
 * (website/docs/metrics.md) name it without `_total`, while the OpenTelemetry Prometheus exporter it
 * uses (v0.54.0, pkg/metrics/exporters/prometheus) appends `_total` to counters: both are matched.
 */
const GATEKEEPER: AlertGroup = {
  name: alertGroupName('gatekeeper'),
  rules: [
    rule(
      'GatekeeperAdmissionErrors',
      'warning',
      'sum(increase({__name__=~"gatekeeper_validation_request_count(_total)?", admission_status="error"}[10m])) > 0',
      '10m',
      'Gatekeeper answers admission requests with errors',
    ),
  ],
};

/**
 * external-secrets v2.9.0 pkg/controllers/externalsecret/esmetrics/esmetrics.go and
 * pkg/controllers/metrics/labels.go: `externalsecret_status_condition{name, namespace, condition, status}`;
 * the ExternalSecret's namespace is stored as `exported_namespace` (OBJECT_NAMESPACE).
 */
const EXTERNAL_SECRETS: AlertGroup = {
  name: alertGroupName('external-secrets'),
  rules: [
    rule(
      'ExternalSecretSyncFailed',
      'warning',
      'externalsecret_status_condition{condition="Ready", status="False"} == 1',
      '15m',
      `ExternalSecret ${OBJECT_NAMESPACE}/{{ $labels.name }} fails to sync from the secret store`,
    ),
  ],
};

/**
 * loki v3.7.6 pkg/validation/validate.go: `loki_discarded_samples_total{reason, tenant, …}`
 * (namespace `loki`, pkg/util/constants/metrics_namespace.go).
 */
const LOKI: AlertGroup = {
  name: alertGroupName('loki'),
  rules: [
    rule(
      'LokiIngestionDiscarding',
      'warning',
      'sum by (tenant, reason) (rate(loki_discarded_samples_total[5m])) > 0',
      '15m',
      'Loki discards log lines of tenant {{ $labels.tenant }} ({{ $labels.reason }})',
    ),
  ],
};

/**
 * kube-state-metrics v2.20.0 (kube-prometheus-stack 88.5.3) internal/store/resourcequota.go:
 * `kube_resourcequota{namespace, resourcequota, resource, type}` with type `hard` or `used`.
 */
const QUOTA: AlertGroup = {
  name: 'groundwork.tenancy',
  rules: [
    rule(
      'TenantQuotaNearlyFull',
      'warning',
      'kube_resourcequota{type="used"} / ignoring(type) (kube_resourcequota{type="hard"} > 0) > 0.9',
      '15m',
      'Namespace {{ $labels.namespace }} uses more than 90% of its {{ $labels.resource }} quota',
    ),
  ],
};

/** The rule groups of the enabled components; the quota group always (kube-state-metrics ships with the monitoring add-on). */
export function platformAlertGroups(sources: PlatformRuleSources): AlertGroup[] {
  return [
    ...(sources.certManager === true ? [CERT_MANAGER] : []),
    ...(sources.gitops === 'argo-cd' ? [ARGO_CD] : sources.gitops === 'flux' ? [FLUX] : []),
    ...(sources.velero === true ? [VELERO] : []),
    ...(sources.restoreDrill === true ? [RESTORE_DRILL] : []),
    ...(sources.policy === 'kyverno' ? [KYVERNO] : sources.policy === 'gatekeeper' ? [GATEKEEPER] : []),
    ...(sources.externalSecrets === true ? [EXTERNAL_SECRETS] : []),
    ...(sources.loki === true ? [LOKI] : []),
    QUOTA,
  ];
}

/** Name of the platform's PrometheusRule. */
export const PLATFORM_RULES_NAME = 'groundwork-platform-alerts';

/** The PrometheusRule holding `groups`, labelled as Prometheus selects rules. */
export function platformRulesObject(
  namespace: string,
  groups: readonly AlertGroup[],
  selectorLabels: Readonly<Record<string, string>>,
): ManifestObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: PLATFORM_RULES_NAME, namespace, labels: { ...MANAGED_BY, ...selectorLabels } },
    spec: { groups: groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r })) })) },
  };
}

/** The profile keys the monitoring entry reads (declared after it). */
export interface MonitoringReads {
  readonly externalSecrets?: { readonly storeName: string } | false;
  readonly gitops?: { readonly engine: 'argo-cd' | 'flux' } | false;
  readonly policy?: { readonly engine: 'kyverno' | 'gatekeeper' } | false;
}

/**
 * The enabled components the platform rules watch: those declared before monitoring, and the
 * engines of the keys declared after it (their entries' defaults: argo-cd and kyverno when left out).
 */
export function platformRuleSources(ctx: AddonContext<MonitoringReads>): PlatformRuleSources {
  const has = (id: string): boolean => ctx.declared.some((d) => d.id === id);
  const { gitops, policy, externalSecrets } = ctx.profile;
  return {
    certManager: has('cert-manager'),
    velero: has('velero'),
    ...(ctx.declared.some((d) => d.companions.some((o) => o.kind === 'CronJob' && o.metadata?.name === 'restore-drill'))
      ? { restoreDrill: true }
      : {}),
    loki: has('loki'),
    externalSecrets: externalSecrets !== undefined && externalSecrets !== false,
    ...(gitops !== false ? { gitops: gitops?.engine ?? 'argo-cd' } : {}),
    ...(policy !== false ? { policy: policy?.engine ?? 'kyverno' } : {}),
  };
}
