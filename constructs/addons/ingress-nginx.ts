import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { PROMETHEUS_SELECTOR_LABELS } from './kube-prometheus-stack';

/** The IngressClass ingress-nginx serves unless told otherwise (cert-manager's HTTP-01 solver defaults to it). */
export const INGRESS_NGINX_CLASS = 'nginx';

/** Props of the ingress-nginx add-on. */
export interface IngressNginxProps extends AddonProps {
  /**
   * IngressClass name.
   * @default 'nginx'
   */
  readonly className?: string;
  /**
   * Mark the IngressClass as the cluster default.
   * @default false
   */
  readonly default?: boolean;
  /**
   * Controller replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Controller requests.
   * @default { cpu: '100m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * Bind ports 80/443 on the node (kind with extraPortMappings) instead of a LoadBalancer Service.
   * @default false
   */
  readonly hostPorts?: boolean;
  /**
   * Create a ServiceMonitor for the controller (needs kube-prometheus-stack).
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

/**
 * ingress-nginx. Upstream retired the project in March 2026 (no more fixes, security ones
 * included): selecting it adds a warning; prefer Envoy Gateway (Gateway API).
 */
export function ingressNginx(props: IngressNginxProps = {}): AddonDeclaration {
  const v = addonValidator('ingress-nginx', props, {
    className: 'string',
    default: 'boolean',
    replicas: 'number',
    size: SIZE_SPEC,
    hostPorts: 'boolean',
    serviceMonitor: 'boolean',
  });
  const replicas = props.replicas ?? 2;
  const size = { cpu: '100m', memory: '128Mi', ...props.size, replicas };
  const controller: Record<string, unknown> = {
    replicaCount: replicas,
    ingressClassResource: { name: props.className ?? INGRESS_NGINX_CLASS, default: props.default ?? false },
    resources: requestsOf(size),
    // labelled as the platform's Prometheus selects monitors (ingress-nginx helm-chart-4.14.5 charts/ingress-nginx values.yaml
    // controller.metrics.serviceMonitor.additionalLabels, copied by templates/controller-servicemonitor.yaml)
    metrics: {
      enabled: true,
      serviceMonitor: { enabled: props.serviceMonitor ?? false, additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } },
    },
    allowSnippetAnnotations: false,
  };
  if (props.hostPorts) {
    Object.assign(controller, {
      hostPort: { enabled: true },
      service: { type: 'NodePort' },
      nodeSelector: { 'ingress-ready': 'true' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    });
  }
  return declareAddon({
    id: 'ingress-nginx',
    props,
    validator: v,
    defaultNamespace: 'ingress-nginx',
    values: { controller },
    requiresCrds: props.serviceMonitor ? ['monitoring.coreos.com'] : [],
    components: { controller: size },
    provides: (namespace) => ({
      ingressClasses: [
        {
          name: props.className ?? INGRESS_NGINX_CLASS,
          default: props.default ?? false,
          // the chart's controller Pods carry these labels (ingress-nginx chart, _helpers.tpl selectorLabels + component)
          controller: {
            namespace,
            podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
          },
        },
      ],
    }),
    warnings: [
      'ingress-nginx was retired upstream in March 2026 and receives no fixes; prefer envoy-gateway (Gateway API)',
    ],
  });
}
