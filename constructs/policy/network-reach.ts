/**
 * A small NetworkPolicy evaluator: can Pod A open a connection to Pod B (or an IP) on a port,
 * given the NetworkPolicies and Namespaces of a rendering? Implements the Kubernetes semantics:
 * a Pod is isolated for a direction when any policy of its namespace selects it with that policy
 * type; an isolated Pod admits what the union of those policies' rules allows; a connection needs
 * both the source's egress and the destination's ingress. Pure; for tests and reviews.
 */
import type { LabelSelector, ManifestObject } from './check-manifests';
import { selectorMatches } from './check-manifests';
import { cidrContains } from '../internal/rules';

/** A Pod, by namespace and labels (and, optionally, the named ports it exposes). */
export interface PodEndpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container port names to numbers, for rules naming ports. @default - none */
  readonly ports?: Readonly<Record<string, number>>;
}

/** An address outside the cluster's Pods (the cloud metadata endpoint, a database). */
export interface IpEndpoint {
  readonly ip: string;
}

type Json = Record<string, unknown>;
type Endpoint = PodEndpoint | IpEndpoint;
/** A NetworkPolicy port entry (our own rendered policies: well-formed). */
interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

function isPod(e: Endpoint): e is PodEndpoint {
  return 'namespace' in e;
}

function policyTypes(np: ManifestObject): string[] {
  const spec = (np.spec ?? {}) as Json;
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes as string[];
  return ['Ingress', ...(spec.egress ? ['Egress'] : [])];
}

/** Does a policy peer (`from`/`to` entry) match `other`, seen from a policy in `policyNamespace`? */
function peerMatches(
  peer: Json,
  policyNamespace: string,
  other: Endpoint,
  nsLabels: (ns: string) => Record<string, string>,
): boolean {
  if (peer.ipBlock) {
    if (isPod(other)) return false;
    const { cidr, except } = peer.ipBlock as { cidr: string; except?: string[] };
    return cidrContains(cidr, other.ip) && !(except ?? []).some((c) => cidrContains(c, other.ip));
  }
  if (!isPod(other)) return false;
  if (peer.namespaceSelector !== undefined) {
    if (!selectorMatches(peer.namespaceSelector as LabelSelector, nsLabels(other.namespace))) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector === undefined || selectorMatches(peer.podSelector as LabelSelector, other.labels);
}

function portMatches(
  ports: readonly PolicyPort[] | undefined,
  port: number,
  protocol: string,
  target: Endpoint,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number')
      return p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort);
    return isPod(target) && target.ports?.[p.port] === port;
  });
}

/** Whether `direction` traffic of `pod` (to or from `other`) is allowed by the policies of its namespace. */
function allowedBy(
  policies: readonly ManifestObject[],
  pod: PodEndpoint,
  other: Endpoint,
  direction: 'Ingress' | 'Egress',
  port: number,
  protocol: string,
  nsLabels: (ns: string) => Record<string, string>,
): boolean {
  const selecting = policies.filter(
    (np) =>
      np.metadata?.namespace === pod.namespace &&
      policyTypes(np).includes(direction) &&
      selectorMatches((((np.spec ?? {}) as Json).podSelector ?? {}) as LabelSelector, pod.labels),
  );
  if (selecting.length === 0) return true;
  const target = direction === 'Ingress' ? pod : other;
  return selecting.some((np) => {
    const rules = (((np.spec ?? {}) as Json)[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []) as Json[];
    return rules.some((r) => {
      const peers = (direction === 'Ingress' ? r.from : r.to) as Json[] | undefined;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, pod.namespace, other, nsLabels));
      return peerOk && portMatches(r.ports as PolicyPort[] | undefined, port, protocol, target);
    });
  });
}

/**
 * Whether `from` can open a connection to `to` on `port` under the NetworkPolicies in `objects`
 * (Namespaces in `objects` supply namespace labels; every namespace also carries
 * `kubernetes.io/metadata.name`).
 */
export function canReach(
  objects: readonly ManifestObject[],
  from: PodEndpoint,
  to: Endpoint,
  port: number,
  protocol: 'TCP' | 'UDP' = 'TCP',
): boolean {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const labels = new Map(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata?.name ?? '', o.metadata?.labels ?? {}]),
  );
  const nsLabels = (ns: string): Record<string, string> => ({ ...labels.get(ns), 'kubernetes.io/metadata.name': ns });
  if (!allowedBy(policies, from, to, 'Egress', port, protocol, nsLabels)) return false;
  return !isPod(to) || allowedBy(policies, to, from, 'Ingress', port, protocol, nsLabels);
}
