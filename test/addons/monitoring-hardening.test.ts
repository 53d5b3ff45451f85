/** Monitoring and logging add-ons: what Prometheus selects, what it can read, where privileged Pods run, who reaches Loki. */
import { parse, stringify } from 'yaml';
import { certManager, ingressNginx, kubePrometheusStack, loki } from '../../constructs';
import { PROMETHEUS_SELECTOR_LABELS } from '../../constructs/addons/kube-prometheus-stack';
import { validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

const SELECTED_KINDS = ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig'];

describe('Prometheus selects monitoring objects by label only', () => {
  test('every selector uses the release label (the chart default, explicit), never "everything in every namespace"', () => {
    const d = kubePrometheusStack();
    for (const kind of SELECTED_KINDS)
      expect([kind, v(d, `prometheus.prometheusSpec.${kind}SelectorNilUsesHelmValues`)]).toEqual([kind, true]);
    // the label that selection means: `release: <release name>` (templates/prometheus/prometheus.yaml)
    expect(PROMETHEUS_SELECTOR_LABELS).toEqual({ release: d.releaseName });
  });

  test("ServiceMonitor file access is left allowed: denying it drops the chart's own kubelet and apiserver monitors", () => {
    expect(v(kubePrometheusStack(), 'prometheus.prometheusSpec.arbitraryFSAccessThroughSMs')).toBeUndefined();
  });
});

describe('kube-state-metrics reads no Secrets', () => {
  test('the secrets collector, and with it the RBAC rule on Secrets, is excluded', () => {
    expect(v(kubePrometheusStack(), 'kube-state-metrics.collectorsExclude')).toEqual(['secrets']);
  });
});

describe('node-exporter runs in a privileged namespace of its own; monitoring needs only baseline', () => {
  test('by default: node-exporter namespace, created privileged before the chart; monitoring at baseline', () => {
    const d = kubePrometheusStack();
    expect(v(d, 'prometheus-node-exporter.namespaceOverride')).toBe('node-exporter');
    expect(d.podSecurity).toBe('baseline');
    const ns = d.prerequisites.filter((o) => o.kind === 'Namespace');
    expect(ns.map((o) => o.metadata?.name)).toEqual(['node-exporter']);
    expect(ns[0].metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged',
    });
  });

  test('a named namespace is used; the Grafana secret-store prerequisites label the monitoring namespace baseline', () => {
    const d = kubePrometheusStack({
      nodeExporterNamespace: 'node-agents',
      grafanaAdmin: { secretStore: 'vault', remoteKey: 'grafana' },
    });
    expect(v(d, 'prometheus-node-exporter.namespaceOverride')).toBe('node-agents');
    const level = (name: string) =>
      d.prerequisites.find((o) => o.kind === 'Namespace' && o.metadata?.name === name)?.metadata?.labels?.[
        'pod-security.kubernetes.io/enforce'
      ];
    expect(level('monitoring')).toBe('baseline');
    expect(level('node-agents')).toBe('privileged');
    // the Namespace and the ExternalSecret of the monitoring namespace stay first, in that order
    expect(d.prerequisites.map((o) => o.kind)).toEqual(['Namespace', 'ExternalSecret', 'Namespace']);
  });

  test('the monitoring namespace itself as node-exporter namespace: no override, no extra Namespace, privileged', () => {
    const d = kubePrometheusStack({ namespace: 'observability', nodeExporterNamespace: 'observability' });
    expect(v(d, 'prometheus-node-exporter.namespaceOverride')).toBeUndefined();
    expect(d.prerequisites).toEqual([]);
    expect(d.podSecurity).toBe('privileged');
  });

  test('the namespace must be a DNS-1123 label', () => {
    expect(validationErrorOf(() => kubePrometheusStack({ nodeExporterNamespace: 'Node_Exporter' }))).toContain(
      'nodeExporterNamespace ("Node_Exporter")',
    );
  });
});

describe("Loki's port 3100 is open to its own namespace, Grafana and Prometheus only", () => {
  const byName = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

  test('no gateway: the ingress policy guards the single binary itself', () => {
    // with the gateway on, templates/networkpolicy.yaml points the `-ingress` policy at the gateway's port
    expect(v(loki()[0], 'gateway.enabled')).toBe(false);
  });

  test('queries from Grafana Pods of the monitoring namespace, metrics scrapes from Prometheus Pods there', () => {
    const [l] = loki();
    expect(v(l, 'networkPolicy.ingress')).toEqual({
      namespaceSelector: byName('monitoring'),
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } },
    });
    expect(v(l, 'networkPolicy.metrics')).toEqual({
      namespaceSelector: byName('monitoring'),
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    });
    // the chart opens a policy to everyone when its namespaceSelector is empty; no CIDR is opened either
    expect(v(l, 'networkPolicy.metrics.cidrs')).toBeUndefined();
  });

  test("the monitoring namespace is configurable; egress stays the chart's (object storage only with S3)", () => {
    const [l] = loki({
      monitoringNamespace: 'observability',
      storage: { type: 's3', bucket: 'logs', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/loki' },
    });
    expect(v(l, 'networkPolicy.ingress.namespaceSelector')).toEqual(byName('observability'));
    expect(v(l, 'networkPolicy.metrics.namespaceSelector')).toEqual(byName('observability'));
    expect(v(l, 'networkPolicy.externalStorage')).toEqual({ ports: [443], cidrs: [] });
    expect(v(loki()[0], 'networkPolicy.externalStorage')).toBeUndefined();
    expect(validationErrorOf(() => loki({ monitoringNamespace: 'Monitoring' }))).toContain(
      'monitoringNamespace ("Monitoring")',
    );
  });
});

describe("Alloy's ClusterRole renders", () => {
  /**
   * The ClusterRole's rules as grafana/alloy helm-chart/1.4.0 templates/rbac.yaml writes them:
   * `{{- .Values.rbac.rules | toYaml | nindent 2 }}` then the same for rbac.clusterRules (toYaml of an
   * empty list is `[]`), parsed as the API server would.
   */
  const clusterRole = (rbac: unknown): { rules: unknown[] } => {
    const block = (list: unknown) => '\n' + stringify(list).trimEnd().replace(/^/gm, '  ');
    const values = rbac as { rules: unknown; clusterRules: unknown };
    return parse(`rules:${block(values.rules)}${block(values.clusterRules)}\n`) as { rules: unknown[] };
  };

  test('the chart template with empty clusterRules is not YAML (the reason both lists are filled)', () => {
    expect(() =>
      clusterRole({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], clusterRules: [] }),
    ).toThrow();
  });

  test('both lists are non-empty and together grant Pods and their logs, read-only, nothing else', () => {
    const rbac = v(loki()[1], 'rbac') as { rules: unknown[]; clusterRules: unknown[] };
    expect(rbac.rules.length).toBeGreaterThan(0);
    expect(rbac.clusterRules.length).toBeGreaterThan(0);
    expect(clusterRole(rbac).rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch'] },
    ]);
  });
});

describe('monitors outside the chart carry the label Prometheus selects by', () => {
  test("cert-manager's and ingress-nginx's ServiceMonitors are labelled release=kube-prometheus-stack", () => {
    expect(v(certManager({ serviceMonitor: true }), 'prometheus.servicemonitor.labels')).toEqual(
      PROMETHEUS_SELECTOR_LABELS,
    );
    expect(v(ingressNginx({ serviceMonitor: true }), 'controller.metrics.serviceMonitor.additionalLabels')).toEqual(
      PROMETHEUS_SELECTOR_LABELS,
    );
  });
});
