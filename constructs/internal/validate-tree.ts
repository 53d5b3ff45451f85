import { type Construct } from 'constructs';
import { GroundworkValidationError } from './validator';

/**
 * Runs every construct's deferred validations (`node.addValidation`) below `scope`, for checks
 * that need the whole tree (a tenant's quota against the workloads later placed in it), and
 * throws them together. Linear in the number of constructs.
 */
export function validateTree(scope: Construct): void {
  const problems = scope.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) throw new GroundworkValidationError(problems);
}
