import * as rules from '../internal/rules';
import { type AddonDeclaration, type AddonProps, addonValidator, type ComponentSize, declareAddon, requestsOf, SIZE_SPEC } from './addon';
import { objectSpec } from '../internal/validator';

/** Props of the Argo Rollouts add-on. */
export interface ArgoRolloutsProps extends AddonProps {
  /**
   * Controller requests.
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * The gatewayAPI traffic-router plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi) the
   * controller downloads at start, so canaries shift weights on HTTPRoutes; `false` turns it off.
   * @default { version: 'v0.15.0', arch: 'amd64' }
   */
  readonly gatewayApiPlugin?: { readonly version: string; readonly arch: 'amd64' | 'arm64' } | false;
}

/** Argo Rollouts: the controller behind canary and blue-green releases. */
export function argoRollouts(props: ArgoRolloutsProps = {}): AddonDeclaration {
  const v = addonValidator('argo-rollouts', props, {
    size: SIZE_SPEC,
    gatewayApiPlugin: [objectSpec<{ version: string; arch: string }>({ version: 'string', arch: 'string' }, ['version', 'arch']), 'false'],
  });
  const plugin = props.gatewayApiPlugin ?? { version: 'v0.15.0', arch: 'amd64' as const };
  if (plugin !== false) {
    v.check('gatewayApiPlugin.version', plugin.version, rules.exactVersion);
    if (plugin.arch !== 'amd64' && plugin.arch !== 'arm64')
      v.fail('gatewayApiPlugin.arch', plugin.arch, 'must be "amd64" or "arm64" (the nodes\' architecture)');
  }
  // argo-helm argo-rollouts-2.40.5 values.yaml: controller.trafficRouterPlugins (rendered into the
  // argo-rollouts-config ConfigMap); providerRBAC.providers.gatewayAPI (default true) grants the HTTPRoute rights.
  // Release assets are gatewayapi-plugin-linux-<arch> (the plugin's Makefile, v0.15.0)
  const trafficRouterPlugins =
    plugin === false
      ? []
      : [
          {
            name: 'argoproj-labs/gatewayAPI',
            location: `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/${plugin.version}/gatewayapi-plugin-linux-${plugin.arch}`,
          },
        ];
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  return declareAddon({
    id: 'argo-rollouts',
    props,
    validator: v,
    defaultNamespace: 'argo-rollouts',
    values: {
      installCRDs: true,
      keepCRDs: true,
      controller: { replicas: 1, resources: requestsOf(size), trafficRouterPlugins },
      dashboard: { enabled: false },
      providerRBAC: { enabled: true, providers: { gatewayAPI: true } },
    },
    provides: () => ({ progressiveDelivery: { gatewayApiTrafficRouting: plugin !== false } }),
    providesCrds: ['argoproj.io'],
    // argoproj.io is shared with Argo CD: this chart serves only the Rollouts kinds
    providesKinds: { 'argoproj.io': ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'] },
    components: { controller: size },
  });
}
