/**
 * The props of ScheduledJob and BatchJob, resolved once and rendered. Pure: `resolveScheduledJob` and
 * `resolveBatchJob` run every check and every default (props in, spec out, or a
 * GroundworkValidationError listing every problem in the order the construct reports them);
 * `renderScheduledJob` and `renderBatchJob` turn the spec into the objects.
 */
import type { ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { PropsValidator, type PropShapes } from '../internal/validator';
import {
  JOB_SHAPES,
  type JobProps,
  type JobSettingsSpec,
  renderJobSpec,
  resolveJobSettings,
  validateJobProps,
} from './job-settings';
import { renderPodTemplate } from './pod';
import { renderNetworkPolicy, type WorkloadPart, workloadMetadata } from './workload-render';
import { checkWorkload, defaultNameOf, type WorkloadSpec } from './workload-spec';

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

/** Props of {@link BatchJob}. */
export type BatchJobProps = JobProps;

/** CronJob names are limited so that generated Job names (name + 11 characters) fit in 63. */
const CRONJOB_NAME_LIMIT = 52;

/** The JavaScript shape of every ScheduledJob prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
export const KNOWN_SCHEDULEDJOB_PROPS: PropShapes<ScheduledJobProps> = {
  ...JOB_SHAPES,
  schedule: 'string',
  timeZone: 'string',
  concurrencyPolicy: 'string',
  startingDeadlineSeconds: 'number',
  suspend: 'boolean',
};

/** The JavaScript shape of every BatchJob prop. */
export const KNOWN_BATCHJOB_PROPS: PropShapes<BatchJobProps> = JOB_SHAPES;

/** Every prop of a BatchJob checked and defaulted. */
export interface BatchJobSpec {
  /** The shared workload props. */
  readonly workload: WorkloadSpec;
  /** The Job settings. */
  readonly job: JobSettingsSpec;
}

/** Every prop of a ScheduledJob checked and defaulted. */
export interface ScheduledJobSpec extends BatchJobSpec {
  readonly schedule: string;
  /** Set only when given (the controller's time zone otherwise). */
  readonly timeZone?: string;
  readonly concurrencyPolicy: NonNullable<ScheduledJobProps['concurrencyPolicy']>;
  readonly startingDeadlineSeconds: number;
  readonly suspend: boolean;
}

/** The public member of ScheduledJob an object becomes. */
export type ScheduledJobRole = 'cronJob' | 'networkPolicy';

/** The public member of BatchJob an object becomes. */
export type BatchJobRole = 'job' | 'networkPolicy';

/**
 * A ScheduledJob's props resolved, or a GroundworkValidationError listing every problem (named after `where`).
 * @param where the construct (its Chart's namespace is the default) or a path (namespace then required)
 * @param defaultName the name when props give none (default: the last component of `where`)
 */
export function resolveScheduledJob(
  props: ScheduledJobProps,
  where: Construct | string,
  defaultName?: string,
): ScheduledJobSpec {
  const v = new PropsValidator('ScheduledJob', where);
  const workload = checkWorkload(v, props, where, {
    defaultName: defaultName ?? defaultNameOf(where),
    component: 'cronjob',
    shapes: KNOWN_SCHEDULEDJOB_PROPS,
  });
  v.check(
    'name',
    workload.name,
    rules.maxLength(CRONJOB_NAME_LIMIT, 'the generated Job names add 11 characters and must fit in 63'),
  );
  v.check('schedule', props.schedule, rules.cronSchedule);
  v.check('timeZone', props.timeZone, rules.timeZone);
  v.check('startingDeadlineSeconds', props.startingDeadlineSeconds, rules.integerBetween(10));
  validateJobProps(v, props);
  v.throwIfInvalid();
  return {
    workload,
    job: resolveJobSettings(props),
    schedule: props.schedule,
    timeZone: props.timeZone,
    concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
    startingDeadlineSeconds: props.startingDeadlineSeconds ?? 300,
    suspend: props.suspend ?? false,
  };
}

/**
 * A BatchJob's props resolved, or a GroundworkValidationError listing every problem (named after `where`).
 * @param where the construct (its Chart's namespace is the default) or a path (namespace then required)
 * @param defaultName the name when props give none (default: the last component of `where`)
 */
export function resolveBatchJob(props: BatchJobProps, where: Construct | string, defaultName?: string): BatchJobSpec {
  const v = new PropsValidator('BatchJob', where);
  const workload = checkWorkload(v, props, where, {
    defaultName: defaultName ?? defaultNameOf(where),
    component: 'job',
    shapes: KNOWN_BATCHJOB_PROPS,
  });
  validateJobProps(v, props);
  v.throwIfInvalid();
  return { workload, job: resolveJobSettings(props) };
}

/** Every object of the ScheduledJob but its ServiceAccount, in creation order: `CronJob`, `NetworkPolicy`. */
export function renderScheduledJob(spec: ScheduledJobSpec): WorkloadPart<ScheduledJobRole>[] {
  const wl = spec.workload;
  const cronSpec: Record<string, unknown> = {
    schedule: spec.schedule,
    concurrencyPolicy: spec.concurrencyPolicy,
    startingDeadlineSeconds: spec.startingDeadlineSeconds,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    suspend: spec.suspend,
    jobTemplate: {
      metadata: { labels: { ...wl.labels } },
      spec: renderJobSpec(spec.job, renderPodTemplate(wl, [], undefined)),
    },
  };
  if (spec.timeZone !== undefined) cronSpec.timeZone = spec.timeZone;
  const cronJob: ApiObjectProps = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: workloadMetadata(wl, { podOwner: true }),
    spec: cronSpec,
  };
  return [{ id: 'CronJob', manifest: cronJob, role: 'cronJob' }, ...networkPolicyPart(wl)];
}

/** Every object of the BatchJob but its ServiceAccount, in creation order: `Job`, `NetworkPolicy`. */
export function renderBatchJob(spec: BatchJobSpec): WorkloadPart<BatchJobRole>[] {
  const wl = spec.workload;
  const job: ApiObjectProps = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: workloadMetadata(wl, { podOwner: true }),
    spec: renderJobSpec(spec.job, renderPodTemplate(wl, [], undefined)),
  };
  return [{ id: 'Job', manifest: job, role: 'job' }, ...networkPolicyPart(wl)];
}

/** The deny-all-ingress NetworkPolicy of a job (none when opted out). */
function networkPolicyPart(wl: WorkloadSpec): WorkloadPart<'networkPolicy'>[] {
  const np = renderNetworkPolicy(wl, []);
  return np ? [{ id: 'NetworkPolicy', manifest: np, role: 'networkPolicy' }] : [];
}
