/**
 * Synthesizes stacks to plain YAML (see `writeRendering` for the layout):
 *   npm run synth -- [stack…|all] [--out DIR]      default: kind into dist/
 * Stack names are checked before anything is written; exit codes as in cli.ts (0 ok, 1 a check
 * failed, 2 usage).
 * Each stack's config comes from `Pulumi.<stack>.yaml` (the file `pulumi up` reads). Example values
 * still in place only warn (the preflight summary): a fresh clone synthesizes every stack. Exits
 * non-zero when an object breaks a hardening rule, is applied before what it needs exists, or the
 * add-ons exceed the environment's budget.
 */
import * as path from 'path';
import { type EnvironmentRendering, formatPreflight } from '../constructs';
import { renderStack } from './render-stack';
import { writeRendering } from './render';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import type { Definitions } from '../environments';
import { projectRoot, stackNames } from './stack-config';

const GiB = 2 ** 30;

/** What one synthesis wrote. */
export interface SynthResult {
  readonly rendering: EnvironmentRendering;
  readonly dir: string;
  readonly files: readonly string[];
  readonly addonFiles: readonly string[];
  readonly bootstrapFiles: readonly string[];
}

/** Renders stack `stack` (of `definitions`: the kit's by default) and writes it to `<outDir>/<stack>/`. */
export function synthStack(stack: string, outDir: string, definitions?: Definitions): SynthResult {
  const rendering = renderStack(stack, projectRoot(), definitions);
  const dir = path.join(outDir, stack);
  return { rendering, dir, ...writeRendering(rendering, dir) };
}

function report(r: SynthResult): boolean {
  const { rendering: x } = r;
  const fp = x.addons.footprint;
  const stack = x.env.stack;
  console.log(`synth ${stack}: ${x.objects.length} app objects -> ${r.dir}/ (${r.files.join(', ')})`);
  console.log(
    `synth ${stack}: ${x.addons.declarations.length} add-ons in ${x.addons.plan.waves.length} waves for ${x.env.gitops.engine} -> ${[...r.addonFiles.map((f) => f), ...r.bootstrapFiles].join(', ')}`,
  );
  x.addons.plan.waves.forEach((w, i) =>
    console.log(`  wave ${i}: ${w.join(', ')}${i === x.appsAfterWave ? '   <- apps apply after this wave' : ''}`),
  );
  const budget = x.env.addonBudget
    ? ` (budget ${x.env.addonBudget.cpuCores} CPU, ${x.env.addonBudget.memoryGiB} GiB)`
    : '';
  console.log(
    `synth ${stack}: add-on requests ${fp.cpuCores.toFixed(2)} CPU, ${(fp.memoryBytes / GiB).toFixed(2)} GiB${budget}`,
  );
  if (x.env.gitops.repoURL !== undefined) {
    console.log(
      `synth ${stack}: GitOps reads ${x.env.gitops.repoURL}@${x.env.gitops.revision}:${x.env.gitops.path}: commit this output there`,
    );
    // the engine reads <gitPath>; output lands in <out>/<stack>: say so when they cannot be the same directory
    if (path.basename(x.env.gitops.path) !== stack) {
      console.warn(
        `  warning: groundwork:gitPath (${x.env.gitops.path}) does not end in the stack name "${stack}": copy ${r.dir}/ to ${x.env.gitops.path}/ before committing`,
      );
    } else if (path.normalize(r.dir) !== path.normalize(x.env.gitops.path)) {
      console.log(`  (to write it there directly: npm run synth -- ${stack} --out ${path.dirname(x.env.gitops.path)})`);
    }
  }
  for (const w of x.addons.warnings) console.warn(`  warning: ${w}`);
  if (!x.checks.preflight.ok) for (const line of formatPreflight(x.checks.preflight)) console.warn(`  ${line}`);
  for (const v of x.checks.hardening) console.error(`  ${v.rule}: ${v.object}: ${v.message}`);
  for (const p of x.checks.platform) console.error(`  platform: ${p.object}: ${p.message}`);
  for (const b of x.checks.budget) console.error(`  over budget: ${b}`);
  const verdict = [
    `hardening checks ${x.checks.hardening.length === 0 ? 'passed' : `FAILED (${x.checks.hardening.length} violations)`}`,
    `platform order ${x.checks.platform.length === 0 ? 'verified' : `FAILED (${x.checks.platform.length} problems)`}`,
    ...(x.checks.budget.length > 0 ? ['add-on budget EXCEEDED'] : []),
    ...(x.checks.preflight.ok ? [] : ['preflight: example values still to set before deploying']),
  ];
  console.log(`synth ${stack}: ${verdict.join(', ')}`);
  return x.ok;
}

/** The synth command's flags and usage. */
export const SYNTH_COMMAND = {
  usage:
    'usage: synth [<stack>…|all] [--out DIR]   (default: kind into dist/; stacks: the Pulumi.<stack>.yaml files here)',
  values: ['out'],
} as const;

/** The synth command over `definitions` (the kit's by default). */
export function synthCommand(definitions?: Definitions): (args: ParsedArgs) => number {
  return (args) => {
    const outDir = args.values.out ?? 'dist';
    const known = stackNames();
    const names = args.positionals;
    if (names.includes('all') && names.length > 1) throw new UsageError('"all" stands alone');
    const targets = names.length === 0 ? ['kind'] : names[0] === 'all' ? known : names;
    requireKnown('stack', targets, known);
    let failed = 0;
    for (const stack of targets) {
      console.log(`synth ${stack}: rendering Pulumi.${stack}.yaml`);
      if (!report(synthStack(stack, outDir, definitions))) failed++;
    }
    return failed === 0 ? 0 : 1;
  };
}

runCli(
  module,
  { ...SYNTH_COMMAND, usage: SYNTH_COMMAND.usage.replace('usage: synth', 'usage: npm run synth --') },
  synthCommand(),
);
