/**
 * `npm run diff` end to end: in a temporary clone of this repository, a commit plants a wildcard
 * Role in the demo apps and bumps cert-manager's chart pin; `diff kind --base HEAD~1 --fail-on
 * rbac` renders both revisions (the base in a temporary worktree, by its own code), lists each
 * under its risk and exits 1. Usage errors exit 2 before anything is rendered.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const KIT = path.resolve(__dirname, '../..');
/** Sucrase's require hook: strips the types, no type-check (that is `npm test`'s). */
const TS_HOOK = path.join(__dirname, '..', '..', 'scripts', 'ts-hook.js');

function run(repo: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', TS_HOOK, path.join(repo, 'stacks', 'diff.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GROUNDWORK_PROJECT_DIR: path.join(repo, 'test/fixtures/project') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=diff-test', '-c', 'user.email=diff-test@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** A clone of this repository's HEAD sharing its node_modules (the test needs a git checkout: it commits). */
function cloneKit(): string {
  if (!fs.existsSync(path.join(KIT, '.git')))
    throw new Error(`${KIT} is not a git checkout: npm run diff renders a base revision`);
  const repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diff-e2e-')), 'repo');
  git(KIT, 'clone', '--quiet', '--local', '--no-hardlinks', KIT, repo);
  fs.symlinkSync(path.join(KIT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  return repo;
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
}

describe('npm run diff', () => {
  test('usage errors exit 2 and render nothing', () => {
    for (const args of [
      ['kind', '--fail-on', 'rbac,everything'],
      ['kind', '--format', 'html'],
      ['kind', 'prod'],
    ]) {
      const r = run(KIT, args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stderr).toContain('usage: npm run diff -- <stack|all>');
    }
  });

  test('a planted wildcard Role and a chart pin bump appear under their risks; --fail-on rbac exits 1', () => {
    const repo = cloneKit();
    try {
      edit(
        path.join(repo, 'constructs/addons/catalog.ts'),
        "chart: 'cert-manager', version: 'v1.19.6'",
        "chart: 'cert-manager', version: 'v1.19.7'",
      );
      const demo = path.join(repo, 'apps/demo.ts');
      const role = `new ApiObject(chart, 'planted', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'planted', namespace: 'shop' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });`;
      edit(
        demo,
        "  if (context.env.demo) new DemoApps(chart, 'shop', context);",
        `  if (context.env.demo) new DemoApps(chart, 'shop', context);\n  ${role}`,
      );
      fs.writeFileSync(demo, `import { ApiObject } from 'cdk8s';\n${fs.readFileSync(demo, 'utf8')}`);
      git(repo, 'commit', '--quiet', '-am', 'plant a wildcard Role and bump cert-manager');

      const r = run(repo, ['kind', '--base', 'HEAD~1', '--fail-on', 'rbac']);
      expect(r.stderr).toContain('diff: --fail-on: found rbac');
      expect(r.code).toBe(1);
      const out = r.stdout.trimEnd().split('\n');
      const rbac = out.indexOf('== RBAC widened (rbac): 1 object');
      const pin = out.indexOf('== Chart pins changed (pin): 1 object');
      expect(rbac).toBeGreaterThan(0);
      expect(pin).toBeGreaterThan(rbac);
      expect(out[rbac + 1]).toBe('+ rbac.authorization.k8s.io/Role shop/planted (added)');
      expect(out[rbac + 2]).toBe('    [rbac] new role grants: * on *.* (wildcard)');
      expect(out[pin + 2]).toBe('    [pin] cert-manager v1.19.6 -> v1.19.7');
      expect(out[out.length - 1]).toBe('diff: stack=kind added=1 changed=1 removed=0 risky=2');
      // the base worktree is gone; the clone's tree is untouched
      expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
      expect(
        git(repo, 'status', '--porcelain')
          .split('\n')
          .filter((l) => l !== '' && l !== '?? node_modules'),
      ).toEqual([]);
    } finally {
      fs.rmSync(path.dirname(repo), { recursive: true, force: true });
    }
  });
});
