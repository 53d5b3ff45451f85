import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import { Workload } from './workload';
import { renderWorker, resolveWorker, type WorkerProps, type WorkerRole, type WorkerSpec } from './worker-spec';

export type { WorkerProps } from './worker-spec';

/**
 * A long-running background process with no Service: Deployment, ServiceAccount,
 * PodDisruptionBudget and a NetworkPolicy that admits only the declared peers.
 *
 * Props are resolved by `resolveWorker` and rendered by `renderWorker` (worker-spec.ts).
 *
 * Role ids: `Deployment`, `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class Worker extends Workload<WorkerSpec, WorkerRole> {
  public readonly deployment: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, (where) => resolveWorker(props, where, id), renderWorker);
    this.deployment = this.required('deployment');
    this.pdb = this.members.get('pdb');
    this.networkPolicy = this.members.get('networkPolicy');
  }
}
