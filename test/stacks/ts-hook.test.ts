import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const HOOK = path.join(__dirname, '..', '..', 'scripts', 'ts-hook.js');

let dir: string;
let cache: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-hook-'));
  cache = path.join(dir, 'cache');
  fs.writeFileSync(path.join(dir, 'lib.ts'), 'export const greeting = (who: string): string => `hello ${who}`;\n');
  writeMain('world');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** main.ts: prints the greeting, whether Sucrase was loaded, and the line its stack trace names. */
function writeMain(who: string): void {
  fs.writeFileSync(
    path.join(dir, 'main.ts'),
    [
      "import { greeting } from './lib';",
      'interface Shape { readonly line: number }',
      'const where = (): Shape => ({ line: Number(/main\\.ts:(\\d+)/.exec(new Error().stack ?? "")?.[1]) });',
      `const sucrase = Object.keys(require.cache).some((f) => f.includes('${path.sep}sucrase${path.sep}dist${path.sep}'));`,
      `console.log(JSON.stringify({ text: greeting('${who}'), sucrase, line: where().line }));`,
      '',
    ].join('\n'),
  );
}

function run(env: Record<string, string> = { GROUNDWORK_TS_CACHE: cache }): {
  text: string;
  sucrase: boolean;
  line: number;
} {
  const out = execFileSync(process.execPath, ['-r', HOOK, path.join(dir, 'main.ts')], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return JSON.parse(out) as { text: string; sucrase: boolean; line: number };
}

describe('scripts/ts-hook.js (the TypeScript hook of the repository commands)', () => {
  test('transpiles once: a second run reads the cache and never loads Sucrase', () => {
    expect(run()).toEqual({ text: 'hello world', sucrase: true, line: 3 });
    expect(fs.readdirSync(cache)).toHaveLength(2);
    expect(run()).toEqual({ text: 'hello world', sucrase: false, line: 3 });
  });

  test('an edited file is transpiled again, never served stale', () => {
    run();
    writeMain('again');
    expect(run()).toEqual({ text: 'hello again', sucrase: true, line: 3 });
    expect(fs.readdirSync(cache)).toHaveLength(3);
  });

  test('the same text at another path (a worktree, a clone) reads the same entries', () => {
    run();
    const copy = path.join(dir, 'copy');
    fs.mkdirSync(copy);
    for (const f of ['lib.ts', 'main.ts']) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
    const out = execFileSync(process.execPath, ['-r', HOOK, path.join(copy, 'main.ts')], {
      encoding: 'utf8',
      env: { ...process.env, GROUNDWORK_TS_CACHE: cache },
    });
    expect(JSON.parse(out)).toEqual({ text: 'hello world', sucrase: false, line: 3 });
    expect(fs.readdirSync(cache)).toHaveLength(2);
  });

  test('past 2,000 entries the older half is removed, the entry just written kept', () => {
    fs.mkdirSync(cache);
    const old = new Date('2020-01-01T00:00:00Z');
    for (let i = 0; i < 2000; i++) {
      const f = path.join(cache, `${String(i).padStart(40, '0')}.js`);
      fs.writeFileSync(f, '');
      fs.utimesSync(f, old, old);
    }
    expect(run()).toEqual({ text: 'hello world', sucrase: true, line: 3 });
    const left = fs.readdirSync(cache);
    expect(left.length).toBeLessThanOrEqual(1002);
    expect(left.length).toBeGreaterThanOrEqual(1000);
    expect(run()).toEqual({ text: 'hello world', sucrase: false, line: 3 });
  });

  test('stack traces name the source line (no source map needed)', () => {
    expect(run().line).toBe(3);
  });

  test('a cache that cannot be written: every run transpiles, and works', () => {
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, '');
    const env = { GROUNDWORK_TS_CACHE: path.join(blocked, 'cache') };
    expect(run(env)).toEqual({ text: 'hello world', sucrase: true, line: 3 });
    expect(run(env)).toEqual({ text: 'hello world', sucrase: true, line: 3 });
  });
});
