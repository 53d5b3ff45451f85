import { TENANT_LABEL } from '../internal/labels';
import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  namespaceCompanion,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import type { ManifestObject } from '../policy/check-manifests';

/** How the Gateway's proxies are reached from outside the cluster. */
export type GatewayServiceProps =
  | { /** A cloud load balancer (EKS, GKE, AKS). */ readonly type: 'LoadBalancer' }
  | {
      /** Fixed node ports (kind: the cluster config maps host ports 80/443 to them). */
      readonly type: 'NodePort';
      /** Node port of the HTTP listener (30000-32767). */
      readonly httpNodePort: number;
      /** Node port of the HTTPS listener (30000-32767). */
      readonly httpsNodePort: number;
    };

/** Props of the Envoy Gateway add-on. */
export interface EnvoyGatewayProps extends AddonProps {
  /**
   * GatewayClass name.
   * @default 'envoy'
   */
  readonly className?: string;
  /**
   * This controller is the environment's default entry point (its Gateway takes app routes).
   * @default false
   */
  readonly default?: boolean;
  /**
   * The shared Gateway apps attach HTTPRoutes to.
   * @default { name: 'public', namespace: 'gateway-system' }
   */
  readonly gateway?: {
    readonly name: string;
    readonly namespace: string;
    /** Wildcard host of the HTTPS listener, e.g. `*.example.com`. @default - HTTP listener only */
    readonly httpsHostname?: string;
    /** cert-manager ClusterIssuer for the HTTPS listener's certificate (those cert-manager creates are named by `CLUSTER_ISSUERS`). @default - none */
    readonly clusterIssuer?: string;
  };
  /**
   * How the proxies' Service is exposed.
   * @default { type: 'LoadBalancer' }
   */
  readonly service?: GatewayServiceProps;
  /**
   * Controller requests.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
}

/** API group of Envoy Gateway's own kinds (EnvoyProxy). */
const EG_API = 'gateway.envoyproxy.io/v1alpha1';

/** The shared Gateway's settings. */
type GatewayProps = NonNullable<EnvoyGatewayProps['gateway']>;

/** One listener of the shared Gateway. */
interface Listener {
  name: string;
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  hostname?: string;
}

/** The EnvoyProxy that exposes the Gateway's proxies on the listeners' fixed node ports. */
function nodePortProxy(
  name: string,
  namespace: string,
  listeners: readonly Listener[],
  service: Extract<GatewayServiceProps, { type: 'NodePort' }>,
): ManifestObject {
  return companion(EG_API, 'EnvoyProxy', name, namespace, {
    spec: {
      provider: {
        type: 'Kubernetes',
        kubernetes: {
          envoyService: {
            type: 'NodePort',
            // Envoy Gateway defaults externalTrafficPolicy to Local (v1.7.5 api/v1alpha1/shared_types.go
            // KubernetesServiceSpec, kubebuilder default "Local"), which answers a node port only on
            // nodes running an Envoy Pod; kind maps the host ports to the control-plane node alone
            // (environments/kind/cluster.yaml) and Envoy runs on a worker, so every request was
            // dropped. Cluster forwards from any node (the client address is not kept: fine locally)
            externalTrafficPolicy: 'Cluster',
            patch: {
              type: 'StrategicMerge',
              value: {
                spec: {
                  ports: listeners.map((l) => ({
                    port: l.port,
                    nodePort: l.protocol === 'HTTP' ? service.httpNodePort : service.httpsNodePort,
                  })),
                },
              },
            },
          },
        },
      },
    },
  });
}

/**
 * The Gateway's objects: its namespace, the GatewayClass, the Gateway with its listeners (and, on
 * node ports, the EnvoyProxy it is parameterized by) and, with HTTPS, the HTTP-to-HTTPS redirect.
 */
function gatewayCompanions(
  gw: GatewayProps,
  service: GatewayServiceProps,
  className: string,
  listeners: readonly Listener[],
): ManifestObject[] {
  const proxyConfigName = `${gw.name}-proxy`;
  const redirect = gw.httpsHostname !== undefined;
  const annotations =
    gw.clusterIssuer !== undefined ? { 'cert-manager.io/cluster-issuer': gw.clusterIssuer } : undefined;
  const spec: Record<string, unknown> = {
    gatewayClassName: className,
    listeners: listeners.map((l) => ({
      name: l.name,
      protocol: l.protocol,
      port: l.port,
      ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
      ...(l.protocol === 'HTTPS'
        ? { tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `${gw.name}-tls` }] } }
        : {}),
      // with HTTPS on, plain HTTP only redirects: routes from app namespaces attach to HTTPS alone
      // (Gateway API v1 Listener.allowedRoutes; `Same` admits the Gateway's namespace, where the
      // redirect and cert-manager's HTTP-01 solver routes for the Gateway's certificate live).
      // App routes come only from tenant namespaces, whose admission policy holds each route to
      // the hostnames its tenant owns; never `All`, which lets any namespace claim any name.
      // External-DNS honours the same rule (external-dns v0.21.0 source/gateway.go routeIsAllowed).
      allowedRoutes: {
        namespaces:
          l.protocol === 'HTTP' && redirect
            ? { from: 'Same' }
            : { from: 'Selector', selector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } },
      },
    })),
  };
  const out = [
    namespaceCompanion(gw.namespace),
    companion('gateway.networking.k8s.io/v1', 'GatewayClass', className, undefined, {
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    }),
  ];
  if (service.type === 'NodePort') {
    // EnvoyProxy.spec.provider.kubernetes.envoyService (api/v1alpha1/shared_types.go KubernetesServiceSpec,
    // v1.7.4): type NodePort plus a strategic-merge patch fixing the node ports (Service ports merge on `port`)
    spec.infrastructure = {
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: proxyConfigName },
    };
    out.push(nodePortProxy(proxyConfigName, gw.namespace, listeners, service));
  }
  out.push(companion('gateway.networking.k8s.io/v1', 'Gateway', gw.name, gw.namespace, { spec }, { annotations }));
  if (redirect) {
    // every plain-HTTP request is answered with a permanent redirect to HTTPS (HTTPRoute
    // RequestRedirect filter; a more specific route, such as an ACME challenge, still wins)
    out.push(
      companion('gateway.networking.k8s.io/v1', 'HTTPRoute', `${gw.name}-https-redirect`, gw.namespace, {
        spec: {
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              name: gw.name,
              namespace: gw.namespace,
              sectionName: 'http',
            },
          ],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      }),
    );
  }
  return out;
}

