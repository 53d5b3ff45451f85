import { type AddonDeclaration, type AddonProps, addonValidator, type ComponentSize, declareAddon, requestsOf, SIZE_SPEC } from './addon';

/** Props of the Flux add-on. */
export interface FluxProps extends AddonProps {
  /**
   * Requests of each controller (source, kustomize, helm, notification).
   * @default { cpu: '50m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

/**
 * The annotation that makes kustomize-controller create an object once and never apply it again
 * (fluxcd/kustomize-controller v1.7.3 docs/spec/v1/kustomizations.md, "Controlling the apply
 * behavior of resources", `kustomize.toolkit.fluxcd.io/ssa: IfNotPresent`; flux2 chart 2.17.2 ships
 * that controller with Flux 2.7.5). A Flux Kustomization cannot ignore fields the way an Argo CD
 * Application can, and `Merge` does not help for an HTTPRoute: `spec.rules` is an atomic list
 * (kubernetes-sigs/gateway-api v1.6.1 apis/v1/httproute_types.go HTTPRouteSpec.Rules
 * `+listType=atomic`), so every apply puts the weights a canary set back to the manifest's. The
 * HTTPRoutes (and GRPCRoutes) a canary Rollout shifts weights on carry this annotation: later
 * changes to such a route in Git are then not applied by Flux (delete the route to have it
 * re-created). Pruning still removes it.
 */
export const FLUX_CREATE_ONLY_ANNOTATION: Readonly<Record<string, string>> = { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' };

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
      sourceController: controller,
      kustomizeController: controller,
      helmController: controller,
      notificationController: controller,
      imageAutomationController: { create: false },
      imageReflectionController: { create: false },
    },
    providesCrds: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io'],
    components: { source: size, kustomize: size, helm: size, notification: size },
  });
}
