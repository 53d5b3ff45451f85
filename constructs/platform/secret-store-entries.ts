import type { ManifestObject } from '../policy/check-manifests';

/** What the ExternalSecrets of a rendering read from one secret store. */
export interface StoreEntries {
  /** Store name (`secretStoreRef.name`). */
  readonly store: string;
  /** Namespace holding the store's Secrets when it lives in the cluster itself (Kubernetes backend); undefined otherwise. */
  readonly localNamespace?: string;
  /** Remote keys read, each with the properties read from it, sorted. */
  readonly keys: ReadonlyMap<string, readonly string[]>;
}

/**
 * The entries each secret store must hold for the ExternalSecrets among `objects`, stores sorted
 * by name. Preflight lists them; the bootstrap creates those of in-cluster stores.
 */
export function secretStoreEntries(objects: readonly ManifestObject[]): StoreEntries[] {
  const local = new Map<string, string>();
  for (const o of objects) {
    const remote = (o.spec as { provider?: { kubernetes?: { remoteNamespace?: string } } } | undefined)?.provider
      ?.kubernetes?.remoteNamespace;
    if (o.kind === 'ClusterSecretStore' && remote !== undefined) local.set(o.metadata?.name ?? '', remote);
  }
  const byStore = new Map<string, Map<string, Set<string>>>();
  for (const o of objects) {
    if (o.kind !== 'ExternalSecret') continue;
    const spec = o.spec as
      { secretStoreRef?: { name?: string }; data?: { remoteRef?: { key?: string; property?: string } }[] } | undefined;
    const store = spec?.secretStoreRef?.name ?? '?';
    const keys = byStore.get(store) ?? new Map<string, Set<string>>();
    byStore.set(store, keys);
    for (const d of spec?.data ?? []) {
      const key = d.remoteRef?.key;
      if (!key) continue;
      const props = keys.get(key) ?? new Set<string>();
      if (d.remoteRef?.property !== undefined) props.add(d.remoteRef.property);
      keys.set(key, props);
    }
  }
  return [...byStore]
    .filter(([, keys]) => keys.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([store, keys]) => ({
      store,
      ...(local.has(store) ? { localNamespace: local.get(store) } : {}),
      keys: new Map([...keys].sort(([a], [b]) => a.localeCompare(b)).map(([k, p]) => [k, [...p].sort()])),
    }));
}
