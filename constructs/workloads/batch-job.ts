import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { type Construct } from 'constructs';
import { type PropShapes } from '../internal/validator';
import { JOB_SHAPES, type JobProps, renderJobSpec, validateJobProps } from './job-settings';
import { Workload } from './workload';

/** Props of {@link BatchJob}. */
export type BatchJobProps = JobProps;

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_BATCHJOB_PROPS: PropShapes<BatchJobProps> = JOB_SHAPES;

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
    super(scope, id, 'BatchJob', 'job', props, KNOWN_BATCHJOB_PROPS);
    validateJobProps(this.validator, props);
    this.validated();
    this.job = new KubeObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.metadata({ podOwner: true }),
      spec: renderJobSpec(props, this.podTemplate([], undefined)),
    });
    this.networkPolicy = this.addNetworkPolicy([]);
  }
}
