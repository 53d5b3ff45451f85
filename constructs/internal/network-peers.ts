/**
 * NetworkPolicy parts several renderers share: a namespace peer, a peer narrowed to a component's
 * Pods, and egress to the cluster's DNS.
 */
type Json = Record<string, unknown>;

/** The cloud metadata endpoint: egress never reaches it (node and instance credentials live there). */
export const METADATA_CIDR = '169.254.169.254/32';

/** The Pods of a namespace (the API server labels every namespace `kubernetes.io/metadata.name: <name>`). */
export function namespacePeer(name: string): Json {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
}

/** A component's Pods: its namespace, narrowed to its Pods' labels when it names them. */
export function sourcePeer(source: {
  readonly namespace: string;
  readonly podLabels?: Readonly<Record<string, string>>;
}): Json {
  return {
    ...namespacePeer(source.namespace),
    ...(source.podLabels !== undefined ? { podSelector: { matchLabels: { ...source.podLabels } } } : {}),
  };
}

/** Egress to CoreDNS on 53 UDP and TCP: its Pods carry `k8s-app: kube-dns` in kube-system on kubeadm (kind) and EKS alike. */
export function coreDnsEgress(): Json {
  return {
    to: [{ ...namespacePeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ],
  };
}

/**
 * Egress to the API server. Its address (its Service's endpoints: 6443 on kind/kubeadm, 443 on EKS)
 * is not knowable in advance, so 443 and 6443 go to any IPv4 address but the metadata endpoint.
 */
export function apiServerEgress(): Json {
  return {
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [METADATA_CIDR] } }],
    ports: [
      { port: 443, protocol: 'TCP' },
      { port: 6443, protocol: 'TCP' },
    ],
  };
}
