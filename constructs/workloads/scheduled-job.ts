import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import {
  renderScheduledJob,
  resolveScheduledJob,
  type ScheduledJobProps,
  type ScheduledJobRole,
  type ScheduledJobSpec,
} from './job-spec';
import { Workload } from './workload';

export type { ScheduledJobProps } from './job-spec';

/**
 * A CronJob, hardened like every workload, with its own ServiceAccount and a deny-all-ingress
 * NetworkPolicy.
 *
 * Props are resolved by `resolveScheduledJob` and rendered by `renderScheduledJob` (job-spec.ts).
 *
 * Role ids: `CronJob`, `NetworkPolicy`, `ServiceAccount`.
 */
export class ScheduledJob extends Workload<ScheduledJobSpec, ScheduledJobRole> {
  public readonly cronJob: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, (where) => resolveScheduledJob(props, where, id), renderScheduledJob);
    this.cronJob = this.required('cronJob');
    this.networkPolicy = this.members.get('networkPolicy');
  }
}
