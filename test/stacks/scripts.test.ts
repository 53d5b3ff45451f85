/**
 * The local path's scripts cannot run here (no Docker, cluster or Helm repository): what can be
 * checked is. They parse (bash -n) and pass ShellCheck; every variable they read from the
 * synthesized bootstrap inputs is written by synth; every file they apply exists; the README
 * walkthroughs list the steps in the order the scripts run them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthStack } from '../../stacks/synth';

const root = path.resolve(__dirname, '../..');
const scriptsDir = path.join(root, 'scripts');
const scripts = fs
  .readdirSync(scriptsDir)
  .filter((f) => f.endsWith('.sh'))
  .sort();
const read = (f: string): string => fs.readFileSync(path.join(scriptsDir, f), 'utf8');
const hasShellcheck = ((): boolean => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('scripts', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-scripts-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('the local path is complete: create, bootstrap, wait, smoke-check, tear down', () => {
    expect(scripts).toEqual([
      'bootstrap.sh',
      'kind-down.sh',
      'kind-e2e.sh',
      'kind-up.sh',
      'lib.sh',
      'smoke.sh',
      'wait-ready.sh',
    ]);
    for (const f of scripts) expect([f, read(f).includes('UNVERIFIED ON A REAL CLUSTER')]).toEqual([f, true]);
  });

  test.each(scripts)('%s parses (bash -n)', (f) => {
    expect(() => execFileSync('bash', ['-n', path.join(scriptsDir, f)], { stdio: 'pipe' })).not.toThrow();
  });

  (hasShellcheck ? test : test.skip)('ShellCheck finds nothing', () => {
    const result = ((): string => {
      try {
        return execFileSync('shellcheck', ['-x', ...scripts.map((f) => path.join('scripts', f))], {
          cwd: root,
          encoding: 'utf8',
        });
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    expect(result).toBe('');
  });

  test('every variable the scripts read from bootstrap/engine.env is written by synth, and every file they apply exists', () => {
    const { dir } = synthStack('kind', out);
    // read as the scripts read it: sourced by bash (every value is a single-quoted word)
    const sourced = execFileSync(
      'env',
      ['-i', 'bash', '-c', 'set -a; source "$1"; env -0', '_', path.join(dir, 'bootstrap/engine.env')],
      { encoding: 'utf8' },
    );
    const written = new Map(
      sourced
        .split('\0')
        .filter((l) => /^[A-Z_]+=/.test(l) && !/^(PWD|SHLVL|_)=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const text = scripts.map(read).join('\n');
    const assigned = new Set([...text.matchAll(/\b([A-Z][A-Z_]*)=/g)].map((m) => m[1]));
    const locals = new Set([
      'ROOT',
      'OUT',
      'STACK',
      'STACK_DIR',
      'KUBECTL',
      'HELM',
      'ADDR',
      'HOST',
      'NAME',
      'KIND_VERSION',
      'BASH_SOURCE',
      'IFS',
    ]);
    const readVars = new Set([...text.matchAll(/\$\{?([A-Z][A-Z_]*)/g)].map((m) => m[1]).filter((v) => !locals.has(v)));
    for (const v of readVars) expect([v, written.has(v) || assigned.has(v)]).toEqual([v, true]);
    for (const v of readVars) if (!assigned.has(v)) expect([v, written.has(v)]).toEqual([v, true]);
    for (const f of (written.get('ADDON_FILES') ?? '').split(' ')) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    expect(written.get('KUBE_CONTEXT')).toBe('kind-groundwork');
    // namespaces that run workloads (not the tenants' Secrets-only namespaces)
    expect(written.get('APP_NAMESPACES')).toBe('shop analytics');
    expect(fs.existsSync(path.join(dir, 'bootstrap/local-secrets.tsv'))).toBe(true);
  });

  test('bootstrap.sh runs engine, local secrets, add-ons, apps in that order, as the README says', () => {
    const body = read('bootstrap.sh');
    const calls = body
      .split('\n')
      .filter((l) => /^(install_engine|create_local_secrets|apply_addons|apply_apps)$/.test(l));
    expect(calls).toEqual(['install_engine', 'create_local_secrets', 'apply_addons', 'apply_apps']);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const steps = ['1 Argo CD', '2 random secrets', '3 each add-on wave file', '4 kubectl apply -k dist/kind'].map(
      (s) => readme.indexOf(s),
    );
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    const gitops = ["1 the engine's chart", '2 local-store secrets', '3 addons-bootstrap.yaml'].map((s) =>
      readme.indexOf(s),
    );
    expect(gitops.every((i) => i > 0)).toBe(true);
    expect([...gitops].sort((a, b) => a - b)).toEqual(gitops);
  });

  test('the README kind walkthrough lists the steps in the order scripts/kind-e2e.sh runs them', () => {
    const e2e = read('kind-e2e.sh')
      .split('\n')
      .map((l) =>
        l.startsWith('#') || l.includes('source ') ? null : /scripts\/([a-z-]+\.sh)|npm run --silent (synth)/.exec(l),
      )
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => m[1] ?? m[2]);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### 1. Local cluster (kind)'), readme.indexOf('### 2. GitOps'));
    const block = section.slice(section.indexOf('```sh'), section.indexOf('```', section.indexOf('```sh') + 5));
    const walkthrough = block
      .split('\n')
      .map((l) => /^scripts\/([a-z-]+\.sh)|^npm run (synth)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => m[1] ?? m[2]);
    expect(e2e).toEqual(['kind-up.sh', 'synth', 'bootstrap.sh', 'wait-ready.sh', 'smoke.sh', 'kind-down.sh']);
    expect(walkthrough).toEqual(e2e);
  });
});
