import * as rules from '../internal/rules';
import type { PropShapes, PropsValidator } from '../internal/validator';
import { WORKLOAD_SHAPES, type WorkloadProps } from './workload-props';

/** Props shared by run-to-completion workloads. */
export interface JobProps extends WorkloadProps {
  /**
   * Retries before the Job is marked failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Hard deadline for one run, in seconds.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job is kept before garbage collection.
   * @default 86400
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Restart a failed container in place (`OnFailure`) or start a new Pod (`Never`).
   * @default 'Never'
   */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /**
   * Pods running at once.
   * @default 1
   */
  readonly parallelism?: number;
  /**
   * Successful Pods needed.
   * @default 1
   */
  readonly completions?: number;
}

/** The JavaScript shape of every JobProps prop. */
export const JOB_SHAPES: PropShapes<JobProps> = {
  ...WORKLOAD_SHAPES,
  backoffLimit: 'number',
  activeDeadlineSeconds: 'number',
  ttlSecondsAfterFinished: 'number',
  restartPolicy: 'string',
  parallelism: 'number',
  completions: 'number',
};

/** The Job settings, defaults resolved. */
export interface JobSettingsSpec {
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished: number;
  readonly restartPolicy: NonNullable<JobProps['restartPolicy']>;
  readonly parallelism: number;
  readonly completions: number;
}

/** Validates the Job settings into `v`. */
export function validateJobProps(v: PropsValidator, props: JobProps): void {
  v.check('backoffLimit', props.backoffLimit, rules.integerBetween(0));
  v.check('activeDeadlineSeconds', props.activeDeadlineSeconds, rules.integerBetween(1));
  v.check('ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, rules.integerBetween(0));
  v.check('parallelism', props.parallelism, rules.integerBetween(1));
  v.check('completions', props.completions, rules.integerBetween(1));
}

/** Every default of the Job settings. */
export function resolveJobSettings(props: JobProps): JobSettingsSpec {
  return {
    backoffLimit: props.backoffLimit ?? 2,
    activeDeadlineSeconds: props.activeDeadlineSeconds ?? 3600,
    ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 86400,
    restartPolicy: props.restartPolicy ?? 'Never',
    parallelism: props.parallelism ?? 1,
    completions: props.completions ?? 1,
  };
}

/** Renders a batch/v1 JobSpec around a Pod template. */
export function renderJobSpec(job: JobSettingsSpec, template: Record<string, unknown>): Record<string, unknown> {
  const spec = template.spec as Record<string, unknown>;
  return {
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
    parallelism: job.parallelism,
    completions: job.completions,
    template: { ...template, spec: { ...spec, restartPolicy: job.restartPolicy } },
  };
}
