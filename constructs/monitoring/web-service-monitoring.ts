import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { sourcePeer } from '../internal/network-peers';
import { PropsValidator, type PropShapes } from '../internal/validator';
import { MANAGED_BY } from '../internal/labels';
import { checkPlatformContract, type PlatformContract, type MonitoringOffer } from '../platform/contract';
import type { WebService } from '../workloads/web-service';
import { runbookUrl } from '../addons/platform-alert-rules';

/** Props of {@link WebServiceMonitoring}. */
export interface WebServiceMonitoringProps {
  /** The service to scrape and alert on. */
  readonly service: WebService;
  /** What the platform provides: the labels its Prometheus selects monitors by, and where Prometheus runs. */
  readonly platform: PlatformContract;
  /**
   * Service port name that serves metrics.
   * @default - the service's main port
   */
  readonly port?: string;
  /**
   * Metrics path.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Minutes a Deployment may have unavailable replicas before the alert fires.
   * @default 10
   */
  readonly unavailableForMinutes?: number;
  /**
   * Container restarts per hour that fire the crash-loop alert.
   * @default 3
   */
  readonly restartsPerHour?: number;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_WEB_SERVICE_MONITORING_PROPS: PropShapes<WebServiceMonitoringProps> = {
  service: 'object',
  platform: 'object',
  port: 'string',
  path: 'string',
  interval: 'string',
  unavailableForMinutes: 'number',
  restartsPerHour: 'number',
};

/** Checks every prop (and that `port` names a port the service exposes); collects problems on `v` without throwing. */
function validateProps(v: PropsValidator, props: WebServiceMonitoringProps): void {
  v.knownProps(props, KNOWN_WEB_SERVICE_MONITORING_PROPS);
  v.check('port', props.port, rules.portName);
  v.check('path', props.path, rules.httpPath);
  v.check('interval', props.interval, (i) => (/^\d+(s|m)$/.test(i) ? undefined : 'must be a duration such as "30s"'));
  v.check('unavailableForMinutes', props.unavailableForMinutes, rules.integerBetween(1));
  v.check('restartsPerHour', props.restartsPerHour, rules.integerBetween(1));
  const svc = props.service;
  // the ServiceMonitor's endpoint port is "the name of the Service port which this endpoint refers to" (prometheus-operator
  // pkg/apis/monitoring/v1 Endpoint.Port); a name the Service does not expose discovers no target, and nothing reports it
  const exposed: unknown = (svc as { ports?: unknown }).ports;
  if (!Array.isArray(exposed))
    v.failType('service', svc, 'must be a WebService (its Service and ports are read from it)');
  else if (props.port !== undefined) {
    const names = (exposed as WebService['ports']).map((p) => p.name);
    if (!names.includes(props.port))
      v.fail(
        'port',
        props.port,
        `must name a port Service '${svc.namespace}/${svc.name}' exposes (${names.join(', ')})`,
      );
  }
  checkPlatformContract(v, props.platform);
}

/** The ServiceMonitor's spec: scrape `port` of the service's Pods in its own namespace. */
function serviceMonitorSpec(svc: WebService, port: string, props: WebServiceMonitoringProps): Record<string, unknown> {
  return {
    selector: { matchLabels: { ...svc.selectorLabels } },
    namespaceSelector: { matchNames: [svc.namespace] },
    endpoints: [{ port, path: props.path ?? '/metrics', interval: props.interval ?? '30s' }],
  };
}

/** The NetworkPolicy's spec: Prometheus's Pods (only) may reach the scraped port of the service's Pods. */
function metricsNetworkPolicySpec(
  svc: WebService,
  source: MonitoringOffer['prometheus'],
  port: number | string,
): Record<string, unknown> {
  return {
    podSelector: { matchLabels: { ...svc.selectorLabels } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [sourcePeer(source)],
        ports: [{ port, protocol: 'TCP' }],
      },
    ],
  };
}

/** The PrometheusRule's spec: the availability and crash-loop alerts of the service's Deployment. */
function alertRulesSpec(svc: WebService, props: WebServiceMonitoringProps): Record<string, unknown> {
  const minutes = props.unavailableForMinutes ?? 10;
  const sel = `namespace="${svc.namespace}", deployment="${svc.name}"`;
  return {
    groups: [
      {
        name: `${svc.namespace}.${svc.name}`,
        rules: [
          {
            alert: 'WebServiceReplicasUnavailable',
            expr: `kube_deployment_status_replicas_unavailable{${sel}} > 0`,
            for: `${minutes}m`,
            labels: { severity: 'warning' },
            annotations: {
              summary: `${svc.namespace}/${svc.name} has unavailable replicas for ${minutes}m`,
              runbook_url: runbookUrl('WebServiceReplicasUnavailable'),
            },
          },
          {
            alert: 'WebServiceCrashLooping',
            expr: `sum(increase(kube_pod_container_status_restarts_total{namespace="${svc.namespace}", container="${svc.name}"}[1h])) > ${props.restartsPerHour ?? 3}`,
            labels: { severity: 'critical' },
            annotations: {
              summary: `${svc.namespace}/${svc.name} containers restart repeatedly`,
              runbook_url: runbookUrl('WebServiceCrashLooping'),
            },
          },
        ],
      },
    ],
  };
}

/**
 * Prometheus Operator objects for a WebService: a ServiceMonitor and a PrometheusRule with
 * availability and crash-loop alerts, labelled as the platform's Prometheus selects them, and a
 * NetworkPolicy letting Prometheus's Pods (only) reach the scraped port. Needs a monitoring add-on.
 *
 * Role ids: `ServiceMonitor`, `PrometheusRule`, `NetworkPolicy`.
 */
export class WebServiceMonitoring extends Construct {
  public readonly serviceMonitor: ApiObject;
  public readonly rule: ApiObject;
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: WebServiceMonitoringProps) {
    super(scope, id);
    const v = new PropsValidator('WebServiceMonitoring', this);
    validateProps(v, props);
    v.throwIfInvalid();
    const svc = props.service;
    const monitoring = props.platform.monitoringFor(`WebServiceMonitoring '${this.node.path}'`);
    const metadata = {
      name: svc.name,
      namespace: svc.namespace,
      labels: { ...svc.labels, ...monitoring.monitorLabels },
    };
    const port = props.port ?? svc.portName;
    const target = svc.ports.find((p) => p.name === port);
    this.serviceMonitor = new KubeObject(this, 'ServiceMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata,
      spec: serviceMonitorSpec(svc, port, props),
    });
    // Prometheus scrapes the Pods directly (the Service's endpoints), on the container port behind the Service port
    this.networkPolicy = new KubeObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${svc.name}-metrics`, namespace: svc.namespace, labels: { ...svc.labels, ...MANAGED_BY } },
      spec: metricsNetworkPolicySpec(svc, monitoring.prometheus, target?.containerPort ?? port),
    });
    this.rule = new KubeObject(this, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata,
      spec: alertRulesSpec(svc, props),
    });
  }
}
