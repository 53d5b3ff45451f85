import type { EnvironmentDefinition } from '../constructs';
import { dev } from './dev';
import { kind } from './kind';
import { prod } from './prod';
import { staging } from './staging';

export type { ClusterProvider, ConfigValues, Environment, EnvironmentDefinition, Prerequisite, ScalingProfile } from './types';

/** Every environment definition by name. */
export const definitions: Readonly<Record<string, EnvironmentDefinition>> = { kind, dev, staging, prod };

/** Looks a definition up by name (`groundwork:environment`); only own names count (`__proto__` is unknown). */
export function definitionFor(name: string): EnvironmentDefinition {
  if (!Object.prototype.hasOwnProperty.call(definitions, name)) {
    throw new Error(`unknown environment "${name}": expected one of ${Object.keys(definitions).join(', ')}`);
  }
  return definitions[name];
}
