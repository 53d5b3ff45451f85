/**
 * The companion objects of a workload (ServiceAccount, Service, Deployment, PodDisruptionBudget,
 * NetworkPolicy), rendered from a resolved {@link WorkloadSpec}. Pure: spec in, manifests out;
 * the construct creates each under its role id.
 */
import type { ApiObjectProps } from 'cdk8s';
import { namespacePeer } from '../internal/network-peers';
import type { DisruptionBudgetProps, EgressProps, NetworkPeer, RollingUpdateProps } from './types';
import { NAME_LABEL, type ResolvedPort } from './workload-props';
import type { WorkloadSpec } from './workload-spec';

type Json = Record<string, unknown>;

/** One object of a workload: its role id (a contract), its manifest and, when it has one, the public member it becomes. */
export interface WorkloadPart<R extends string = string> {
  readonly id: string;
  readonly manifest: ApiObjectProps;
  readonly role?: R;
}

/** A workload's props resolved: at least the shared props, checked and defaulted. */
export interface ResolvedWorkload {
  readonly workload: WorkloadSpec;
}

/** What `metadata` adds: another name, annotations, and the opt-outs of the object that owns the Pods. */
export interface MetadataExtras {
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly podOwner?: boolean;
}

/** Standard metadata for an object of the workload. */
export function workloadMetadata(spec: WorkloadSpec, extra: MetadataExtras = {}): Json {
  const meta: Json = { name: extra.name ?? spec.name, namespace: spec.namespace, labels: { ...spec.labels } };
  const annotations = { ...extra.annotations, ...(extra.podOwner ? spec.optOuts : {}) };
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  return meta;
}

/** The ServiceAccount the Pods run as (role id `ServiceAccount`). */
export function renderServiceAccount(spec: WorkloadSpec): ApiObjectProps {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: workloadMetadata(spec, { annotations: spec.serviceAccount.annotations }),
    automountServiceAccountToken: spec.serviceAccount.automountToken,
  };
}

/** How a Service differs from the workload's main one: role id, name and a narrower selector. */
export interface ServiceAs {
  readonly id?: string;
  readonly name?: string;
  readonly selector?: Readonly<Record<string, string>>;
}

/** A Service selecting the Pods (narrowed by `as.selector`), each port targeting its named container port. */
export function renderService(
  wl: WorkloadSpec,
  ports: readonly ResolvedPort[],
  spec: Json,
  as: ServiceAs = {},
): ApiObjectProps {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: workloadMetadata(wl, { name: as.name }),
    spec: {
      ...spec,
      selector: { ...wl.selectorLabels, ...as.selector },
      ports: ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol })),
    },
  };
}

/** A Deployment of `template`; `replicas` undefined leaves scaling to an HPA. `as` renames it and narrows its selector (blue-green colours). */
export function renderDeployment(
  wl: WorkloadSpec,
  template: Json,
  replicas: number | undefined,
  ru: RollingUpdateProps | undefined,
  as: { name: string; selector: Readonly<Record<string, string>> } | undefined = undefined,
): ApiObjectProps {
  const spec: Json = {
    selector: { matchLabels: { ...wl.selectorLabels, ...as?.selector } },
    revisionHistoryLimit: 5,
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: ru?.maxSurge ?? '25%', maxUnavailable: ru?.maxUnavailable ?? 0 },
    },
    template,
  };
  if (replicas !== undefined) spec.replicas = replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMetadata(wl, { name: as?.name, podOwner: true }),
    spec,
  };
}

/** The PodDisruptionBudget (role id `Pdb`), undefined when opted out. */
export function renderDisruptionBudget(
  wl: WorkloadSpec,
  pdb: DisruptionBudgetProps | false | undefined,
): ApiObjectProps | undefined {
  if (pdb === false) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: workloadMetadata(wl),
    spec: {
      maxUnavailable: pdb?.maxUnavailable ?? 1,
      selector: { matchLabels: { ...wl.selectorLabels } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/**
 * The NetworkPolicy (role id `NetworkPolicy`), undefined when opted out: denies all ingress to the
 * Pods except `ports` from the declared peers plus `extraPeers` (e.g. the ingress controller's namespace).
 */
export function renderNetworkPolicy(
  wl: WorkloadSpec,
  ports: readonly ResolvedPort[],
  extraPeers: readonly NetworkPeer[] = [],
): ApiObjectProps | undefined {
  const np = wl.networkPolicy;
  if (np === false) return undefined;
  const peers = [...extraPeers, ...np.allowFrom];
  const ingress =
    peers.length > 0 && ports.length > 0
      ? [
          {
            from: peers.map((peer) => renderPeer(wl, peer)),
            ports: ports.map((x) => ({ port: x.containerPort, protocol: x.protocol })),
          },
        ]
      : [];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: workloadMetadata(wl),
    spec: {
      podSelector: { matchLabels: { ...wl.selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress: egressRules(wl, np.egress),
    },
  };
}

function egressRules(wl: WorkloadSpec, egress: 'unrestricted' | EgressProps): Json[] {
  if (egress === 'unrestricted') return [{}];
  const out: Json[] = [];
  if (egress.allowDns ?? true) {
    out.push({
      to: [namespacePeer('kube-system')],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    });
  }
  if ((egress.allowTo ?? []).length > 0) out.push({ to: (egress.allowTo ?? []).map((peer) => renderPeer(wl, peer)) });
  if ((egress.allowCidrs ?? []).length > 0)
    out.push({ to: (egress.allowCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })) });
  return out;
}

function renderPeer(wl: WorkloadSpec, peer: NetworkPeer): Json {
  const out: Json = {};
  if (peer.namespace !== undefined && peer.namespace !== wl.namespace) {
    out.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } };
  }
  if (peer.app !== undefined) out.podSelector = { matchLabels: { [NAME_LABEL]: peer.app } };
  if (peer.podLabels !== undefined && Object.keys(peer.podLabels).length > 0)
    out.podSelector = { matchLabels: { ...peer.podLabels } };
  if (out.podSelector === undefined && out.namespaceSelector === undefined) out.podSelector = {};
  return out;
}
