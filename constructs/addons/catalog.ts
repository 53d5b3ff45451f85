/**
 * The one place every Helm chart version lives. Versions are exact pins, each the newest patch of
 * its line as read in the charts' upstream repositories (2026-11). `renovate.json`'s regex managers
 * watch this file (keep each entry on one line: `repository: '…', chart: '…', version: '…'`), and
 * `npm run catalog -- outdated` lists the pins that fell behind.
 */

/** Where a chart comes from. */
export interface ChartRef {
  /** Helm repository URL, or an `oci://` registry path. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
}

// one line per chart: Renovate's regex manager (renovate.json) reads each pin from its line
// prettier-ignore
export const CATALOG = {
  'ingress-nginx': { repository: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.14.5' },
  'envoy-gateway': { repository: 'oci://docker.io/envoyproxy', chart: 'gateway-helm', version: 'v1.7.5' },
  'external-dns': { repository: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns', version: '1.21.1' },
  'cert-manager': { repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.19.6' },
  'argo-cd': { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' },
  flux: { repository: 'https://fluxcd-community.github.io/helm-charts', chart: 'flux2', version: '2.17.2' },
  'istio-base': { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', version: '1.28.10' },
  istiod: { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', version: '1.28.10' },
  'istio-cni': { repository: 'https://istio-release.storage.googleapis.com/charts', chart: 'cni', version: '1.28.10' },
  'linkerd-crds': { repository: 'https://helm.linkerd.io/edge', chart: 'linkerd-crds', version: '2025.11.3' },
  'linkerd-control-plane': { repository: 'https://helm.linkerd.io/edge', chart: 'linkerd-control-plane', version: '2025.11.3' },
  velero: { repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' },
  kyverno: { repository: 'https://kyverno.github.io/kyverno', chart: 'kyverno', version: '3.5.3' },
  gatekeeper: { repository: 'https://open-policy-agent.github.io/gatekeeper/charts', chart: 'gatekeeper', version: '3.21.1' },
  'kube-prometheus-stack': { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' },
  // the OSS chart moved to grafana-community at 6.55.0; grafana/loki's own chart is GEL-only from 7.0.0 (its CHANGELOG)
  loki: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'loki', version: '18.11.0' },
  alloy: { repository: 'https://grafana.github.io/helm-charts', chart: 'alloy', version: '1.11.1' },
  'opentelemetry-collector': { repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts', chart: 'opentelemetry-collector', version: '0.170.0' },
  'metrics-server': { repository: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', version: '3.13.1' },
  telepresence: { repository: 'oci://ghcr.io/telepresenceio', chart: 'telepresence-oss', version: '2.25.0' },
  'argo-rollouts': { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-rollouts', version: '2.40.10' },
  'external-secrets': { repository: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
  'aws-ebs-csi-driver': { repository: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver', chart: 'aws-ebs-csi-driver', version: '2.64.0' },
  jaeger: { repository: 'https://jaegertracing.github.io/helm-charts', chart: 'jaeger', version: '4.11.1' },
  'vertical-pod-autoscaler': { repository: 'https://kubernetes.github.io/autoscaler', chart: 'vertical-pod-autoscaler', version: '0.11.0' },
  'cluster-autoscaler': { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.59.0' },
  reloader: { repository: 'https://stakater.github.io/stakater-charts', chart: 'reloader', version: '2.2.16' },
} as const satisfies Record<string, ChartRef>;

/** Every add-on id. */
export type AddonId = keyof typeof CATALOG;
