/**
 * The two renderings: the base revision's, rendered by the base's own code in a temporary
 * `git worktree` (the user's tree is never touched), and the working tree's; both by each side's
 * `stacks/synth.ts` in a child process, in parallel, into a temporary directory.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../cli';

/**
 * The TypeScript hook both renderers run under: the kit's own (scripts/ts-hook.js, Sucrase with a
 * cache that the base's worktree shares, its files being mostly the same text), or Sucrase's
 * where the kit has none (an installed package). It strips the types; type-checking is `npm test`'s.
 */
const TS_HOOK = ((hook) => (fs.existsSync(hook) ? hook : require.resolve('sucrase/register/ts')))(
  path.resolve(__dirname, '../../scripts/ts-hook.js'),
);

/**
 * The kit's repository root (stack-config.ts's KIT_ROOT, restated: importing that file loads the
 * constructs, a second of start-up this command spends in its two renderers instead).
 */
export const KIT_ROOT = path.resolve(__dirname, '../..');

/** Runs git in `cwd`; its trimmed output, or throws with git's message. */
export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

/** The top of the git repository holding `dir` (a usage error outside one). */
export function repositoryOf(dir: string): string {
  const top = tryGit(dir, ['rev-parse', '--show-toplevel']);
  if (top === undefined)
    throw new UsageError(`${dir} is not in a git repository: npm run diff compares with a git revision`);
  return fs.realpathSync(top);
}

/** The base revision: `ref` when given, else the merge base with the default branch (origin/HEAD, then main, then master). */
export function resolveBase(top: string, ref: string | undefined): { readonly label: string; readonly commit: string } {
  if (ref !== undefined) {
    const commit = tryGit(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (commit === undefined) throw new UsageError(`--base ${ref}: not a commit in ${top}`);
    return { label: `${ref} (${commit.slice(0, 10)})`, commit };
  }
  for (const branch of ['origin/HEAD', 'main', 'master']) {
    const commit = tryGit(top, ['merge-base', 'HEAD', branch]);
    if (commit !== undefined) return { label: `merge base with ${branch} (${commit.slice(0, 10)})`, commit };
  }
  throw new UsageError('no default branch to compare with (origin/HEAD, main, master): pass --base <git-ref>');
}

/** Where to render one side: the kit whose `stacks/synth.ts` renders, and the project it reads. */
export interface Side {
  readonly kit: string;
  readonly project: string;
}

/** Runs `<kit>/stacks/synth.ts <stacks…> --out <out>` for `project`; resolves when every stack's directory is written. */
export function synth(side: Side, stacks: readonly string[], out: string): Promise<void> {
  if (stacks.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', TS_HOOK, path.join(side.kit, 'stacks', 'synth.ts'), ...stacks, '--out', out],
      {
        cwd: side.project,
        env: { ...process.env, GROUNDWORK_PROJECT_DIR: side.project },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      // exit 1 with every directory written: a check failed, the rendering is still what would be applied
      const missing = stacks.filter((s) => !fs.existsSync(path.join(out, s)));
      if ((code === 0 || code === 1) && missing.length === 0) resolve();
      else
        reject(
          new Error(
            `rendering ${missing.join(', ')} in ${side.project} failed (exit ${String(code)}):\n${stderr.trim()}`,
          ),
        );
    });
  });
}

/** A temporary worktree of `commit` and the base side in it; `remove` deletes it (and only it). */
export interface BaseTree {
  readonly side: Side;
  readonly remove: () => void;
}

/**
 * Checks `commit` out into `dir` as a detached worktree of `top`. The project is at the same place
 * in it; the kit's renderer too when the kit lives in that repository (else the installed kit
 * renders the base's project). The base shares the working tree's node_modules through a symlink.
 */
export function checkoutBase(top: string, commit: string, project: string, dir: string): BaseTree {
  git(top, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  const kitRel = path.relative(top, fs.realpathSync(KIT_ROOT));
  const kitInRepo = !kitRel.startsWith('..') && !path.isAbsolute(kitRel);
  const kit = kitInRepo ? path.join(dir, kitRel) : KIT_ROOT;
  const link = path.join(kit, 'node_modules');
  const linked = kitInRepo && !fs.existsSync(link);
  if (linked) fs.symlinkSync(path.join(KIT_ROOT, 'node_modules'), link, 'dir');
  const remove = (): void => {
    if (linked) fs.unlinkSync(link);
    if (tryGit(top, ['worktree', 'remove', '--force', dir]) === undefined) {
      fs.rmSync(dir, { recursive: true, force: true });
      tryGit(top, ['worktree', 'prune']);
    }
  };
  return { side: { kit, project: path.join(dir, path.relative(top, project)) }, remove };
}

/** The stacks with a `Pulumi.<stack>.yaml` in `project` (none when it does not exist at that revision). */
export function stacksIn(project: string): string[] {
  if (!fs.existsSync(project)) return [];
  return fs
    .readdirSync(project)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