/**
 * Envoy Gateway: a maintained Gateway API implementation; installs the Gateway API CRDs.
 *
 * Where the proxies run is a controller fact read from upstream (envoyproxy/gateway v1.7.4,
 * internal/infrastructure/kubernetes/proxy_infra.go `GetResourceNamespace`): in the default
 * ControllerNamespace mode the Envoy Deployments live in the controller's namespace, not the
 * Gateway's, labelled `app.kubernetes.io/component: proxy`, `app.kubernetes.io/managed-by:
 * envoy-gateway` (proxy/resource.go `EnvoyAppLabel`) and `gateway.envoyproxy.io/owning-gateway-name`
 * / `-namespace` (gatewayapi/translator.go). The contract hands exactly that to app NetworkPolicies.
 */
export function envoyGateway(props: EnvoyGatewayProps = {}): AddonDeclaration {
  const v = addonValidator('envoy-gateway', props, {
    className: 'string',
    default: 'boolean',
    gateway: 'object',
    service: 'object',
    size: SIZE_SPEC,
  });
  const gw = props.gateway ?? { name: 'public', namespace: 'gateway-system' };
  v.check('gateway.name', gw.name, rules.dns1123Subdomain);
  v.check('gateway.namespace', gw.namespace, rules.dns1123Label);
  v.check('gateway.httpsHostname', gw.httpsHostname, rules.ingressHost);
  if (gw.clusterIssuer !== undefined && gw.httpsHostname === undefined)
    v.fail('gateway.clusterIssuer', gw.clusterIssuer, 'needs gateway.httpsHostname');
  const service = props.service ?? { type: 'LoadBalancer' as const };
  if (service.type === 'NodePort') {
    v.check('service.httpNodePort', service.httpNodePort, rules.integerBetween(30000, 32767));
    v.check('service.httpsNodePort', service.httpsNodePort, rules.integerBetween(30000, 32767));
  } else if (service.type !== 'LoadBalancer') {
    v.fail('service.type', (service as { type: unknown }).type, 'must be LoadBalancer or NodePort');
  }
  const size = { cpu: '100m', memory: '256Mi', ...props.size };
  const className = props.className ?? 'envoy';
  const listeners: Listener[] = [{ name: 'http', protocol: 'HTTP', port: 80 }];
  if (gw.httpsHostname !== undefined)
    listeners.push({ name: 'https', protocol: 'HTTPS', port: 443, hostname: gw.httpsHostname });
  return declareAddon({
    id: 'envoy-gateway',
    props,
    validator: v,
    defaultNamespace: 'envoy-gateway-system',
    values: { deployment: { envoyGateway: { resources: requestsOf(size) } } },
    providesCrds: ['gateway.networking.k8s.io', 'gateway.envoyproxy.io'],
    components: { controller: size },
    provides: (namespace) => ({
      gateways: [
        {
          name: gw.name,
          namespace: gw.namespace,
          className,
          default: props.default ?? false,
          proxies: {
            namespace,
            podLabels: {
              'app.kubernetes.io/component': 'proxy',
              'app.kubernetes.io/managed-by': 'envoy-gateway',
              'gateway.envoyproxy.io/owning-gateway-name': gw.name,
              'gateway.envoyproxy.io/owning-gateway-namespace': gw.namespace,
            },
          },
          listeners,
        },
      ],
    }),
    companions: () => gatewayCompanions(gw, service, className, listeners),
  });
}
