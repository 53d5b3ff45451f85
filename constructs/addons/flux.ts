import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';

/** Props of the Flux add-on. */
export interface FluxProps extends AddonProps {
  /**
   * Requests of each controller (source, kustomize, helm, notification).
   * @default { cpu: '50m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

export { FLUX_CREATE_ONLY_ANNOTATION } from '../internal/labels';

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
    providesCrds: [
      'source.toolkit.fluxcd.io',
      'kustomize.toolkit.fluxcd.io',
      'helm.toolkit.fluxcd.io',
      'notification.toolkit.fluxcd.io',
    ],
    components: { source: size, kustomize: size, helm: size, notification: size },
  });
}
