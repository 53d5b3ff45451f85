/**
 * `k8s-groundwork/pipeline`: what turns a platform repository's environments into output, the same
 * code the kit's own `npm run synth` and `preflight` run. A repository's `platform.ts` is
 * `runPlatform(module, definitions)`; its tests call `renderStack`.
 */
import * as path from 'path';
import type { Definitions } from '../environments';
import { CATALOG_COMMAND, catalogMain } from './catalog';
import { runSubcommand } from './cli';
import { PREFLIGHT_COMMAND, preflightCommand } from './preflight';
import { SYNTH_COMMAND, synthCommand } from './synth';

export { renderStack } from './render-stack';
export { synthStack, synthCommand, SYNTH_COMMAND, type SynthResult } from './synth';
export { preflightStack, preflightCommand, PREFLIGHT_COMMAND } from './preflight';
export { writeRendering, toYaml, writeYaml } from './render';
export { loadStack, stackNames, projectRoot, projectName, readStackFile, type LoadedStack } from './stack-config';
export {
  parseCommand,
  runCommand,
  runSubcommand,
  requireKnown,
  UsageError,
  USAGE_EXIT,
  type Command,
  type CommandSpec,
  type ParsedArgs,
} from './cli';
export type { Definitions } from '../environments';

/** The commands of a platform repository over its `definitions`: synth, preflight, catalog. */
export function platformCommands(definitions: Definitions): Parameters<typeof runSubcommand>[2] {
  return {
    synth: { spec: SYNTH_COMMAND, main: synthCommand(definitions) },
    preflight: { spec: PREFLIGHT_COMMAND, main: preflightCommand(definitions) },
    catalog: { spec: CATALOG_COMMAND, main: catalogMain },
  };
}

/** Runs `<command> [args…]` from the process's arguments when `module` is the entry point (a repository's `platform.ts`). */
export function runPlatform(module: NodeModule, definitions: Definitions): void {
  if (require.main === module)
    runSubcommand(process.argv.slice(2), `ts-node ${path.basename(module.filename)}`, platformCommands(definitions));
}
