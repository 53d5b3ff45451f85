import { AddonDeclaration, AddonProps, addonValidator, ComponentSize, declareAddon, requestsOf } from './addon';

/** Props of the Istio add-on (base CRDs and istiod). */
export interface IstioProps extends AddonProps {
  /**
   * istiod requests.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * istiod replicas.
   * @default 2
   */
  readonly replicas?: number;
}

/** Istio: `istio-base` (CRDs) then `istiod` (ordered by the CRDs it needs), both in istio-system. */
export function istio(props: IstioProps = {}): AddonDeclaration[] {
  const v = addonValidator('istiod', props, ['size', 'replicas']);
  const replicas = props.replicas ?? 2;
  const size = { cpu: '100m', memory: '256Mi', ...props.size, replicas };
  const namespace = props.namespace ?? 'istio-system';
  const base = declareAddon({
    id: 'istio-base',
    props: { namespace, version: props.version },
    validator: addonValidator('istio-base', {}, []),
    defaultNamespace: namespace,
    values: { defaultRevision: 'default' },
    providesCrds: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
    components: {},
  });
  const istiod = declareAddon({
    id: 'istiod',
    props,
    validator: v,
    defaultNamespace: namespace,
    // istio 1.28.0 manifests/charts/istio-control/istio-discovery: the chart reads top-level
    // replicaCount (deployment.yaml), autoscaleMin (autoscale.yaml) and resources (deployment.yaml);
    // values.yaml nests their defaults under _internal_defaults_do_not_set, and `pilot.*` is ignored
    values: { replicaCount: replicas, autoscaleMin: replicas, resources: requestsOf(size), global: { proxy: { resources: requestsOf({ cpu: '10m', memory: '64Mi' }) } } },
    requiresCrds: ['networking.istio.io', 'security.istio.io'],
    components: { istiod: size },
    provides: (ns) => ({ mesh: { engine: 'istio', namespace: ns } }),
  });
  return [base, istiod];
}
