#!/usr/bin/env node
/**
 * The package's command: `npx k8s-groundwork <init|synth|preflight|catalog> …`. `init` writes a
 * platform repository; the others run over the kit's own environment definitions in the current
 * directory's `Pulumi.<stack>.yaml` files (a repository with its own environments runs them through
 * its `platform.ts`). Exit codes: 0 ok, 1 a check failed, 2 usage.
 */
import { definitions } from '../environments';
import { runSubcommand } from './cli';
import { INIT_COMMAND } from './init/init';
import { platformCommands } from './pipeline';

runSubcommand(process.argv.slice(2), 'k8s-groundwork', { init: INIT_COMMAND, ...platformCommands(definitions) });
