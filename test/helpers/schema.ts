/**
 * Schema validation of synthesized objects: the Kubernetes OpenAPI schema (kubernetes-models) and
 * CRD schemas (@kubernetes-models/* packages); for CRDs no model package covers (Velero,
 * Gatekeeper) the hand-written schemas in crd-schemas.ts.
 */
import type { ManifestObject } from '../../constructs';
import { handWrittenValidator, newerUpstreamFields } from './crd-schemas';
import { unknownCustomFields, unknownFields } from './strict-fields';

type ModelCtor = { new (data: unknown): { validate(): void }; prototype: { validate(this: unknown): void } };

/** API group to the package that ships its models. */
const PACKAGES: Record<string, string> = {
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kyverno.io': '@kubernetes-models/kyverno',
  'security.istio.io': '@kubernetes-models/istio',
  'networking.istio.io': '@kubernetes-models/istio',
};

/** argoproj.io is shared: Argo Rollouts' kinds come from their own package. */
const ROLLOUTS_KINDS = new Set(['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment']);

/**
 * API versions (or version/kind pairs) checked against the schema of the version they were promoted
 * from, because the CommonJS model lines stop there: external-secrets.io/v1 promoted v1beta1,
 * helm.toolkit.fluxcd.io/v2 promoted v2beta2 and source.toolkit.fluxcd.io/v1 HelmRepository
 * promoted v1beta2, unchanged for the fields we emit.
 */
const SCHEMA_ALIASES: Record<string, string> = {
  'external-secrets.io/v1': 'external-secrets.io/v1beta1',
  'helm.toolkit.fluxcd.io/v2': 'helm.toolkit.fluxcd.io/v2beta2',
  'source.toolkit.fluxcd.io/v1/HelmRepository': 'source.toolkit.fluxcd.io/v1beta2',
  // Istio 1.22 promoted PeerAuthentication to v1 unchanged; @kubernetes-models/istio 2.3.0 ships v1beta1 only
  'security.istio.io/v1/PeerAuthentication': 'security.istio.io/v1beta1',
};

function modelPath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  const pkg =
    group === 'argoproj.io' && ROLLOUTS_KINDS.has(kind) ? '@kubernetes-models/argo-rollouts' : PACKAGES[group];
  if (pkg) return `${pkg}/${group}/${version}/${kind}`;
  if (group.endsWith('.k8s.io') || !group.includes('.')) return `kubernetes-models/${group}/${version}/${kind}`;
  throw new Error(
    `no schema model known for ${apiVersion} ${kind}: add its @kubernetes-models package or a schema in test/helpers/crd-schemas.ts`,
  );
}

const cache = new Map<string, ModelCtor>();

function modelFor(apiVersion: string, kind: string): ModelCtor {
  const path = modelPath(apiVersion, kind);
  let ctor = cache.get(path);
  if (!ctor) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model's module path is computed from the kind
    const mod = require(path) as Record<string, ModelCtor>;
    ctor = mod[kind];
    if (!ctor) throw new Error(`${path} does not export ${kind}`);
    cache.set(path, ctor);
  }
  return ctor;
}

/** Returns one message per object that fails its schema (empty when all are valid). */
export function schemaErrors(objects: readonly ManifestObject[]): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    const id = `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    try {
      const handWritten = handWrittenValidator(o.apiVersion, o.kind);
      if (handWritten) {
        const problems = handWritten(o);
        if (problems) throw new Error(problems);
        continue;
      }
      const unknown = unknownFields(o);
      if (unknown !== undefined && unknown.length > 0)
        throw new Error(`unknown fields (kubectl --validate=strict refuses them): ${unknown.join(', ')}`);
      const data = JSON.parse(JSON.stringify(o)) as Record<string, unknown> & { apiVersion: string; kind: string };
      const alias = SCHEMA_ALIASES[`${data.apiVersion}/${data.kind}`] ?? SCHEMA_ALIASES[data.apiVersion];
      if (alias) data.apiVersion = alias;
      const Model = modelFor(alias ?? o.apiVersion, o.kind);
      if (unknown === undefined) {
        const newer = newerUpstreamFields(o, unknownCustomFields(data, Model));
        if (newer.unknown.length > 0)
          throw new Error(`unknown fields (kubectl --validate=strict refuses them): ${newer.unknown.join(', ')}`);
        if (newer.problems.length > 0) throw new Error(newer.problems.join('; '));
      }
      new Model(data).validate();
    } catch (e) {
      errors.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return errors;
}
