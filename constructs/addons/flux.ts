import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import type { MetricsPodsOffer } from './offers';

/** Props of the Flux add-on. */
export interface FluxProps extends AddonProps {
  /**
   * Requests of each controller (source, kustomize, helm, notification).
   * @default { cpu: '50m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

export { FLUX_CREATE_ONLY_ANNOTATION } from '../internal/labels';

/** The controllers the add-on runs (their chart values key and the `app` label of their Pods). */
const CONTROLLERS = {
  sourceController: 'source-controller',
  kustomizeController: 'kustomize-controller',
  helmController: 'helm-controller',
  notificationController: 'notification-controller',
} as const;

/**
 * The controllers' Pods, which serve their metrics on a container port and behind no Service
 * (fluxcd-community flux2 2.17.2: templates/<controller>.yaml give each Pod template the sole label
 * `app: <controller>` and the container port `http-prom` 8080; the chart's own monitor is a PodMonitor,
 * templates/podmonitor.yaml, selecting `app In [...]` on `http-prom`, off by default and needing the
 * monitoring CRDs first; templates/policies.yaml `allow-scraping` admits every namespace to 8080).
 * Each controller registers the GitOps Toolkit recorder (fluxcd/pkg runtime/v0.91.0
 * runtime/metrics/recorder.go: `gotk_reconcile_condition`, `gotk_reconcile_duration_seconds`, …,
 * served on `/metrics` by controller-runtime).
 */
export function fluxMetricsPods(namespace: string): MetricsPodsOffer {
  return {
    name: 'flux-controllers',
    namespace,
    matchLabels: {},
    in: { app: Object.values(CONTROLLERS) },
    port: 'http-prom',
    path: '/metrics',
  };
}

/** Flux: GitOps toolkit (the alternative GitOps engine). Image automation controllers are off. */
export function flux(props: FluxProps = {}): AddonDeclaration {
  const v = addonValidator('flux', props, { size: SIZE_SPEC });
  const size = { cpu: '50m', memory: '64Mi', ...props.size };
  const controller = { create: true, resources: requestsOf(size) };
  return declareAddon({
    id: 'flux',
    props,
    validator: v,
    defaultNamespace: 'flux-system',
    values: {
      installCRDs: true,
      ...Object.fromEntries(Object.keys(CONTROLLERS).map((key) => [key, controller])),
      imageAutomationController: { create: false },
      imageReflectionController: { create: false },
    },
    providesCrds: [
      'source.toolkit.fluxcd.io',
      'kustomize.toolkit.fluxcd.io',
      'helm.toolkit.fluxcd.io',
      'notification.toolkit.fluxcd.io',
    ],
    components: { source: size, kustomize: size, helm: size, notification: size },
    provides: (namespace) => ({ metricsPods: [fluxMetricsPods(namespace)] }),
  });
}
