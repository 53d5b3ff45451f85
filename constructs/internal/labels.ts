/** The label every object this library renders carries. */
export const MANAGED_BY: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'k8s-groundwork' };

/** Label every tenant namespace carries: the team that owns it (Gateway listeners and admission policies select by it). */
export const TENANT_LABEL = 'groundwork.io/tenant';

/** Pod Security Standards level. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Pod Security admission version the labels pin (a new Kubernetes release cannot tighten it under a running app). */
export const POD_SECURITY_VERSION = 'v1.33';

/** Pod Security admission labels: enforce, audit and warn at `level`, each pinned to {@link POD_SECURITY_VERSION}. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    out[`pod-security.kubernetes.io/${mode}`] = level;
    out[`pod-security.kubernetes.io/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return out;
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
export const FLUX_CREATE_ONLY_ANNOTATION: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent',
};
