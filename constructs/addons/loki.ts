import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import type { MetricsServiceOffer } from './offers';
import { type AddonContext, part, registerAddon } from './register';

/** Props of the Loki add-on (single-binary Loki plus a Grafana Alloy log collector). */
export interface LokiProps extends AddonProps {
  /**
   * Log storage: the Pod's volume (local clusters) or an S3 bucket reached through IRSA.
   * @default { type: 'filesystem' }
   */
  readonly storage?:
    | { readonly type: 'filesystem' }
    | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly roleArn: string };
  /**
   * How long logs are kept (Go duration, hours).
   * @default '168h'
   */
  readonly retention?: string;
  /**
   * Loki requests.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * Alloy (per-node collector) requests.
   * @default { cpu: '25m', memory: '64Mi' }
   */
  readonly collectorSize?: ComponentSize;
  /**
   * Namespace of Grafana (queries Loki) and Prometheus (scrapes it): their Pods are the only ones
   * outside Loki's namespace its NetworkPolicies admit to port 3100. `platformAddons` passes the
   * monitoring add-on's namespace.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/** The tenant the platform's logs are pushed as and queried by (`X-Scope-OrgID`). */
export const LOKI_TENANT = 'platform';

/** The Alloy pipeline: discover Pods on this node (NODE_NAME from the downward API), tail their logs, push to Loki. */
function alloyConfig(lokiUrl: string): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("NODE_NAME")',
    '  }',
    '}',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_namespace"]',
    '    target_label  = "namespace"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]',
    '    target_label  = "app"',
    '  }',
    '}',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    'loki.write "default" {',
    '  endpoint {',
    `    url = "${lokiUrl}"`,
    // Loki runs with auth_enabled: every push names its tenant (X-Scope-OrgID); loki.write's
    // tenant_id, alloy v1.11 docs/sources/reference/components/loki/loki.write.md
    `    tenant_id = "${LOKI_TENANT}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The chart's `loki` block: multi-tenant, one replica, the TSDB schema on the object store, retention by the compactor. */
function lokiConfig(
  storage: NonNullable<LokiProps['storage']>,
  retention: string,
  objectStore: string,
): Record<string, unknown> {
  return {
    // multi-tenant: every request names its tenant (Alloy pushes as LOKI_TENANT); a client
    // without X-Scope-OrgID is refused instead of reading or writing everyone's logs
    auth_enabled: true,
    commonConfig: { replication_factor: 1 },
    schemaConfig: {
      configs: [
        {
          from: '2024-04-01',
          store: 'tsdb',
          object_store: objectStore,
          schema: 'v13',
          index: { prefix: 'loki_index_', period: '24h' },
        },
      ],
    },
    storage:
      storage.type === 's3'
        ? {
            type: 's3',
            bucketNames: { chunks: storage.bucket, ruler: storage.bucket, admin: storage.bucket },
            s3: { region: storage.region },
          }
        : { type: 'filesystem' },
    limits_config: { retention_period: retention },
    compactor: { retention_enabled: true, delete_request_store: objectStore },
  };
}

/**
 * The chart's NetworkPolicies (grafana-community loki 18.11.0 templates/networkpolicy.yaml):
 * `-namespace-only` admits every Pod of this namespace (Alloy) and lets Loki reach them; `-ingress`
 * opens http-metrics (3100) on the single binary and `-ingress-metrics` the same port on every Loki
 * Pod, each to everyone unless its namespaceSelector is set (then from that namespace AND the
 * podSelector): Grafana for queries, Prometheus for metrics. Kubelet probes need no CIDR: traffic
 * from the Pod's own node is always allowed (kubernetes/website
 * content/en/docs/concepts/services-networking/network-policies.md). Egress: within the namespace,
 * DNS, and with object storage 443 (S3 and STS for the IRSA role).
 */
function lokiNetworkPolicy(
  storage: NonNullable<LokiProps['storage']>,
  monitoringNamespace: string,
): Record<string, unknown> {
  // the control plane labels every Namespace kubernetes.io/metadata.name=<name> (kubernetes/website
  // content/en/docs/concepts/services-networking/network-policies.md, "Targeting a Namespace by its name")
  const monitoringPeer = { matchLabels: { 'kubernetes.io/metadata.name': monitoringNamespace } };
  return {
    enabled: true,
    // grafana-community/helm-charts grafana-12.11.1 templates/_helpers.tpl grafana.selectorLabels (name `grafana`)
    ingress: {
      namespaceSelector: monitoringPeer,
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } },
    },
    // prometheus-operator v0.93.0 pkg/prometheus/server/operator.go makeSelectorLabels (name `prometheus`)
    metrics: {
      namespaceSelector: monitoringPeer,
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    },
    ...(storage.type === 's3' ? { externalStorage: { ports: [443], cidrs: [] } } : {}),
  };
}

/** The Loki chart's values: one multi-tenant single binary, its storage and retention, NetworkPolicies admitting the monitoring namespace. */
function lokiChartValues(
  storage: NonNullable<LokiProps['storage']>,
  retention: string,
  size: ComponentSize,
  monitoringNamespace: string,
): Record<string, unknown> {
  const objectStore = storage.type === 's3' ? 's3' : 'filesystem';
  const lokiValues: Record<string, unknown> = {
    // grafana-community loki 18.11.0 values.yaml: `Monolithic` (SingleBinary is its deprecated alias); the
    // Service is the release fullname (`loki`) on port 3100 (templates/monolithic/service.yaml)
    deploymentMode: 'Monolithic',
    loki: lokiConfig(storage, retention, objectStore),
    singleBinary: { replicas: 1, resources: requestsOf(size) },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    // no nginx gateway: Alloy and Grafana talk to the `loki` Service on 3100 (loki 18.11.0
    // templates/_helpers.tpl loki.host: Monolithic without gateway is `<fullname>:<http_listen_port>`).
    // With the gateway on (values.yaml `gateway.enabled: true`) the `-ingress` policy (lokiNetworkPolicy)
    // guards the gateway's port instead of Loki's, and the gateway forwards whatever X-Scope-OrgID it is sent.
    gateway: { enabled: false },
    networkPolicy: lokiNetworkPolicy(storage, monitoringNamespace),
    test: { enabled: false },
  };
  if (storage.type === 's3')
    lokiValues.serviceAccount = { annotations: { 'eks.amazonaws.com/role-arn': storage.roleArn } };
  return lokiValues;
}

/** Grafana Alloy: the DaemonSet that ships every Pod's logs to Loki in `namespace`, as its tenant. */
function alloyAddon(namespace: string, collectorSize: ComponentSize | undefined): AddonDeclaration {
  const collector = { cpu: '25m', memory: '64Mi', ...collectorSize };
  return declareAddon({
    id: 'alloy',
    props: { namespace },
    validator: addonValidator('alloy', {}, {}),
    defaultNamespace: namespace,
    values: {
      alloy: {
        configMap: { content: alloyConfig(`http://loki.${namespace}.svc:3100/loki/api/v1/push`) },
        extraEnv: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        resources: requestsOf(collector),
      },
      controller: { type: 'daemonset' },
      // only what the config above uses: discovery.kubernetes (role pod) lists and watches Pods, and
      // loki.source.kubernetes reads their logs through the API. The chart's defaults (alloy 1.4.0 and
      // 1.11.1 values.yaml rbac.rules and rbac.clusterRules) also grant Secret read and nodes/proxy (the
      // kubelet API); Helm replaces lists, so these replace them. Both stay non-empty: helm-chart/1.4.0
      // templates/rbac.yaml renders the ClusterRole's rules as `rules | toYaml | nindent 2` followed by
      // `clusterRules | toYaml | nindent 2`, and an empty list prints `[]` after the block sequence,
      // which is not YAML (the chart never installs); helm-chart/1.11.1 guards only the case where both
      // are empty.
      rbac: {
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
        clusterRules: [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch'] }],
      },
    },
    dependsOn: ['loki'],
    components: { collector: { ...collector, perNode: true } },
  });
}

