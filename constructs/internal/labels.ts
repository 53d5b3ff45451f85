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
