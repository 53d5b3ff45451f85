/**
 * The command-line contract (stacks/cli.ts): `--help` prints the usage and writes nothing, value
 * flags take `--out DIR` and `--out=DIR`, and every usage error (unknown flag, missing value, extra
 * or unknown argument) exits 2 before anything is written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCommand, requireKnown, UsageError } from '../../stacks/cli';

const KIT = path.resolve(__dirname, '../..');
/** Sucrase's require hook: strips the types, no type-check (that is `npm test`'s). */
const TS_HOOK = path.join(__dirname, '..', '..', 'scripts', 'ts-hook.js');

/** Runs a CLI of the kit from `cwd` as `npm run <cli> -- <args>` would; exit code and output. */
function run(
  cli: string,
  args: readonly string[],
  cwd: string,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', TS_HOOK, path.join(KIT, 'stacks', `${cli}.ts`), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function emptyDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
}

describe('parseCommand', () => {
  const spec = { usage: 'usage: x', values: ['out'], switches: ['json'] };

  test('a value flag takes its value as the next argument or after "="', () => {
    expect(parseCommand(['kind', '--out', 'o1'], spec)?.values).toEqual({ out: 'o1' });
    expect(parseCommand(['--out=o2', 'kind'], spec)).toEqual({
      positionals: ['kind'],
      values: { out: 'o2' },
      switches: new Set(),
    });
    expect(parseCommand(['--json'], spec)?.switches).toEqual(new Set(['json']));
  });

  test('--help and -h ask for the usage', () => {
    expect(parseCommand(['kind', '--help'], spec)).toBeUndefined();
    expect(parseCommand(['-h'], spec)).toBeUndefined();
  });

  test.each([
    [['--out'], "option '--out' needs a value"],
    [['--out', '--json'], "option '--out' needs a value"],
    [['--out='], "option '--out' needs a value"],
    [['--outdir', 'x'], "unknown option '--outdir'"],
    [['-x'], "unknown option '-x'"],
    [['--json=yes'], "option '--json' takes no value"],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCommand(argv, spec)).toThrow(UsageError);
    expect(() => parseCommand(argv, spec)).toThrow(message);
  });

  test('requireKnown names every unknown name and what is known', () => {
    expect(() => requireKnown('stack', ['kind', 'prd', 'qa'], ['kind', 'prod'])).toThrow(
      'unknown stack "prd", "qa" (stacks: kind, prod)',
    );
    expect(() => requireKnown('stack', ['kind'], ['kind'])).not.toThrow();
  });
});

describe('the CLIs as a user runs them', () => {
  test('synth --help prints the usage, exits 0 and writes nothing', () => {
    const cwd = emptyDir();
    const r = run('synth', ['--help'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run synth -- /);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('preflight -h prints the usage and checks no stack', () => {
    const r = run('preflight', ['-h'], emptyDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run preflight -- /);
    expect(r.stdout).not.toContain('preflight kind');
  });

  test.each([
    [['kind', '--out'], "option '--out' needs a value"],
    [['kind', '--outdir', 'x'], "unknown option '--outdir'"],
    [['kind', 'nope'], 'unknown stack "nope" (stacks: dev, kind, prod, staging)'],
    [['all', 'kind'], '"all" stands alone'],
  ])('synth %j: usage error, exit 2, nothing written', (args, message) => {
    const cwd = emptyDir();
    const r = run('synth', args, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: npm run synth -- ');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('synth --out=DIR writes there and says so on its first line', () => {
    const cwd = emptyDir();
    const r = run('synth', ['kind', '--out=out-eq'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('synth kind: rendering Pulumi.kind.yaml');
    expect(fs.readdirSync(cwd)).toEqual(['out-eq']);
    expect(fs.existsSync(path.join(cwd, 'out-eq/kind/kustomization.yaml'))).toBe(true);
  });

  test('preflight without a stack is a usage error; an unknown stack is named', () => {
    const none = run('preflight', [], emptyDir());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the stacks to check, or "all"');
    const unknown = run('preflight', ['qa'], emptyDir());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown stack "qa"');
  });
});
