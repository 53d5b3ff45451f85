/**
 * Reviews a change by what it renders:
 *   npm run diff -- <stack|all> [--base <git-ref>] [--format text|markdown] [--fail-on <risk,…>]
 * Renders the stack at the base revision (default: the merge base with the default branch) in a
 * temporary git worktree, with the base's own code, and at the working tree; prints the objects
 * that differ grouped by risk, most dangerous first (stacks/diff/), then the rest as unified diffs.
 * The last line is `diff: stack=<name> added=A changed=C removed=R risky=K`. Exit codes as in
 * cli.ts: 1 when a risk named by `--fail-on` is found (or rendering failed), 2 usage.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import { checkoutBase, KIT_ROOT, repositoryOf, resolveBase, stacksIn, synth } from './diff/base';
import { compareRenderings, riskRules, risksOf } from './diff/classify';
import { vendoredCrds } from './diff/crds';
import { RISKS, type Risk } from './diff/model';
import { readRendering } from './diff/read-rendering';
import { countsOf, type Format, FORMATS, markdownReport, type StackDiff, summaryLine, textReport } from './diff/report';

/** The diff command's flags and usage. */
export const DIFF_COMMAND = {
  usage: `usage: npm run diff -- <stack|all> [--base <git-ref>] [--format ${FORMATS.join('|')}] [--fail-on <risk,…>]   (risks: ${RISKS.join(', ')})`,
  values: ['base', 'format', 'fail-on'],
} as const;

/** The project whose stacks are compared: stack-config.ts's `projectRoot()`, restated (see base.ts's KIT_ROOT). */
function projectDir(): string {
  return path.resolve(process.env.GROUNDWORK_PROJECT_DIR ?? process.cwd());
}

/** The checked options of one run. */
interface DiffOptions {
  readonly target: string;
  readonly base?: string;
  readonly format: Format;
  readonly failOn: readonly Risk[];
}

function optionsOf(args: ParsedArgs): DiffOptions {
  if (args.positionals.length !== 1) throw new UsageError('name one stack, or all');
  const target = args.positionals[0];
  if (target !== 'all') requireKnown('stack', [target], stacksIn(projectDir()));
  const format = args.values.format ?? 'text';
  requireKnown('format', [format], FORMATS);
  const failOn = (args.values['fail-on'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  requireKnown('risk', failOn, RISKS);
  return { target, base: args.values.base, format: format as Format, failOn: failOn as Risk[] };
}

/** Renders both sides into `tmp` and compares each stack. */
async function diffStacks(o: DiffOptions, tmp: string): Promise<StackDiff[]> {
  const project = fs.realpathSync(projectDir());
  const top = repositoryOf(project);
  const base = resolveBase(top, o.base);
  const tree = checkoutBase(top, base.commit, project, path.join(tmp, 'base'));
  try {
    const headStacks = o.target === 'all' ? stacksIn(project) : [o.target];
    const baseKnown = stacksIn(tree.side.project);
    const baseStacks = o.target === 'all' ? baseKnown : baseKnown.filter((s) => s === o.target);
    const beforeDir = path.join(tmp, 'before');
    const afterDir = path.join(tmp, 'after');
    await Promise.all([
      synth(tree.side, baseStacks, beforeDir),
      synth({ kit: KIT_ROOT, project }, headStacks, afterDir),
    ]);
    const crds = vendoredCrds([
      path.join(KIT_ROOT, 'stacks/apiserver/crds'),
      path.join(tree.side.kit, 'stacks/apiserver/crds'),
    ]);
    const rules = riskRules(crds);
    return [...new Set([...headStacks, ...baseStacks])].sort().map((stack) => ({
      stack,
      base: base.label,
      diffs: compareRenderings(
        readRendering(path.join(beforeDir, stack)),
        readRendering(path.join(afterDir, stack)),
        rules,
      ),
    }));
  } finally {
    tree.remove();
  }
}

/** The diff command. */
export async function diffCommand(args: ParsedArgs): Promise<number> {
  const o = optionsOf(args);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-diff-'));
  try {
    const stacks = await diffStacks(o, tmp);
    const report = o.format === 'markdown' ? markdownReport : textReport;
    const lines = stacks.flatMap((s, i) => [...(i > 0 ? [''] : []), ...report(s)]);
    const all = stacks.flatMap((s) => s.diffs);
    if (o.target === 'all') lines.push(summaryLine('all', countsOf(all)));
    console.log(lines.join('\n'));
    const found = risksOf(all);
    const failing = o.failOn.filter((r) => found.has(r));
    if (failing.length > 0) console.error(`diff: --fail-on: found ${failing.join(', ')}`);
    return failing.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runCli(module, DIFF_COMMAND, diffCommand);
