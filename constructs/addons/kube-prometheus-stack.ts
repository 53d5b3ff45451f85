import * as rules from '../internal/rules';
import { AddonDeclaration, AddonProps, addonValidator, companion, ComponentSize, declareAddon, requestsOf } from './addon';

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
   * Requests of Prometheus, Alertmanager and Grafana.
   * @default prometheus 200m/512Mi, alertmanager 20m/64Mi, grafana 50m/128Mi
   */
  readonly sizes?: { readonly prometheus?: ComponentSize; readonly alertmanager?: ComponentSize; readonly grafana?: ComponentSize };
  /**
   * Grafana dashboards shipped as ConfigMaps (name to dashboard JSON model).
   * @default - a platform overview dashboard
   */
  readonly dashboards?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A small overview dashboard: replicas available and restarts per namespace. */
export const PLATFORM_OVERVIEW_DASHBOARD: Readonly<Record<string, unknown>> = {
  title: 'Platform overview',
  uid: 'groundwork-overview',
  schemaVersion: 39,
  time: { from: 'now-6h', to: 'now' },
  panels: [
    {
      type: 'timeseries', title: 'Unavailable replicas by namespace', gridPos: { x: 0, y: 0, w: 12, h: 8 },
      targets: [{ expr: 'sum by (namespace) (kube_deployment_status_replicas_unavailable)', refId: 'A' }],
    },
    {
      type: 'timeseries', title: 'Container restarts (1h)', gridPos: { x: 12, y: 0, w: 12, h: 8 },
      targets: [{ expr: 'sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))', refId: 'A' }],
    },
  ],
};

/** kube-prometheus-stack, with Grafana's dashboard sidecar reading ConfigMaps labelled `grafana_dashboard`. */
export function kubePrometheusStack(props: MonitoringProps = {}): AddonDeclaration {
  const v = addonValidator('kube-prometheus-stack', props, ['retention', 'storageSize', 'sizes', 'dashboards']);
  const retention = props.retention ?? '7d';
  v.check('retention', retention, (r) => (/^\d+(h|d|w)$/.test(r) ? undefined : 'must be a Prometheus duration such as "7d"'));
  v.check('storageSize', props.storageSize, rules.bytesQuantity);
  const dashboards = props.dashboards ?? { 'platform-overview': PLATFORM_OVERVIEW_DASHBOARD };
  for (const name of Object.keys(dashboards)) v.check(`dashboards[${JSON.stringify(name)}]`, name, rules.dns1123Label);
  const prometheus = { cpu: '200m', memory: '512Mi', ...props.sizes?.prometheus };
  const alertmanager = { cpu: '20m', memory: '64Mi', ...props.sizes?.alertmanager };
  const grafana = { cpu: '50m', memory: '128Mi', ...props.sizes?.grafana };
  const operator = { cpu: '50m', memory: '64Mi' };
  const exporter = { cpu: '10m', memory: '32Mi' };
  const prometheusSpec: Record<string, unknown> = {
    retention,
    resources: requestsOf(prometheus),
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
  };
  if (props.storageSize) {
    prometheusSpec.storageSpec = { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: props.storageSize } } } } };
  }
  return declareAddon({
    id: 'kube-prometheus-stack',
    props,
    validator: v,
    defaultNamespace: 'monitoring',
    values: {
      crds: { enabled: true },
      prometheus: { prometheusSpec },
      alertmanager: { alertmanagerSpec: { resources: requestsOf(alertmanager) } },
      grafana: {
        resources: requestsOf(grafana),
        sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } },
      },
      prometheusOperator: { resources: requestsOf(operator) },
      'kube-state-metrics': { resources: requestsOf(exporter) },
      'prometheus-node-exporter': { resources: requestsOf(exporter) },
    },
    providesCrds: ['monitoring.coreos.com'],
    components: { prometheus, alertmanager, grafana, operator, kubeStateMetrics: exporter, nodeExporter: { ...exporter, perNode: true } },
    companions: (namespace) => Object.entries(dashboards).map(([name, model]) =>
      companion('v1', 'ConfigMap', `dashboard-${name}`, namespace, { data: { [`${name}.json`]: JSON.stringify(model) } }, { labels: { grafana_dashboard: '1' } })),
  });
}
