import { dev } from './dev';
import { kind } from './kind';
import { prod } from './prod';
import { staging } from './staging';
import type { Environment, EnvironmentName } from './types';

export type { Environment, EnvironmentName, ClusterProvider, ScalingProfile } from './types';

/** Every environment by name. */
export const environments: Readonly<Record<EnvironmentName, Environment>> = { kind, dev, staging, prod };

/** Looks an environment up by name (the Pulumi stack name or the synth CLI argument). */
export function environmentFor(name: string): Environment {
  const env = (environments as Record<string, Environment | undefined>)[name];
  if (!env) throw new Error(`unknown environment "${name}": expected one of ${Object.keys(environments).join(', ')}`);
  return env;
}
