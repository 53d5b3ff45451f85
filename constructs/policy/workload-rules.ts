/** What the `network-policy`, `disruption-budget` and `topology-spread` rules read from NetworkPolicies, PodDisruptionBudgets and Pod specs. */
import { arr, rec, type Json } from './malformed';
import type { PodOwner } from './pod-security';
import { refKey, type ManifestObject } from './rules-table';

export const HOSTNAME = 'kubernetes.io/hostname';

/** A NetworkPolicy's effective policy types (unset: Ingress, plus Egress when it has egress rules). */
export function policyTypesOf(np: ManifestObject): string[] {
  const spec = rec(np.spec);
  if (Array.isArray(spec.policyTypes))
    return (spec.policyTypes as unknown[]).filter((t): t is string => typeof t === 'string');
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** An egress rule that lets DNS queries out: no port list (every port), or UDP 53 in it. */
export function allowsDns(rule: Json): boolean {
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) return true;
  return arr(rule.ports).some(
    (port) =>
      port.protocol === 'UDP' &&
      (port.port === 53 ||
        port.port === undefined ||
        (typeof port.endPort === 'number' && typeof port.port === 'number' && port.port <= 53 && port.endPort >= 53)),
  );
}

/** Effective replica count: the HPA's minimum if autoscaled, else spec.replicas (default 1). */
export function replicaCount(p: PodOwner, hpaByTarget: ReadonlyMap<string, ManifestObject>): number {
  const hpa = hpaByTarget.get(refKey(p.obj.kind, p.namespace, p.obj.metadata?.name));
  const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 1);
  if (hpa) return count(rec(hpa.spec).minReplicas);
  if (p.obj.kind === 'DaemonSet') return 2;
  return count(rec(p.obj.spec).replicas);
}

export function pdbAllowsEviction(pdb: ManifestObject, replicas: number): boolean {
  const spec = rec(pdb.spec);
  const pct = (v: unknown): number | undefined =>
    typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) : undefined;
  if (spec.maxUnavailable !== undefined) {
    const p = pct(spec.maxUnavailable);
    return p !== undefined ? Math.ceil((p / 100) * replicas) >= 1 : Number(spec.maxUnavailable) >= 1;
  }
  if (spec.minAvailable !== undefined) {
    const p = pct(spec.minAvailable);
    return p !== undefined ? Math.ceil((p / 100) * replicas) < replicas : Number(spec.minAvailable) < replicas;
  }
  return false;
}

export function spreadsAcrossNodes(spec: Json): boolean {
  const tsc = arr(spec.topologySpreadConstraints).some((c) => c.topologyKey === HOSTNAME);
  const aa = rec(rec(spec.affinity).podAntiAffinity);
  const anti = [
    ...arr(aa.requiredDuringSchedulingIgnoredDuringExecution),
    ...arr(aa.preferredDuringSchedulingIgnoredDuringExecution).map((w) => rec(w.podAffinityTerm)),
  ].some((t) => t.topologyKey === HOSTNAME);
  return tsc || anti;
}
