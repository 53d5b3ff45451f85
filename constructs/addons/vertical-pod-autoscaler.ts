import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  restrictedContainer,
  restrictedPod,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { ownAddon } from './register';

/** Props of the Vertical Pod Autoscaler add-on. */
export interface VerticalPodAutoscalerProps extends AddonProps {
  /**
   * Also run the updater and the admission controller, so `Recreate`/`InPlaceOrRecreate`
   * VerticalPodAutoscalers change Pods. Off: recommendations only (`updateMode: 'Off'`), which is
   * safe next to HPAs and needs no webhook. The admission controller's serving certificate comes
   * from cert-manager (a self-signed CA Issuer in the add-on's namespace).
   * @default false
   */
  readonly updater?: boolean;
  /**
   * Recommender replicas (2 or more use leader election).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Requests of each component (limits: the memory request).
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
}

/**
 * The Vertical Pod Autoscaler (kubernetes/autoscaler `vertical-pod-autoscaler` chart 0.11.0, VPA
 * 1.7.1): the recommender, and with `updater` the updater and admission controller. Read at
 * vertical-pod-autoscaler-chart-0.11.0: `recommender|updater|admissionController.enabled`,
 * `replicas`, `resources`; the pod-level `podSecurityContext` and container-level
 * `containerSecurityContext` shared by all three (templates/*-deployment.yaml); the CRDs in
 * `crds/` (group autoscaling.k8s.io, v1 served); `admissionController.certManager` with
 * `createSelfSignedIssuer` (templates/admission-controller-certmanager.yaml) instead of the
 * certgen Job.
 */
export function verticalPodAutoscaler(props: VerticalPodAutoscalerProps = {}): AddonDeclaration {
  const v = addonValidator('vertical-pod-autoscaler', props, {
    updater: 'boolean',
    replicas: 'number',
    size: SIZE_SPEC,
  });
  const updater = props.updater ?? false;
  const replicas = props.replicas ?? 1;
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  const acting = updater === true;
  const component = (enabled: boolean): Record<string, unknown> => ({ enabled, replicas, resources: requestsOf(size) });
  return declareAddon({
    id: 'vertical-pod-autoscaler',
    props,
    validator: v,
    defaultNamespace: 'vpa-system',
    values: {
      podSecurityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(),
      recommender: component(true),
      updater: component(acting),
      admissionController: {
        ...component(acting),
        certGen: { enabled: false },
        certManager: { enabled: acting, createSelfSignedIssuer: { enabled: acting } },
      },
    },
    providesCrds: ['autoscaling.k8s.io'],
    requiresCrds: acting ? ['cert-manager.io'] : [],
    podSecurity: 'restricted',
    provides: () => ({ verticalPodAutoscaling: { updater: acting } }),
    components: acting
      ? {
          recommender: { ...size, replicas },
          updater: { ...size, replicas },
          admissionController: { ...size, replicas },
        }
      : { recommender: { ...size, replicas } },
  });
}

/** Its registry entry: the profile's `verticalPodAutoscaler` key. */
export const verticalPodAutoscalerAddon = ownAddon({
  id: 'vertical-pod-autoscaler',
  profileKey: 'verticalPodAutoscaler',
  defaultProps: {},
  declare: verticalPodAutoscaler,
  example: {},
});
