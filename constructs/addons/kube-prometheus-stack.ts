import * as rules from '../internal/rules';
import type { LogsOffer, MonitoringOffer } from './offers';
import { fluxStateMetricsValues } from './flux-state-metrics';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  chartNamespace,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { objectSpec, type PropsValidator } from '../internal/validator';
import type { PodSecurityLevel } from '../internal/labels';
import { type AddonContext, part, registerAddon } from './register';
import {
  dashboardConfigMaps,
  GRAFANA_ADMIN_SECRET,
  type GrafanaAdminSource,
  grafanaAdminPrerequisites,
  grafanaValues,
  PLATFORM_OVERVIEW_DASHBOARD,
} from './kube-prometheus-stack-grafana';
import {
  ALERT_RECEIVERS_SECRET,
  ALERT_ROUTING_SPEC,
  alertmanagerConfig,
  alertReceiversSecret,
  type AlertRouting,
  checkAlertRouting,
} from './kube-prometheus-stack-alerting';
import { checkGrafanaSso, GRAFANA_SSO_SPEC, type GrafanaSso, oidcClientSecret } from './oidc-sso';
import {
  type MonitoringReads,
  platformAlertGroups,
  platformRuleSources,
  platformRulesObject,
  type PlatformRuleSources,
} from './platform-alert-rules';

export { GRAFANA_ADMIN_SECRET, lokiDataSource, PLATFORM_OVERVIEW_DASHBOARD } from './kube-prometheus-stack-grafana';
export type { GrafanaAdminSource } from './kube-prometheus-stack-grafana';

/**
 * The label Prometheus selects ServiceMonitors, PodMonitors, PrometheusRules, Probes and ScrapeConfigs
 * by, in every namespace: `release: <release name>` (kube-prometheus-stack 88.5.3
 * templates/prometheus/prometheus.yaml, `*SelectorNilUsesHelmValues` with no explicit selector; the
 * release name is the add-on id). Monitoring objects outside the chart must carry it to be scraped.
 */
export const PROMETHEUS_SELECTOR_LABELS: Readonly<Record<string, string>> = { release: 'kube-prometheus-stack' };

/** Props of the monitoring add-on (kube-prometheus-stack: Prometheus, Alertmanager, Grafana). */
export interface MonitoringProps extends AddonProps {
  /**
   * How long Prometheus keeps samples.
   * @default '7d'
   */
  readonly retention?: string;
  /**
   * Prometheus volume size; omit for an emptyDir (local clusters).
   * @default - emptyDir
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the Prometheus volume (only with `storageSize`).
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
  /**
   * Grafana admin credentials. Without this the chart would generate a password on every render
   * (grafana 10.1.4 templates/_helpers.tpl: `lookup`, empty under Argo CD, then `randAlphaNum`),
   * restarting Grafana and leaving the Application OutOfSync.
   * @default { existingSecret: 'grafana-admin' }
   */
  readonly grafanaAdmin?: GrafanaAdminSource;
  /**
   * Requests of Prometheus, Alertmanager and Grafana.
   * @default prometheus 200m/512Mi, alertmanager 20m/64Mi, grafana 50m/128Mi
   */
  readonly sizes?: {
    readonly prometheus?: ComponentSize;
    readonly alertmanager?: ComponentSize;
    readonly grafana?: ComponentSize;
  };
  /**
   * Grafana dashboards shipped as ConfigMaps (name to dashboard JSON model).
   * @default - a platform overview dashboard
   */
  readonly dashboards?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The log store Grafana queries: a Loki data source, sending the store's tenant as `X-Scope-OrgID`.
   * `platformAddons` passes what the logs add-on provides.
   * @default - no logs data source
   */
  readonly logs?: LogsOffer;
  /**
   * Namespace prometheus-node-exporter runs in. Its DaemonSet needs host namespaces and hostPath
   * (Pod Security `privileged`); in a namespace of its own, the monitoring namespace needs only
   * `baseline`. The same name as `namespace` keeps it there (and that namespace privileged).
   * @default 'node-exporter'
   */
  readonly nodeExporterNamespace?: string;
  /**
   * The platform components alerted on (constructs/addons/platform-alert-rules.ts): one PrometheusRule
   * in the monitoring namespace; `false` ships none, nor the platform's monitors of the add-ons'
   * metrics (platform-monitors.ts). The profile entry names the enabled add-ons.
   * @default - the resource-quota alert only
   */
  readonly platformRules?: PlatformRuleSources | false;
  /**
   * Single sign-on through an OIDC provider: Grafana signs users in there, with no password login (the
   * admin's included); the client secret comes from the secret store through an ExternalSecret.
   * @default - none: the admin account logs in
   */
  readonly sso?: GrafanaSso;
  /**
   * Alertmanager's receivers and routes (kube-prometheus-stack-alerting.ts), their URLs and keys
   * read from the secret store; the profile entry fills `secretStore`.
   * @default - the chart's configuration: every alert to a receiver that sends nothing
   */
  readonly alerting?: AlertRouting;
}

