import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { type Construct } from 'constructs';
import * as rules from '../internal/rules';
import { type PropShapes } from '../internal/validator';
import { JOB_SHAPES, type JobProps, renderJobSpec, validateJobProps } from './job-settings';
import { Workload } from './workload';

/** Props of {@link ScheduledJob}. */
export interface ScheduledJobProps extends JobProps {
  /** Cron schedule, 5 fields (`"0 3 * * *"`) or a macro (`"@daily"`). */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default - the controller's time zone (UTC on managed clusters)
   */
  readonly timeZone?: string;
  /**
   * What to do when a run is still going at the next tick.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /**
   * Seconds after a missed tick during which the run may still start.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Suspend the schedule.
   * @default false
   */
  readonly suspend?: boolean;
}

/** CronJob names are limited so that generated Job names (name + 11 characters) fit in 63. */
const CRONJOB_NAME_LIMIT = 52;

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_SCHEDULEDJOB_PROPS: PropShapes<ScheduledJobProps> = {
  ...JOB_SHAPES,
  schedule: 'string',
  timeZone: 'string',
  concurrencyPolicy: 'string',
  startingDeadlineSeconds: 'number',
  suspend: 'boolean',
};

/**
 * A CronJob, hardened like every workload, with its own ServiceAccount and a deny-all-ingress
 * NetworkPolicy.
 *
 * Role ids: `CronJob`, `NetworkPolicy`, `ServiceAccount`.
 */
export class ScheduledJob extends Workload {
  public readonly cronJob: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, 'ScheduledJob', 'cronjob', props, KNOWN_SCHEDULEDJOB_PROPS);
    const v = this.validator;
    v.check('name', this.name, rules.maxLength(CRONJOB_NAME_LIMIT, 'the generated Job names add 11 characters and must fit in 63'));
    v.check('schedule', props.schedule, rules.cronSchedule);
    v.check('timeZone', props.timeZone, rules.timeZone);
    v.check('startingDeadlineSeconds', props.startingDeadlineSeconds, rules.integerBetween(10));
    validateJobProps(v, props);
    this.validated();

    const spec: Record<string, unknown> = {
      schedule: props.schedule,
      concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
      startingDeadlineSeconds: props.startingDeadlineSeconds ?? 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: props.suspend ?? false,
      jobTemplate: { metadata: { labels: { ...this.labels } }, spec: renderJobSpec(props, this.podTemplate([], undefined)) },
    };
    if (props.timeZone !== undefined) spec.timeZone = props.timeZone;
    this.cronJob = new KubeObject(this, 'CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: this.metadata({ podOwner: true }), spec });
    this.networkPolicy = this.addNetworkPolicy([]);
  }
}
