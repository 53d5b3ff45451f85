import * as rules from '../internal/rules';
import { AddonDeclaration, AddonProps, addonValidator, companion, ComponentSize, declareAddon, namespaceCompanion, requestsOf } from './addon';

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
    /** cert-manager ClusterIssuer for the HTTPS listener's certificate. @default - none */
    readonly clusterIssuer?: string;
  };
  /**
   * Controller requests.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
}

/** Envoy Gateway: a maintained Gateway API implementation; installs the Gateway API CRDs. */
export function envoyGateway(props: EnvoyGatewayProps = {}): AddonDeclaration {
  const v = addonValidator('envoy-gateway', props, ['className', 'default', 'gateway', 'size']);
  const gw = props.gateway ?? { name: 'public', namespace: 'gateway-system' };
  v.check('gateway.name', gw.name, rules.dns1123Subdomain);
  v.check('gateway.namespace', gw.namespace, rules.dns1123Label);
  v.check('gateway.httpsHostname', gw.httpsHostname, rules.ingressHost);
  if (gw.clusterIssuer !== undefined && gw.httpsHostname === undefined) v.fail('gateway.clusterIssuer', gw.clusterIssuer, 'needs gateway.httpsHostname');
  const size = { cpu: '100m', memory: '256Mi', ...props.size };
  const className = props.className ?? 'envoy';
  const listeners: Record<string, unknown>[] = [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }];
  if (gw.httpsHostname !== undefined) {
    listeners.push({
      name: 'https', protocol: 'HTTPS', port: 443, hostname: gw.httpsHostname,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `${gw.name}-tls` }] },
      allowedRoutes: { namespaces: { from: 'All' } },
    });
  }
  return declareAddon({
    id: 'envoy-gateway',
    props,
    validator: v,
    defaultNamespace: 'envoy-gateway-system',
    values: { deployment: { envoyGateway: { resources: requestsOf(size) } } },
    providesCrds: ['gateway.networking.k8s.io', 'gateway.envoyproxy.io'],
    companionsDependOn: gw.clusterIssuer !== undefined ? ['cert-manager'] : [],
    components: { controller: size },
    companions: () => {
      const annotations = gw.clusterIssuer !== undefined ? { 'cert-manager.io/cluster-issuer': gw.clusterIssuer } : undefined;
      const gateway = companion('gateway.networking.k8s.io/v1', 'Gateway', gw.name, gw.namespace, { spec: { gatewayClassName: className, listeners } }, { annotations });
      return [
        namespaceCompanion(gw.namespace),
        companion('gateway.networking.k8s.io/v1', 'GatewayClass', className, undefined, { spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } }),
        gateway,
      ];
    },
  });
}
