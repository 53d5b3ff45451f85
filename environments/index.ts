/**
 * The kit's own environment definitions: the profiles (profiles.ts) with the demo apps, which
 * render where `env.demo` is on (kind unless `groundwork:demo` is "false"; a cloud stack only with
 * "true"). A platform repository defines its own from the same profiles, with its own apps.
 */
import { demoApps } from '../apps/demo';
import type { EnvironmentDefinition } from '../constructs';
import { DEV_PROFILE, eksEnvironment, kindEnvironment, PROD_PROFILE, STAGING_PROFILE } from './profiles';

export type {
  ClusterProvider,
  ConfigValues,
  Environment,
  EnvironmentDefinition,
  Prerequisite,
  ScalingProfile,
} from './types';
export * from './profiles';

/** Environment definitions by name (what `groundwork:environment` selects). */
export type Definitions = Readonly<Record<string, EnvironmentDefinition>>;

/** The local kind cluster, with the demo. */
export const kind = kindEnvironment({ apps: [demoApps] });
/** The shared EKS development cluster, with the demo (off unless `groundwork:demo` is "true"). */
export const dev = eksEnvironment({ ...DEV_PROFILE, apps: [demoApps] });
/** EKS staging, with the demo (off unless `groundwork:demo` is "true"). */
export const staging = eksEnvironment({ ...STAGING_PROFILE, apps: [demoApps] });
/** EKS production, with the demo (off unless `groundwork:demo` is "true"). */
export const prod = eksEnvironment({ ...PROD_PROFILE, apps: [demoApps] });

/** Every environment definition of the kit by name. */
export const definitions: Definitions = { kind, dev, staging, prod };

/** Looks a definition up by name (`groundwork:environment`); only own names count (`__proto__` is unknown). */
export function definitionFor(name: string, from: Definitions = definitions): EnvironmentDefinition {
  if (!Object.prototype.hasOwnProperty.call(from, name)) {
    throw new Error(`unknown environment "${name}": expected one of ${Object.keys(from).join(', ')}`);
  }
  return from[name];
}