/** Checks Grafana's admin Secret, Prometheus' storage and retention, and the logs offer Grafana reads. */
function validateMonitoring(
  v: PropsValidator,
  props: MonitoringProps,
  admin: NonNullable<MonitoringProps['grafanaAdmin']>,
  retention: string,
): void {
  v.check(
    'grafanaAdmin.existingSecret',
    'existingSecret' in admin ? admin.existingSecret : undefined,
    rules.dns1123Subdomain,
  );
  if ('secretStore' in admin) {
    v.check('grafanaAdmin.secretStore', admin.secretStore, rules.dns1123Subdomain);
    if (!admin.remoteKey)
      v.fail('grafanaAdmin.remoteKey', admin.remoteKey, 'must name the key holding username and password in the store');
  }
  if (props.storageClassName !== undefined && props.storageSize === undefined)
    v.fail('storageClassName', props.storageClassName, 'needs storageSize (Prometheus uses an emptyDir without it)');
  v.check('storageClassName', props.storageClassName, rules.dns1123Subdomain);
  v.check('retention', retention, (r) =>
    /^\d+(h|d|w)$/.test(r) ? undefined : 'must be a Prometheus duration such as "7d"',
  );
  v.check('storageSize', props.storageSize, rules.bytesQuantity);
  if (props.logs !== undefined) {
    v.check('logs.queryUrl', props.logs.queryUrl, (u) =>
      /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?(\/\S*)?$/.test(u)
        ? undefined
        : 'must be an http(s) URL such as "http://loki.logging.svc:3100"',
    );
    // Loki tenant IDs: up to 150 bytes of letters, digits and !-_.*'() (grafana/loki docs/sources/operations/multi-tenancy.md)
    v.check('logs.tenant', props.logs.tenant, (t) =>
      /^[A-Za-z0-9!_.*'()-]{1,150}$/.test(t) && t !== '.' && t !== '..'
        ? undefined
        : 'must be a Loki tenant ID: 1-150 of letters, digits and !-_.*\'(), not "." or ".."',
    );
  }
}

/** Prometheus: its retention and requests, monitors selected by label only, and a volume when `storageSize` is set. */
function prometheusSpecOf(
  props: MonitoringProps,
  retention: string,
  prometheus: ComponentSize,
): Record<string, unknown> {
  const prometheusSpec: Record<string, unknown> = {
    retention,
    resources: requestsOf(prometheus),
    // select monitoring objects labelled PROMETHEUS_SELECTOR_LABELS only (the chart's defaults, kept
    // explicit): `false` selects every ServiceMonitor, PodMonitor, rule, Probe and ScrapeConfig of every
    // namespace (kube-prometheus-stack 88.5.3 values.yaml 4441-4561, templates/prometheus/prometheus.yaml 193-297)
    serviceMonitorSelectorNilUsesHelmValues: true,
    podMonitorSelectorNilUsesHelmValues: true,
    ruleSelectorNilUsesHelmValues: true,
    probeSelectorNilUsesHelmValues: true,
    scrapeConfigSelectorNilUsesHelmValues: true,
    // arbitraryFSAccessThroughSMs stays off: with `deny` the operator drops every ServiceMonitor whose
    // endpoints name bearerTokenFile or tlsConfig ca/cert/keyFile (prometheus-operator v0.93.0
    // pkg/prometheus/resource_selector.go testForArbitraryFSAccess), and the chart's own kubelet,
    // apiserver, controller-manager, scheduler and kube-proxy monitors read Prometheus' ServiceAccount
    // token that way (88.5.3 templates/_helpers.tpl kube-prometheus-stack.kubelet.authConfig,
    // templates/exporters/*/servicemonitor.yaml): KubeletDown and KubeAPIDown would fire for good.
    // Tenant ServiceMonitors must be kept from naming files by admission instead.
  };
  if (props.storageSize) {
    const claim: Record<string, unknown> = {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: props.storageSize } },
    };
    if (props.storageClassName !== undefined) claim.storageClassName = props.storageClassName;
    prometheusSpec.storageSpec = { volumeClaimTemplate: { spec: claim } };
  }
  return prometheusSpec;
}

