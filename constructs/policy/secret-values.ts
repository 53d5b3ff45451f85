/** The `secret-values` rule outside Pods: ConfigMaps and the Helm values of GitOps objects. */
import { findSecrets, type SecretFinding } from '../internal/secrets';
import { rec } from './malformed';
import type { ManifestObject } from './rules-table';

/**
 * Secrets in what is not a Pod: ConfigMap data, and the Helm values GitOps objects carry (an Argo
 * CD Application's `helm.valuesObject`, a Flux HelmRelease's `values`).
 */
export function secretsOutsidePods(o: ManifestObject): SecretFinding[] {
  const spec = rec(o.spec);
  if (o.kind === 'ConfigMap') return findSecrets(o.data ?? {}, 'data');
  if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
    const sources: unknown[] = [spec.source, ...(Array.isArray(spec.sources) ? (spec.sources as unknown[]) : [])];
    return sources.flatMap((src: unknown, i) =>
      findSecrets(
        rec(rec(src).helm).valuesObject,
        i === 0 ? 'spec.source.helm.valuesObject' : `spec.sources[${i - 1}].helm.valuesObject`,
      ),
    );
  }
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/'))
    return findSecrets(spec.values, 'spec.values');
  return [];
}
