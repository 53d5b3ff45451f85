import { AddonDeclaration, AddonProps, addonValidator, ComponentSize, declareAddon, requestsOf } from './addon';

/** Props of the Argo Rollouts add-on. */
export interface ArgoRolloutsProps extends AddonProps {
  /**
   * Controller requests.
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
}

/** Argo Rollouts: the controller behind canary and blue-green releases. */
export function argoRollouts(props: ArgoRolloutsProps = {}): AddonDeclaration {
  const v = addonValidator('argo-rollouts', props, ['size']);
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  return declareAddon({
    id: 'argo-rollouts',
    props,
    validator: v,
    defaultNamespace: 'argo-rollouts',
    values: { installCRDs: true, keepCRDs: true, controller: { replicas: 1, resources: requestsOf(size) }, dashboard: { enabled: false } },
    providesCrds: ['argoproj.io'],
    // argoproj.io is shared with Argo CD: this chart serves only the Rollouts kinds
    providesKinds: { 'argoproj.io': ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'] },
    components: { controller: size },
  });
}
