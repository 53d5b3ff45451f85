import { ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { JobProps, renderJobSpec, validateJobProps } from './job-settings';
import { Workload } from './workload';

/** Props of {@link BatchJob}. */
export type BatchJobProps = JobProps;

/**
 * A run-to-completion Job (migrations, one-off tasks), hardened like every workload,
 * with its own ServiceAccount and a deny-all-ingress NetworkPolicy.
 *
 * Role ids: `Job`, `NetworkPolicy`, `ServiceAccount`.
 */
export class BatchJob extends Workload {
  public readonly job: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id, 'BatchJob', 'job', props);
    validateJobProps(this.validator, props);
    this.validated();
    this.job = new KubeObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.metadata(),
      spec: renderJobSpec(props, this.podTemplate([], undefined)),
    });
    this.networkPolicy = this.addNetworkPolicy([]);
  }
}
