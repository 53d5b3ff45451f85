import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { type Construct } from 'constructs';
import { type JobProps, renderJobSpec, validateJobProps } from './job-settings';
import { Workload } from './workload';

/** Props of {@link BatchJob}. */
export type BatchJobProps = JobProps;

/** Every prop of BatchJobProps (a Record over its keys: a new prop that is not listed fails to compile). */
const KNOWN_BATCHJOB_PROPS: Readonly<Record<keyof BatchJobProps, true>> = {
  backoffLimit: true,
  activeDeadlineSeconds: true,
  ttlSecondsAfterFinished: true,
  restartPolicy: true,
  parallelism: true,
  completions: true,
  name: true,
  namespace: true,
  labels: true,
  image: true,
  imagePullPolicy: true,
  command: true,
  args: true,
  env: true,
  envFrom: true,
  fileMounts: true,
  resources: true,
  security: true,
  writablePaths: true,
  serviceAccount: true,
  networkPolicy: true,
  terminationGracePeriodSeconds: true,
  priorityClassName: true,
};

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
    this.validator.knownProps(props, KNOWN_BATCHJOB_PROPS);
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
