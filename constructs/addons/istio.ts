import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';

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
  /**
   * Install the Istio CNI node agent (chart `cni`) so injected Pods need no `istio-init` container
   * with NET_ADMIN/NET_RAW: meshed namespaces keep Pod Security `restricted`.
   * @default true
   */
  readonly cni?: boolean;
}

/** Istio: `istio-base` (CRDs) then `istiod` (ordered by the CRDs it needs), both in istio-system. */
export function istio(props: IstioProps = {}): AddonDeclaration[] {
  const v = addonValidator('istiod', props, { size: SIZE_SPEC, replicas: 'number', cni: 'boolean' });
  const cni = props.cni ?? true;
  const replicas = props.replicas ?? 2;
  const size = { cpu: '100m', memory: '256Mi', ...props.size, replicas };
  const namespace = props.namespace ?? 'istio-system';
  const base = declareAddon({
    id: 'istio-base',
    props: { namespace, version: props.version },
    validator: addonValidator('istio-base', {}, {}),
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
    // istio 1.28.0 (and 1.28.10) manifests/charts/istio-control/istio-discovery: the chart reads top-level
    // replicaCount (deployment.yaml), autoscaleMin (autoscale.yaml) and resources (deployment.yaml);
    // values.yaml nests their defaults under _internal_defaults_do_not_set, and `pilot.*` is ignored
    // top-level `cni.enabled` becomes the injector's `pilot.cni.enabled` (templates/istiod-injector-configmap.yaml
    // `pick .Values "cni" "env"`), which drops istio-init from injected Pods (files/injection-template.yaml)
    values: {
      replicaCount: replicas,
      autoscaleMin: replicas,
      resources: requestsOf(size),
      global: { proxy: { resources: requestsOf({ cpu: '10m', memory: '64Mi' }) } },
      ...(cni ? { cni: { enabled: true } } : {}),
    },
    requiresCrds: ['networking.istio.io', 'security.istio.io'],
    dependsOn: cni ? ['istio-cni'] : [],
    components: { istiod: size },
    provides: (ns) => ({ mesh: { engine: 'istio', namespace: ns, cni } }),
  });
  if (!cni) return [base, istiod];
  const node = { cpu: '10m', memory: '64Mi', perNode: true };
  // the CNI agent is a hostNetwork DaemonSet writing the node's CNI config (templates/daemonset.yaml)
  const cniAgent = declareAddon({
    id: 'istio-cni',
    props: { namespace, version: props.version },
    validator: addonValidator('istio-cni', {}, {}),
    defaultNamespace: namespace,
    // manifests/charts/istio-cni/templates/daemonset.yaml reads top-level `resources`
    values: { resources: requestsOf(node) },
    podSecurity: 'privileged',
    components: { agent: node },
  });
  return [base, cniAgent, istiod];
}
