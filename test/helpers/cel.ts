/**
 * Evaluates a ValidatingAdmissionPolicy the way the API server's CEL admission does for the parts
 * our policies use: `variables` in order, then each validation over `object`, `request` and
 * `variables` (Kubernetes `k8s.io/apiserver/pkg/admission/plugin/policy/validating`). The
 * evaluator is cel-es, a CEL implementation checked against the CEL conformance suite; the real
 * API server remains the authority for compiling and running them.
 */
import { isCelError, run } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** JSON as CEL input: objects become maps, integers ints. */
function toCel(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(toCel);
  if (typeof x === 'number') return Number.isInteger(x) ? BigInt(x) : x;
  if (typeof x === 'object' && x !== null) return new Map(Object.entries(x).map(([k, v]) => [k, toCel(v)]));
  return x;
}

/** What an admission request carries that our policies read. */
export interface AdmissionRequest {
  readonly resource: string;
  readonly namespace: string;
  readonly username?: string;
  readonly object: unknown;
}

interface Policy {
  readonly spec: {
    readonly variables?: readonly { readonly name: string; readonly expression: string }[];
    readonly validations: readonly { readonly expression: string; readonly message: string }[];
  };
}

/** The messages of the validations `policy` fails for `req` (empty: admitted). Evaluation errors throw. */
export function denials(policy: Policy, req: AdmissionRequest): string[] {
  const request = toCel({
    resource: { resource: req.resource },
    namespace: req.namespace,
    userInfo: { username: req.username ?? 'alice' },
  });
  const object = toCel(req.object);
  const variables = new Map<string, unknown>();
  const bindings = () => ({ object, request, variables }) as never;
  for (const v of policy.spec.variables ?? [])
    variables.set(v.name, check(run(v.expression, bindings(), { funcs: strings }), v.expression));
  return policy.spec.validations
    .filter((v) => check(run(v.expression, bindings(), { funcs: strings }), v.expression) !== true)
    .map((v) => v.message);
}

function check(result: unknown, expression: string): unknown {
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${result.message}`);
  return result;
}
