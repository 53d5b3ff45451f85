import { type AddonDeclaration, chartNamespace } from './addon';
import type { PodSecurityLevel } from '../internal/labels';
import type { ManifestObject } from '../policy/check-manifests';

const LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/**
 * Gives every add-on namespace (but the cluster's own) one Namespace object with explicit Pod
 * Security labels: the most permissive level any chart installed there declares, so a namespace
 * is privileged only where a component needs it (node exporters, CNI agents). It goes first into
 * the prerequisites of the first add-on installed there, merged with any Namespace an add-on
 * already brings (Linkerd's labels); the planner orders every chart in that namespace after it.
 */
export function withNamespaces(
  decls: readonly AddonDeclaration[],
  systemNamespaces: readonly string[],
): AddonDeclaration[] {
  const byNamespace = new Map<string, AddonDeclaration[]>();
  for (const d of decls) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);
  const replaced = new Map<AddonDeclaration, AddonDeclaration>();
  for (const [ns, group] of byNamespace) {
    if (systemNamespaces.includes(ns)) continue;
    const level = LEVELS[Math.max(...group.map((d) => LEVELS.indexOf(d.podSecurity)))];
    const own = group.flatMap((d) => d.prerequisites).filter((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
    const labels = Object.assign({}, ...own.map((o) => o.metadata?.labels ?? {})) as Record<string, string>;
    const annotations = Object.assign({}, ...own.map((o) => o.metadata?.annotations ?? {})) as Record<string, string>;
    const namespace: ManifestObject = chartNamespace(ns, level, {
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    });
    group.forEach((d, i) => {
      const rest = d.prerequisites.filter((o) => !(o.kind === 'Namespace' && o.metadata?.name === ns));
      replaced.set(d, { ...d, prerequisites: i === 0 ? [namespace, ...rest] : rest });
    });
  }
  return decls.map((d) => replaced.get(d) ?? d);
}
