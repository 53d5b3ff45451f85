import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import { type BatchJobProps, type BatchJobRole, type BatchJobSpec, renderBatchJob, resolveBatchJob } from './job-spec';
import { Workload } from './workload';

export type { BatchJobProps } from './job-spec';

/**
 * A run-to-completion Job (migrations, one-off tasks), hardened like every workload,
 * with its own ServiceAccount and a deny-all-ingress NetworkPolicy.
 *
 * Props are resolved by `resolveBatchJob` and rendered by `renderBatchJob` (job-spec.ts).
 *
 * Role ids: `Job`, `NetworkPolicy`, `ServiceAccount`.
 */
export class BatchJob extends Workload<BatchJobSpec, BatchJobRole> {
  public readonly job: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id, (where) => resolveBatchJob(props, where, id), renderBatchJob);
    this.job = this.required('job');
    this.networkPolicy = this.members.get('networkPolicy');
  }
}
