/**
 * Reads a stack's configuration from `Pulumi.<stack>.yaml`, the same file `pulumi up` reads, so the
 * synth CLI and the Pulumi program see the same values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { type EnvironmentDefinition, parseStackConfig, type StackConfig } from '../constructs';
import { definitionFor } from '../environments';

/** A stack's config, the definition it selects and where it came from. */
export interface LoadedStack {
  readonly stack: string;
  readonly source: string;
  readonly config: StackConfig;
  readonly definition: EnvironmentDefinition;
}

/** The repository root (holds Pulumi.yaml). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Every stack with a `Pulumi.<stack>.yaml` in `root`. */
export function stackNames(root: string = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The `config:` section of a Pulumi stack file as `namespace:key -> value`. */
export function readStackFile(file: string): Record<string, unknown> {
  const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  if (typeof doc !== 'object' || (doc.config !== undefined && (typeof doc.config !== 'object' || doc.config === null))) {
    throw new Error(`${file}: expected a mapping with a "config:" section`);
  }
  return { ...(doc.config ?? {}) };
}

/** Loads stack `stack` from `<root>/Pulumi.<stack>.yaml`. */
export function loadStack(stack: string, root: string = PROJECT_ROOT): LoadedStack {
  const source = `Pulumi.${stack}.yaml`;
  const file = path.join(root, source);
  if (!fs.existsSync(file)) throw new Error(`unknown stack "${stack}": ${source} not found (stacks: ${stackNames(root).join(', ')})`);
  const config = parseStackConfig(readStackFile(file), stack, source);
  return { stack, source, config, definition: definitionFor(config.environment) };
}
