/**
 * Schema validation of synthesized objects against the Kubernetes OpenAPI schema
 * (kubernetes-models) and CRD schemas (@kubernetes-models/* packages).
 */
import type { ManifestObject } from '../../constructs';

type ModelCtor = new (data: unknown) => { validate(): void };

/** Where the model of an apiVersion lives. `external-secrets.io/v1` is checked with the v1beta1 schema (see below). */
function modelPath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  if (group === 'gateway.networking.k8s.io') return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
  // The CommonJS line of the External Secrets models stops at v1beta1; v1 promoted that spec
  // unchanged for the fields we emit (secretStoreRef, target, data, refreshInterval).
  if (group === 'external-secrets.io') return `@kubernetes-models/external-secrets/${group}/${version === 'v1' ? 'v1beta1' : version}/${kind}`;
  if (group.endsWith('.k8s.io') || !group.includes('.')) return `kubernetes-models/${group}/${version}/${kind}`;
  throw new Error(`no schema model known for ${apiVersion} ${kind}: add its @kubernetes-models package to test/helpers/schema.ts`);
}

const cache = new Map<string, ModelCtor>();

function modelFor(apiVersion: string, kind: string): ModelCtor {
  const path = modelPath(apiVersion, kind);
  let ctor = cache.get(path);
  if (!ctor) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
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
      const data = JSON.parse(JSON.stringify(o));
      if (data.apiVersion === 'external-secrets.io/v1') data.apiVersion = 'external-secrets.io/v1beta1';
      new (modelFor(o.apiVersion, o.kind))(data).validate();
    } catch (e) {
      errors.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return errors;
}
