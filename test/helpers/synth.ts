/**
 * The shared synthesis helper: every test that synthesizes objects goes through `synth`, which
 * schema-validates each object and runs the hardening checks, so no test can produce an invalid
 * or unhardened object without failing.
 */
import { Chart, Testing } from 'cdk8s';
import {
  checkManifests,
  type CheckOptions,
  GroundworkValidationError,
  type ManifestObject,
  validateTree,
} from '../../constructs';
import { type Kind, type Obj, ofKind } from './kinds';
import { schemaErrors } from './schema';

/** Options of {@link synth}. */
export interface SynthOptions {
  /** Chart namespace. @default 'apps' */
  readonly namespace?: string;
  /** Hardening rules the test opts out of explicitly. @default - all rules run */
  readonly hardening?: CheckOptions;
}

/** Builds constructs in a fresh test Chart and returns its objects after validating them. */
export function synth(build: (chart: Chart) => void, options: SynthOptions = {}): ManifestObject[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: options.namespace ?? 'apps' });
  build(chart);
  validateTree(chart);
  return validated(chart.toJson() as ManifestObject[], options.hardening);
}

/** Asserts `objects` are schema-valid and hardened; returns them. */
export function validated(objects: ManifestObject[], hardening?: CheckOptions): ManifestObject[] {
  expect(schemaErrors(objects)).toEqual([]);
  expect(checkManifests(objects, hardening)).toEqual([]);
  return objects;
}

/** The single object of `kind` (fails when there is not exactly one). */
export function one<K extends Kind>(objects: readonly ManifestObject[], kind: K): Obj<K> {
  const found = ofKind(objects, kind);
  expect(found.map((o) => o.kind)).toEqual([kind]);
  return found[0];
}

/** Objects of `kind`. */
export function all<K extends Kind>(objects: readonly ManifestObject[], kind: K): Obj<K>[] {
  return ofKind(objects, kind);
}

/** A workload whose Pod template a test reads. */
export type Workload = Obj<'Deployment'> | Obj<'StatefulSet'> | Obj<'Job'> | Obj<'CronJob'> | Obj<'Rollout'>;

/** Pod spec of a workload object. */
export function podSpec(workload: Workload): Obj<'Deployment'>['spec']['template']['spec'] {
  if (workload.kind === 'CronJob') return workload.spec.jobTemplate.spec.template.spec;
  return (workload as Obj<'Deployment'>).spec.template.spec;
}

/** The first container of a workload object's Pod template. */
export function container(workload: Workload): Obj<'Deployment'>['spec']['template']['spec']['containers'][number] {
  return podSpec(workload).containers[0];
}

/** Builds in a fresh chart and returns the thrown message (fails if nothing is thrown). `null`: a chart with no namespace. */
export function errorOf(build: (chart: Chart) => void, namespace: string | null = 'apps'): string {
  const chart = new Chart(Testing.app(), 'test', namespace === null ? {} : { namespace });
  try {
    build(chart);
    validateTree(chart);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected construction to throw');
}

/** The message of the GroundworkValidationError `fn` throws (fails if it throws nothing or something else). */
export function validationErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GroundworkValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a GroundworkValidationError');
}
