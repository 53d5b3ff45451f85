/**
 * Flux objects' readiness as metrics: kube-state-metrics' custom resource state (the way Flux documents
 * it since its controllers stopped recording conditions). The controllers at the flux2 2.17.2 pins
 * register `gotk_reconcile_condition` (fluxcd/pkg runtime/v0.91.0 runtime/metrics/recorder.go) but
 * never set it: kustomize-controller v1.7.3 internal/controller/kustomization_controller.go,
 * helm-controller v1.4.5 internal/controller/helmrelease_controller.go and source-controller v1.7.4
 * internal/controller/*_controller.go call only `Metrics.RecordDuration`, and nothing in runtime
 * calls `RecordReadiness`. So the Flux alert reads `gotk_resource_info`, which kube-state-metrics
 * makes from this configuration (after fluxcd/flux2-monitoring-example@7ab65dc
 * monitoring/controllers/kube-prometheus-stack/kube-state-metrics-config.yaml, for the kinds the
 * add-on installs, without the example's `--custom-resource-state-only`: the other alerts read
 * kube-state-metrics' own collectors).
 */

/** The Flux kinds the add-on's controllers serve: group, served storage version and plural (flux2 2.17.2 templates/*.crds.yaml). */
const FLUX_KINDS: readonly (readonly [group: string, version: string, kind: string, plural: string])[] = [
  ['kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', 'kustomizations'],
  ['helm.toolkit.fluxcd.io', 'v2', 'HelmRelease', 'helmreleases'],
  ['source.toolkit.fluxcd.io', 'v1', 'GitRepository', 'gitrepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'OCIRepository', 'ocirepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'HelmRepository', 'helmrepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'HelmChart', 'helmcharts'],
  ['source.toolkit.fluxcd.io', 'v1', 'Bucket', 'buckets'],
  ['notification.toolkit.fluxcd.io', 'v1beta3', 'Alert', 'alerts'],
  ['notification.toolkit.fluxcd.io', 'v1beta3', 'Provider', 'providers'],
  ['notification.toolkit.fluxcd.io', 'v1', 'Receiver', 'receivers'],
];

/** Name of the metric (kube-state-metrics prefixes `metricNamePrefix` and `_`). */
export const FLUX_RESOURCE_INFO = 'gotk_resource_info';

/**
 * One `gotk_resource_info` series per Flux object, value 1, labelled `name`, `exported_namespace`
 * (its namespace; the example's name, and kube-state-metrics is scraped with honorLabels: true),
 * `ready` (the Ready condition's status) and `suspended` (`spec.suspend`); kube-state-metrics adds
 * `customresource_group`, `customresource_version` and `customresource_kind` (kube-state-metrics
 * v2.20.0 docs/metrics/extend/customresourcestate-metrics.md).
 */
function resourceStateConfig(): Record<string, unknown> {
  return {
    spec: {
      resources: FLUX_KINDS.map(([group, version, kind]) => ({
        groupVersionKind: { group, version, kind },
        metricNamePrefix: 'gotk',
        metrics: [
          {
            name: 'resource_info',
            help: `The current state of a Flux ${kind}.`,
            each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
            labelsFromPath: {
              exported_namespace: ['metadata', 'namespace'],
              ready: ['status', 'conditions', '[type=Ready]', 'status'],
              suspended: ['spec', 'suspend'],
            },
          },
        ],
      })),
    },
  };
}

/**
 * kube-state-metrics values (kube-prometheus-stack 88.5.3's kube-state-metrics 8.4.0 subchart) making
 * `gotk_resource_info`: the custom resource state ConfigMap and flag (templates/crs-configmap.yaml,
 * templates/deployment.yaml), list/watch of CustomResourceDefinitions (templates/role.yaml,
 * `rbac.customResourceState.createClusterRoleRules`) and of the Flux kinds (`rbac.extraRules`).
 */
export function fluxStateMetricsValues(): Record<string, unknown> {
  const groups = [...new Set(FLUX_KINDS.map(([group]) => group))];
  return {
    rbac: {
      extraRules: [
        { apiGroups: groups, resources: FLUX_KINDS.map(([, , , plural]) => plural), verbs: ['list', 'watch'] },
      ],
    },
    customResourceState: { enabled: true, config: resourceStateConfig() },
  };
}