/** What the add-on offers others: where Prometheus runs and is reached, and the labels it selects monitors by. */
function monitoringOffer(namespace: string): MonitoringOffer {
  return {
    namespace,
    // the Prometheus Pods, by the label the operator puts on them (prometheus-operator v0.93.0
    // pkg/prometheus/server/operator.go makeSelectorLabels: app.kubernetes.io/name: prometheus)
    prometheus: { namespace, podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    prometheusUrl: `http://kube-prometheus-stack-prometheus.${namespace}.svc:9090`,
    monitorLabels: PROMETHEUS_SELECTOR_LABELS,
  };
}

/** The validator of {@link MonitoringProps}: the shapes of its fields. */
function monitoringValidator(props: MonitoringProps): PropsValidator {
  return addonValidator('kube-prometheus-stack', props, {
    retention: 'string',
    storageSize: 'string',
    storageClassName: 'string',
    grafanaAdmin: 'object',
    sizes: objectSpec<NonNullable<MonitoringProps['sizes']>>({
      prometheus: SIZE_SPEC,
      alertmanager: SIZE_SPEC,
      grafana: SIZE_SPEC,
    }),
    dashboards: 'object',
    logs: objectSpec<LogsOffer>({ queryUrl: 'string', tenant: 'string', namespace: 'string' }, [
      'queryUrl',
      'namespace',
    ]),
    nodeExporterNamespace: 'string',
    platformRules: ['object', 'false'],
    sso: GRAFANA_SSO_SPEC,
    alerting: ALERT_ROUTING_SPEC,
  });
}

/**
 * kube-state-metrics and prometheus-node-exporter: requests, no Secret collector, the node exporter's
 * own namespace, and Flux objects' readiness when the platform rules watch Flux (flux-state-metrics.ts).
 */
function exporterValues(
  exporter: ComponentSize,
  nodeExporterNamespace: string | undefined,
  fluxStates: boolean,
): Record<string, unknown> {
  return {
    'kube-state-metrics': {
      resources: requestsOf(exporter),
      ...(fluxStates ? fluxStateMetricsValues() : {}),
      // no Secret metadata in Prometheus, and no cluster-wide list/watch of Secrets: kube-state-metrics
      // 8.4.0 templates/_helpers.tpl kube-state-metrics.collectors drops excluded collectors from
      // --resources, and templates/role.yaml (191-196) grants secrets only to an active collector
      collectorsExclude: ['secrets'],
    },
    'prometheus-node-exporter': {
      resources: requestsOf(exporter),
      // prometheus-node-exporter 4.56.1 templates/_helpers.tpl: namespaceOverride places the DaemonSet,
      // Service, ServiceAccount and ServiceMonitor (monitor-namespace) there; its ServiceMonitor keeps
      // the release label (kube-prometheus-stack 88.5.3 values.yaml `releaseLabel: true`)
      ...(nodeExporterNamespace !== undefined ? { namespaceOverride: nodeExporterNamespace } : {}),
    },
  };
}

/** Alertmanager: its requests and, with `alerting`, the receivers' Secret mounted and the routing configuration. */
function alertmanagerValues(size: ComponentSize, alerting: AlertRouting | undefined): Record<string, unknown> {
  if (alerting === undefined) return { alertmanagerSpec: { resources: requestsOf(size) } };
  // the operator mounts each of alertmanagerSpec.secrets at /etc/alertmanager/secrets/<name>/ (88.5.3 values.yaml)
  return {
    alertmanagerSpec: { resources: requestsOf(size), secrets: [ALERT_RECEIVERS_SECRET] },
    config: alertmanagerConfig(alerting),
  };
}

/** kube-prometheus-stack, with Grafana's dashboard sidecar reading ConfigMaps labelled `grafana_dashboard`. */
export function kubePrometheusStack(props: MonitoringProps = {}): AddonDeclaration {
  const v = monitoringValidator(props);
  const admin = props.grafanaAdmin ?? { existingSecret: GRAFANA_ADMIN_SECRET };
  const adminSecret = 'existingSecret' in admin ? admin.existingSecret : GRAFANA_ADMIN_SECRET;
  const retention = props.retention ?? '7d';
  validateMonitoring(v, props, admin, retention);
  if (props.sso !== undefined) checkGrafanaSso(v, props.sso);
  if (props.alerting !== undefined) checkAlertRouting(v, props.alerting);
  const dashboards = props.dashboards ?? { 'platform-overview': PLATFORM_OVERVIEW_DASHBOARD };
  const namespace = props.namespace ?? 'monitoring';
  const nodeExporterNamespace = props.nodeExporterNamespace ?? 'node-exporter';
  v.check('nodeExporterNamespace', nodeExporterNamespace, rules.dns1123Label);
  const ownNodeExporterNamespace = nodeExporterNamespace !== namespace;
  // what is left in the monitoring namespace (operator, Prometheus, Alertmanager, Grafana,
  // kube-state-metrics, the webhook Jobs) uses no host namespace, hostPath or privileged container;
  // `restricted` is not claimed: Grafana's initChownData (runs as root with CHOWN, with persistence)
  // and its helm-test Pod (no security context) would not meet it (grafana-community/helm-charts
  // grafana-12.11.1 values.yaml initChownData.securityContext, testFramework.securityContext)
  const podSecurity: PodSecurityLevel = ownNodeExporterNamespace ? 'baseline' : 'privileged';
  for (const name of Object.keys(dashboards)) v.check(`dashboards[${JSON.stringify(name)}]`, name, rules.dns1123Label);
  const prometheus = { cpu: '200m', memory: '512Mi', ...props.sizes?.prometheus };
  const alertmanager = { cpu: '20m', memory: '64Mi', ...props.sizes?.alertmanager };
  const grafana = { cpu: '50m', memory: '128Mi', ...props.sizes?.grafana };
  const operator = { cpu: '50m', memory: '64Mi' };
  const exporter = { cpu: '10m', memory: '32Mi' };
  const prometheusSpec = prometheusSpecOf(props, retention, prometheus);
  return declareAddon({
    id: 'kube-prometheus-stack',
    props,
    validator: v,
    defaultNamespace: namespace,
    values: {
      crds: { enabled: true },
      prometheus: { prometheusSpec },
      alertmanager: alertmanagerValues(alertmanager, props.alerting),
      grafana: grafanaValues(props.logs, adminSecret, grafana, namespace, props.sso),
      prometheusOperator: { resources: requestsOf(operator) },
      ...exporterValues(
        exporter,
        ownNodeExporterNamespace ? nodeExporterNamespace : undefined,
        props.platformRules !== false && props.platformRules?.gitops === 'flux',
      ),
    },
    providesCrds: ['monitoring.coreos.com'],
    // prometheus-node-exporter runs with hostNetwork, hostPID and hostPath mounts (prometheus-community/helm-charts
    // prometheus-node-exporter-4.56.1 values.yaml hostNetwork, hostPID, hostRootFsMount):
    // privileged only where it runs
    podSecurity,
    // Service `<fullname>-prometheus` on prometheus.service.port 9090; fullname is the release name when it
    // contains the chart name (88.5.3 templates/_helpers.tpl, templates/prometheus/service.yaml)
    provides: (namespace) => ({ monitoring: monitoringOffer(namespace) }),
    // the node exporter's Namespace exists before the chart puts its DaemonSet there
    prerequisites: (namespace) => [
      ...('secretStore' in admin ? grafanaAdminPrerequisites(namespace, podSecurity, admin) : []),
      ...(ownNodeExporterNamespace ? [chartNamespace(nodeExporterNamespace, 'privileged')] : []),
    ],
    components: {
      prometheus,
      alertmanager,
      grafana,
      operator,
      kubeStateMetrics: exporter,
      nodeExporter: { ...exporter, perNode: true },
    },
    companions: (namespace) => [
      ...dashboardConfigMaps(dashboards, namespace),
      ...(props.sso !== undefined ? [oidcClientSecret(namespace, props.sso)] : []),
      ...(props.alerting?.secretStore !== undefined
        ? [alertReceiversSecret(namespace, { ...props.alerting, secretStore: props.alerting.secretStore })]
        : []),
      ...(props.platformRules !== false
        ? [platformRulesObject(namespace, platformAlertGroups(props.platformRules ?? {}), PROMETHEUS_SELECTOR_LABELS)]
        : []),
    ],
  });
}

/**
 * The profile's `monitoring` key: kube-prometheus-stack. Grafana queries the logs where the log
 * store says they are, and reads its admin Secret from the profile's secret store when there is one.
 */
export const kubePrometheusStackAddon = registerAddon({
  profileKey: 'monitoring',
  defaultProps: {},
  declare: (props: MonitoringProps, ctx: AddonContext<MonitoringReads>) => {
    const es = ctx.profile.externalSecrets;
    const grafanaAdmin =
      es !== undefined && es !== false ? { secretStore: es.storeName, remoteKey: 'grafana-admin' } : undefined;
    const logs = ctx.declared.find((d) => d.provides.logs !== undefined)?.provides.logs;
    // the receivers' entries live in the profile's store, as Grafana's admin secret does
    const alerting =
      props.alerting !== undefined && es !== undefined && es !== false
        ? { alerting: { secretStore: es.storeName, ...props.alerting } }
        : {};
    return kubePrometheusStack({
      ...(grafanaAdmin ? { grafanaAdmin } : {}),
      ...(logs ? { logs } : {}),
      platformRules: platformRuleSources(ctx),
      ...props,
      ...alerting,
    });
  },
  example: { retention: '7d' },
  parts: [part('kube-prometheus-stack', kubePrometheusStack, { retention: '7d' })],
});