/**
 * Loki's own Service, which serves its metrics (grafana-community loki 18.11.0
 * templates/monolithic/service.yaml through templates/_service.tpl loki.service): `<fullname>`
 * (templates/_helpers.tpl loki.fullname: the release name when it contains the chart name),
 * labelled loki.selectorLabels (name `loki`, instance `<release>`) and component `single-binary`,
 * port `http-metrics` (3100). Its headless twin carries the same labels and ports plus
 * `prometheus.io/service-monitor: "false"`, which the chart's own ServiceMonitor rules out the same
 * way (templates/monitoring/servicemonitor.yaml). `loki_discarded_samples_total` is served on `/metrics`.
 */
export function lokiMetricsService(namespace: string, release = 'loki'): MetricsServiceOffer {
  return {
    name: release.includes('loki') ? release : `${release}-loki`,
    namespace,
    matchLabels: {
      'app.kubernetes.io/name': 'loki',
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': 'single-binary',
    },
    notIn: { 'prometheus.io/service-monitor': ['false'] },
    port: 'http-metrics',
    path: '/metrics',
  };
}

/** Loki (logs store, single binary) and Grafana Alloy (collector DaemonSet). */
export function loki(props: LokiProps = {}): AddonDeclaration[] {
  const v = addonValidator('loki', props, {
    storage: 'object',
    retention: 'string',
    size: SIZE_SPEC,
    collectorSize: SIZE_SPEC,
    monitoringNamespace: 'string',
  });
  const storage = props.storage ?? { type: 'filesystem' as const };
  const retention = props.retention ?? '168h';
  if (!/^\d+h$/.test(retention)) v.fail('retention', retention, 'must be whole hours such as "168h"');
  if (storage.type === 's3' && !storage.roleArn)
    v.fail('storage.roleArn', storage.roleArn, 'must reference the IAM role (IRSA) Loki assumes');
  const size = { cpu: '100m', memory: '256Mi', ...props.size };
  const namespace = props.namespace ?? 'logging';
  const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
  v.check('monitoringNamespace', monitoringNamespace, rules.dns1123Label);
  const lokiValues = lokiChartValues(storage, retention, size, monitoringNamespace);
  const lokiDecl = declareAddon({
    id: 'loki',
    props,
    validator: v,
    defaultNamespace: namespace,
    values: lokiValues,
    components: { loki: size },
    // the Service `loki` on 3100 (the port named http-metrics), which the NetworkPolicies above open
    // to Grafana in the monitoring namespace
    provides: (ns) => ({
      logs: { queryUrl: `http://loki.${ns}.svc:3100`, tenant: LOKI_TENANT, namespace: ns },
      metricsServices: [lokiMetricsService(ns)],
    }),
  });
  const alloy = alloyAddon(namespace, props.collectorSize);
  return [lokiDecl, alloy];
}

/**
 * The profile's `logs` key: Loki and Alloy. Loki admits Grafana and Prometheus from the namespace
 * the profile's monitoring runs in (declared after it: it reads Loki's offer).
 */
export const lokiAddon = registerAddon({
  profileKey: 'logs',
  defaultProps: {},
  declare: (props: LokiProps, ctx: AddonContext<{ readonly monitoring?: { readonly namespace?: string } | false }>) => {
    const monitoring = ctx.profile.monitoring ?? {};
    return loki({
      ...(monitoring !== false ? { monitoringNamespace: monitoring.namespace ?? 'monitoring' } : {}),
      ...props,
    });
  },
  example: { retention: '168h' },
  parts: [part('loki', loki, { retention: '168h' })],
});
