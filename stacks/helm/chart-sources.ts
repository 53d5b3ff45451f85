/**
 * Where each vendored chart archive is built from: the chart's source repository, the tag of the
 * catalog pin (`{version}` is the pin, so the version stays in the catalog alone) and the chart's
 * folder. No chart repository is reachable here, so `npm run charts -- package <addon>` builds
 * `stacks/helm/charts/<chart>-<version>.tgz` from a checkout of that repository (with `helm package`)
 * and the tests render only those archives.
 */
import type { AddonId } from '../../constructs';
import type { ChartSource, UnavailableSource } from './source-types';
import { lockDependencies } from './prepare/kube-prometheus-stack';
import { generateEnvoyGatewayValues } from './prepare/envoy-gateway';
import { stampIstioValues } from './prepare/istio';
import { prepareCertManagerChart } from './prepare/cert-manager';
import { generateExternalSecretsCrds } from './prepare/external-secrets';

export type { ChartSource, ReleaseContext, UnavailableSource } from './source-types';

/** The add-ons whose charts are vendored (every add-on an environment enables), or why one is not. */
export const CHART_SOURCES: Partial<Record<AddonId, ChartSource | UnavailableSource>> = {
  telepresence: {
    unavailable:
      'no source of telepresence-oss 2.25.0 is reachable: the stored telepresenceio/telepresence history ends at v2.20.2 (2024-10-23), and the Go module proxy refuses github.com/telepresenceio/telepresence/v2@v2.25.0 (403 "This module version is not available")',
  },
  alloy: { repo: 'grafana/alloy', tag: 'helm-chart/{version}', path: 'operations/helm/charts/alloy' },
  'opentelemetry-collector': {
    repo: 'open-telemetry/opentelemetry-helm-charts',
    tag: 'opentelemetry-collector-{version}',
    path: 'charts/opentelemetry-collector',
  },
  'vertical-pod-autoscaler': {
    repo: 'kubernetes/autoscaler',
    tag: 'vertical-pod-autoscaler-chart-{version}',
    path: 'vertical-pod-autoscaler/charts/vertical-pod-autoscaler',
  },
  'cluster-autoscaler': {
    repo: 'kubernetes/autoscaler',
    tag: 'cluster-autoscaler-chart-{version}',
    path: 'cluster-autoscaler/charts/cluster-autoscaler',
  },
  jaeger: {
    repo: 'jaegertracing/helm-charts',
    tag: 'jaeger-{version}',
    path: 'charts/jaeger',
    dependencies: {
      common: {
        repo: 'bitnami/charts',
        tag: 'common/{version}',
        path: 'bitnami/common',
        version: '2.31.10',
        note: 'Chart.lock names common 2.34.0, which Bitnami published without source (bitnami/charts tags end at common/2.31.10); 2.31.10 is the newest with source and meets Chart.yaml 2.x.x; jaeger calls four of its helpers (capabilities.cronjob.apiVersion, images.image, images.renderPullSecrets, ingress.backend)',
      },
    },
    note: 'not the published archive: its library dependency common is 2.31.10 instead of 2.34.0 (see the dependency)',
  },
  'kube-prometheus-stack': {
    repo: 'prometheus-community/helm-charts',
    tag: 'kube-prometheus-stack-{version}',
    path: 'charts/kube-prometheus-stack',
    prepare: lockDependencies,
    dependencies: {
      'kube-state-metrics': {
        repo: 'prometheus-community/helm-charts',
        tag: 'kube-state-metrics-{version}',
        path: 'charts/kube-state-metrics',
      },
      'prometheus-node-exporter': {
        repo: 'prometheus-community/helm-charts',
        tag: 'prometheus-node-exporter-{version}',
        path: 'charts/prometheus-node-exporter',
      },
      'prometheus-windows-exporter': {
        repo: 'prometheus-community/helm-charts',
        tag: 'prometheus-windows-exporter-{version}',
        path: 'charts/prometheus-windows-exporter',
      },
      grafana: { repo: 'grafana-community/helm-charts', tag: 'grafana-{version}', path: 'charts/grafana' },
    },
    note: 'no Chart.lock at the tag and prometheus-windows-exporter is 0.12.*: .github/workflows/release.yaml (chart-releaser cr package = helm dependency update) locks it at release; prepare/kube-prometheus-stack.ts',
  },
  loki: {
    repo: 'grafana-community/helm-charts',
    tag: 'loki-{version}',
    path: 'charts/loki',
    dependencies: {
      minio: {
        repo: 'minio/minio',
        tag: 'RELEASE.2025-01-18T00-31-37Z',
        path: 'helm/minio',
        note: 'minio 5.4.0 has no chart tag: commit 43a7402 (update helm release v5.4.0) ran helm-reindex.sh (helm package helm/minio); helm/minio is the same tree at this first release tag after it',
      },
      'rollout-operator': {
        repo: 'grafana/helm-charts',
        tag: 'rollout-operator-{version}',
        path: 'charts/rollout-operator',
      },
    },
  },
  'metrics-server': {
    repo: 'kubernetes-sigs/metrics-server',
    tag: 'metrics-server-helm-chart-{version}',
    path: 'charts/metrics-server',
  },
  velero: { repo: 'vmware-tanzu/helm-charts', tag: 'velero-{version}', path: 'charts/velero' },
  'cert-manager': {
    repo: 'cert-manager/cert-manager',
    tag: '{version}',
    path: 'deploy/charts/cert-manager',
    releaseVersion: true,
    prepare: prepareCertManagerChart,
    note: 'the pin is the tag (v1.x); Chart.yaml is Chart.template.yaml until the release step of make/manifests.mk ($(bin_dir)/helm/cert-manager/Chart.yaml, helm package --version=$(VERSION))',
  },
  'external-secrets': {
    repo: 'external-secrets/external-secrets',
    tag: 'helm-chart-{version}',
    path: 'deploy/charts/external-secrets',
    prepare: generateExternalSecretsCrds,
    dependencies: {
      'bitwarden-sdk-server': {
        repo: 'external-secrets/bitwarden-sdk-server',
        tag: '{version}',
        path: 'deploy/charts/bitwarden-sdk-server',
        releaseVersion: true,
      },
    },
    note: 'templates/crds is generated at release by make helm.generate (hack/helm.generate.sh, .github/workflows/helm.yml); bitwarden-sdk-server is released with helm package --version <tag> (its .github/workflows/release.yaml)',
  },
  'external-dns': {
    repo: 'kubernetes-sigs/external-dns',
    tag: 'external-dns-helm-chart-{version}',
    path: 'charts/external-dns',
  },
  'aws-ebs-csi-driver': {
    repo: 'kubernetes-sigs/aws-ebs-csi-driver',
    tag: 'helm-chart-aws-ebs-csi-driver-{version}',
    path: 'charts/aws-ebs-csi-driver',
  },
  'istio-base': {
    repo: 'istio/istio',
    tag: '{version}',
    path: 'manifests/charts/base',
    releaseVersion: true,
    note: 'istio/release-builder pkg/build/helm.go stampChartForRelease sets version/appVersion; values.yaml has no hub/tag to stamp',
  },
  'istio-cni': {
    repo: 'istio/istio',
    tag: '{version}',
    path: 'manifests/charts/istio-cni',
    releaseVersion: true,
    prepare: stampIstioValues,
    note: 'istio/release-builder pkg/build/helm.go stampChartForRelease (release-1.28): version/appVersion and values.yaml hub/tag (docker.io/istio, release/build.sh)',
  },
  istiod: {
    repo: 'istio/istio',
    tag: '{version}',
    path: 'manifests/charts/istio-control/istio-discovery',
    releaseVersion: true,
    prepare: stampIstioValues,
    note: 'istio/release-builder pkg/build/helm.go stampChartForRelease (release-1.28): version/appVersion and values.yaml hub/tag (docker.io/istio, release/build.sh)',
  },
  'envoy-gateway': {
    repo: 'envoyproxy/gateway',
    tag: '{version}',
    path: 'charts/gateway-helm',
    releaseVersion: true,
    prepare: generateEnvoyGatewayValues,
    note: 'tools/make/helm.mk helm-generate/helm-package with .github/workflows/release.yaml vars: values.yaml from values.tmpl.yaml, --version/--app-version <tag>',
  },
  'argo-cd': {
    repo: 'argoproj/argo-helm',
    tag: 'argo-cd-{version}',
    path: 'charts/argo-cd',
    dependencies: { 'redis-ha': { repo: 'DandyDeveloper/charts', tag: 'redis-ha-{version}', path: 'charts/redis-ha' } },
  },
  'argo-rollouts': { repo: 'argoproj/argo-helm', tag: 'argo-rollouts-{version}', path: 'charts/argo-rollouts' },
  flux: { repo: 'fluxcd-community/helm-charts', tag: 'flux2-{version}', path: 'charts/flux2' },
  kyverno: {
    repo: 'kyverno/kyverno',
    tag: 'kyverno-chart-{version}',
    path: 'charts/kyverno',
    dependencies: {
      openreports: {
        repo: 'openreports/reports-api',
        tag: 'd63112a8e308b8b7820a02e113438c883d792dc8',
        path: 'chart',
        note: 'openreports 0.1.0 has no tag: gh-pages commit 4380352 (openreports-0.1.0.tgz, index.yaml) was built from chart/ at main commit d63112a, whose Chart.yaml is version 0.1.0',
      },
    },
    note: 'crds and grafana are in-tree subcharts, committed (Makefile codegen-helm-crds); .github/workflows/helm-release.yaml packages charts/kyverno as is',
  },
};

/** Why add-on `id`'s chart cannot be built here, when chart-sources.ts records that it cannot; undefined otherwise. */
export function unavailableReason(id: AddonId): string | undefined {
  const source = CHART_SOURCES[id];
  return source !== undefined && 'unavailable' in source ? source.unavailable : undefined;
}
