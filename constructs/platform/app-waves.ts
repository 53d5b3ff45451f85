import type { ManifestObject } from '../policy/check-manifests';

/** An ordered group of app objects applied together; later waves depend on earlier ones. */
export interface Wave {
  /** File stem, e.g. `00-namespaces`. */
  readonly name: string;
  readonly objects: readonly ManifestObject[];
}

const WAVES: ReadonlyArray<{ name: string; kinds: readonly string[] }> = [
  { name: '00-namespaces', kinds: ['Namespace'] },
  { name: '10-crds', kinds: ['CustomResourceDefinition'] },
  // quotas and container defaults before any Pod (a LimitRange applies only to Pods created after it),
  // tenants' secret stores before the ExternalSecrets that read them, mesh policy before meshed Pods,
  // tenants' admission policies before anything they hold to the tenant's hostnames
  {
    name: '15-tenancy',
    kinds: [
      'ResourceQuota',
      'LimitRange',
      'ClusterSecretStore',
      'SecretStore',
      'PeerAuthentication',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ],
  },
  { name: '20-identity', kinds: ['ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] },
  { name: '30-config', kinds: ['ConfigMap', 'Secret', 'ExternalSecret', 'PersistentVolumeClaim', 'AnalysisTemplate'] },
  { name: '40-services', kinds: ['Service'] },
  { name: '50-workloads', kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'] },
  {
    name: '60-policies',
    kinds: ['HorizontalPodAutoscaler', 'VerticalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'],
  },
  { name: '70-routing', kinds: ['Ingress', 'HTTPRoute', 'GRPCRoute'] },
];
const OTHER_WAVE = '80-other';

/**
 * Groups app objects into apply waves (namespaces, CRDs, tenancy, identity, config, services, workloads,
 * policies, routing, everything else). Order inside a wave is stable: the input order.
 */
export function orderIntoWaves(objects: readonly ManifestObject[]): Wave[] {
  const byName = new Map<string, ManifestObject[]>();
  const waveOf = new Map<string, string>();
  for (const w of WAVES) for (const k of w.kinds) waveOf.set(k, w.name);
  for (const o of objects) {
    const wave = waveOf.get(o.kind) ?? OTHER_WAVE;
    let list = byName.get(wave);
    if (!list) byName.set(wave, (list = []));
    list.push(o);
  }
  return [...WAVES.map((w) => w.name), OTHER_WAVE]
    .filter((name) => byName.has(name))
    .map((name) => ({ name, objects: byName.get(name) as ManifestObject[] }));
}
