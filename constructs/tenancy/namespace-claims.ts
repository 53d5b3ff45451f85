/**
 * Who owns a namespace: one Tenant or AppNamespace per name in a construct tree, and never one of
 * the platform's (the cluster's system namespaces, the add-ons', the secret stores'). A tenant
 * holding an add-on's namespace would hold its ServiceAccounts' tokens and its Secrets.
 */
import type { Construct } from 'constructs';
import { dns1123Label } from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import type { PlatformContract } from '../platform/contract';

/** Namespaces Kubernetes itself manages (the `kube-` prefix it reserves is checked by {@link reservedNamespace}). */
export const KUBERNETES_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const CLAIMS = new WeakMap<Construct, Map<string, string>>();

/** Why `name` cannot be a tenant's or an app's namespace on `platform`; undefined when it can. */
export function reservedNamespace(name: string, platform?: PlatformContract): string | undefined {
  if (KUBERNETES_NAMESPACES.includes(name)) return 'must not be a namespace Kubernetes manages';
  if (name.startsWith('kube-')) return 'must not start with "kube-" (reserved for Kubernetes)';
  const owner = platform?.platformNamespaces.find((n) => n.value === name);
  if (owner !== undefined) return `is the platform's namespace (${owner.by}): a team never shares it`;
  const store = platform?.secretStoreBackends.map(
    (s) => (s.value.provider as { kubernetes?: { remoteNamespace?: string } }).kubernetes?.remoteNamespace,
  );
  const prefix = store?.find((ns) => ns !== undefined && name.startsWith(`${ns}-`));
  if (prefix !== undefined) return `starts with "${prefix}-", where tenants' secret stores keep their Secrets`;
  return undefined;
}

/** Checks a namespace a Tenant or an AppNamespace creates at `field`: a DNS-1123 label, and (when it is one) none {@link reservedNamespace} refuses. */
export function checkNamespaceName(v: PropsValidator, field: string, name: string, platform?: PlatformContract): void {
  v.check(field, name, dns1123Label);
  const reserved = dns1123Label(name) === undefined ? reservedNamespace(name, platform) : undefined;
  if (reserved !== undefined) v.fail(field, name, reserved);
}

/** Fails for each of `names` another Tenant or AppNamespace of the same tree holds; records them otherwise. */
export function claimNamespaces(
  v: PropsValidator,
  owner: Construct,
  what: string,
  names: readonly string[],
  field: (i: number) => string,
): () => void {
  const root = owner.node.root;
  const claims = CLAIMS.get(root) ?? new Map<string, string>();
  CLAIMS.set(root, claims);
  const me = `${what} '${owner.node.path}'`;
  names.forEach((n, i) => {
    const held = claims.get(n);
    if (held !== undefined && held !== me)
      v.fail(field(i), n, `is already held by ${held}: a namespace belongs to one tenant or app`);
  });
  return () => names.forEach((n) => claims.set(n, me));
}
