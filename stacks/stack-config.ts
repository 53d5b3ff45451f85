/**
 * Reads a stack's configuration from `Pulumi.<stack>.yaml`, the same file `pulumi up` reads, so the
 * synth CLI and the Pulumi program see the same values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { type EnvironmentDefinition, parseStackConfig, type StackConfig } from '../constructs';
import { type Definitions, definitionFor, definitions as KIT_DEFINITIONS } from '../environments';

/** A stack's config, the definition it selects and where it came from. */
export interface LoadedStack {
  readonly stack: string;
  readonly source: string;
  readonly config: StackConfig;
  readonly definition: EnvironmentDefinition;
}

/** The kit's own repository root (its scripts, fixtures and chart archives live here). */
export const KIT_ROOT = path.resolve(__dirname, '..');

/**
 * The project whose stacks the CLIs read: `GROUNDWORK_PROJECT_DIR` when set (the test suite points
 * it at its fixture project, so filling in the shipped stack files never changes a test), else the
 * current directory (where `npm run` and `pulumi` run).
 */
export function projectRoot(): string {
  return path.resolve(process.env.GROUNDWORK_PROJECT_DIR ?? process.cwd());
}

/** The project name in `<root>/Pulumi.yaml` (the namespace `pulumi config set key value` writes), if there is one. */
export function projectName(root: string): string | undefined {
  const file = path.join(root, 'Pulumi.yaml');
  if (!fs.existsSync(file)) return undefined;
  const doc = parse(fs.readFileSync(file, 'utf8')) as { name?: unknown } | null;
  return typeof doc?.name === 'string' ? doc.name : undefined;
}

/** Every stack with a `Pulumi.<stack>.yaml` in `root`. */
export function stackNames(root: string = projectRoot()): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The `config:` section of a Pulumi stack file as `namespace:key -> value`. */
export function readStackFile(file: string): Record<string, unknown> {
  const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  if (
    typeof doc !== 'object' ||
    (doc.config !== undefined && (typeof doc.config !== 'object' || doc.config === null))
  ) {
    throw new Error(`${file}: expected a mapping with a "config:" section`);
  }
  return { ...(doc.config ?? {}) };
}

/** Loads stack `stack` from `<root>/Pulumi.<stack>.yaml`; `groundwork:environment` picks one of `definitions`. */
export function loadStack(
  stack: string,
  root: string = projectRoot(),
  definitions: Definitions = KIT_DEFINITIONS,
): LoadedStack {
  const source = `Pulumi.${stack}.yaml`;
  const file = path.join(root, source);
  if (!fs.existsSync(file))
    throw new Error(`unknown stack "${stack}": ${source} not found (stacks: ${stackNames(root).join(', ')})`);
  const config = parseStackConfig(readStackFile(file), stack, source, projectName(root));
  return { stack, source, config, definition: definitionFor(config.environment, definitions) };
}
