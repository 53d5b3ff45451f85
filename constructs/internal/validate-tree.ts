import { ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import { GroundworkValidationError } from './validator';

/**
 * Runs every construct's deferred validations (`node.addValidation`) below `scope`, for checks
 * that need the whole tree (a tenant's quota against the workloads later placed in it), and
 * refuses two constructs rendering the same object (same API group, kind, namespace and name: the
 * API server keeps only the last one applied, e.g. a canary's `api-canary` Service and a workload
 * named `api-canary`). Throws them together. Linear in the number of constructs.
 */
export function validateTree(scope: Construct): void {
  const all = scope.node.findAll();
  const problems = all.flatMap((c) => c.node.validate());
  const seen = new Map<string, string>();
  for (const c of all) {
    if (!(c instanceof ApiObject)) continue;
    const group = c.apiVersion.includes('/') ? c.apiVersion.slice(0, c.apiVersion.indexOf('/')) : '';
    const ns = c.metadata.namespace;
    const key = `${group}\u0000${c.kind}\u0000${ns ?? ''}\u0000${c.name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, c.node.path);
    else
      problems.push(
        `${c.kind} ${ns !== undefined ? `${ns}/` : ''}${c.name} is rendered twice, by '${first}' and '${c.node.path}': the API server keeps one of them; rename one`,
      );
  }
  if (problems.length > 0) throw new GroundworkValidationError(problems);
}
