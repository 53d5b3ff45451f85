import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { ownAddon } from './register';

/** Props of the metrics-server add-on. */
export interface MetricsServerProps extends AddonProps {
  /**
   * Skip kubelet certificate verification (kind's kubelets serve self-signed certificates).
   * @default false
   */
  readonly kubeletInsecureTls?: boolean;
  /**
   * Requests.
   * @default { cpu: '50m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

/** metrics-server: the resource metrics API that HPAs read. */
export function metricsServer(props: MetricsServerProps = {}): AddonDeclaration {
  const v = addonValidator('metrics-server', props, { kubeletInsecureTls: 'boolean', size: SIZE_SPEC });
  const size = { cpu: '50m', memory: '64Mi', ...props.size };
  return declareAddon({
    id: 'metrics-server',
    props,
    validator: v,
    defaultNamespace: 'kube-system',
    values: { args: props.kubeletInsecureTls ? ['--kubelet-insecure-tls'] : [], resources: requestsOf(size) },
    components: { server: size },
    provides: () => ({ metricsApi: true }),
  });
}

/** Its registry entry: the profile's `metricsServer` key. */
export const metricsServerAddon = ownAddon({
  id: 'metrics-server',
  profileKey: 'metricsServer',
  defaultProps: {},
  declare: metricsServer,
  example: {},
});
