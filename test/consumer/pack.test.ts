/**
 * Proves other repositories can use the package: build and `npm pack` once, `npx k8s-groundwork
 * init` a platform repository from the tarball and install it once (offline, from the npm cache);
 * the scaffold's own synth and tests, then consumer files type-checked and run inside that install.
 * Installing from Git (prepare builds lib/) is the one other install.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ManifestObject } from '../../constructs';
import { validated } from '../helpers/synth';

const root = path.resolve(__dirname, '../..');
/** The environment of a consumer's commands: without the suite's fixture project (they read their own folder). */
const consumerEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'GROUNDWORK_PROJECT_DIR'));
/** Runs a command; a failure carries its output (a compiler's errors) in the message. */
const run = (cmd: string, args: string[], cwd: string): string => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: consumerEnv });
  } catch (e) {
    const err = e as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
};

/** Progress on stderr (Jest buffers console output until the file ends): each step takes seconds. */
const step = (what: string): boolean => process.stderr.write(`pack.test: ${what}\n`);

describe('npm package', () => {
  let tmp: string;
  let tarball: string;
  /** The platform repository `k8s-groundwork init` wrote, installed once: every consumer check below runs in it. */
  let repo: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-consumer-'));
    step('building and packing the package');
    run('npm', ['run', '--silent', 'build'], root);
    tarball = path.join(
      tmp,
      run('npm', ['pack', '--silent', '--pack-destination', tmp], root).trim().split('\n').pop() as string,
    );
    step('npx k8s-groundwork init from the tarball, then npm install (offline cache)');
    repo = path.join(tmp, 'platform');
    // the command a team runs, from the packed tarball (no registry: the npm cache serves the dependencies)
    run(
      'npx',
      [
        '--yes',
        '--prefer-offline',
        '--package',
        `file:${tarball}`,
        '--',
        'k8s-groundwork',
        'init',
        repo,
        '--package',
        `file:${tarball}`,
      ],
      tmp,
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], repo);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the scaffold synthesizes and passes its own tests as generated, and again with real prod values', () => {
    step('scaffold: npm run synth, npm test');
    expect(run('npm', ['run', '--silent', 'synth'], repo)).toContain(
      'synth kind: hardening checks passed, platform order verified',
    );
    const kind = fs.readFileSync(path.join(repo, 'dist/kind/50-workloads.yaml'), 'utf8');
    expect(kind).toContain('name: hello');
    expect(run('npm', ['test', '--silent'], repo)).toMatch(/# pass 5\n# fail 0/);
    // the example values keep preflight red until replaced
    expect(() => run('npm', ['run', '--silent', 'preflight', '--', 'prod'], repo)).toThrow(
      /groundwork:domain \("prod.example.com"\)/,
    );
    step('scaffold: real prod values, npm test and preflight again');
    const file = path.join(repo, 'Pulumi.prod.yaml');
    const filled = fs
      .readFileSync(file, 'utf8')
      .replace('prod.example.com', 'shop.acme.io')
      .replace('platform@example.com', 'ops@acme.io')
      .replace('example-org', 'acme')
      .replace('"111111111111"', '"210987654321"')
      .replace(/example-prod-/g, 'acme-prod-');
    fs.writeFileSync(file, filled);
    expect(run('npm', ['test', '--silent'], repo)).toMatch(/# pass 5\n# fail 0/);
    expect(run('npm', ['run', '--silent', 'preflight', '--', 'prod'], repo)).toContain(
      'preflight prod (environment prod): nothing to set',
    );
  });

  test('a consumer file type-checks strictly against the installed package and synthesizes a typed WebService', () => {
    step('consumer: a typed WebService');
    const app = path.join(repo, 'consumer-webservice');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'main.ts'),
      [
        "import { App, Chart } from 'cdk8s';",
        "import { WebService, checkManifests } from 'k8s-groundwork';",
        'const app = new App();',
        "const chart = new Chart(app, 'c', { namespace: 'team-a' });",
        "new WebService(chart, 'hello', { image: 'ghcr.io/acme/hello:1.0.0', port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 3 } });",
        'const objs = chart.toJson();',
        'console.log(JSON.stringify({ objs, violations: checkManifests(objs) }));',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'commonjs',
          target: 'es2022',
          types: [],
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    // types resolve from the package (strict, without skipLibCheck) and the JS runs
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    const { objs, violations } = JSON.parse(run(process.execPath, ['out/main.js'], app)) as {
      objs: ManifestObject[];
      violations: unknown[];
    };
    expect(violations).toEqual([]);
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    validated(objs);
    // one copy of the construct libraries: the consumer's own
    expect(fs.existsSync(path.join(repo, 'node_modules/k8s-groundwork/node_modules/cdk8s'))).toBe(false);
  });

  test('another repository renders its own environment with renderEnvironment and type-checks the k8s-groundwork/pulumi components', () => {
    step('consumer: renderEnvironment and the Pulumi component types');
    const app = path.join(repo, 'consumer-environment');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'main.ts'),
      [
        "import { EnvironmentDefinition, parseStackConfig, renderEnvironment, WebService } from 'k8s-groundwork';",
        "import type { GroundworkPlatformArgs } from 'k8s-groundwork/pulumi';",
        'const env: EnvironmentDefinition = {',
        "  name: 'edge', requires: ['domain'],",
        '  build: (c, stack) => ({',
        "    name: 'edge', stack, domain: c.value('domain'), appVersion: '1', demo: false, web: { minReplicas: 1, maxReplicas: 2 }, workerReplicas: 1,",
        "    labels: { environment: 'edge' }, cluster: { provider: 'kind' }, prerequisites: [],",
        "    gitops: { engine: 'argo-cd', revision: 'main', path: 'deploy/edge' },",
        "    addons: { cluster: { storageClasses: [{ name: 'standard', default: true }] }, certManager: { selfSignedCa: true }, ingress: { envoyGateway: { default: true } } },",
        '  }),',
        '};',
        "const config = parseStackConfig({ 'groundwork:domain': 'edge.acme.io' }, 'edge', 'Pulumi.edge.yaml');",
        "const rendering = renderEnvironment(env, config, { stack: 'edge', apps: (chart, { contract }) => {",
        "  const gw = contract.gateway('edge apps');",
        "  new WebService(chart, 'hello', { namespace: 'team-a', image: 'ghcr.io/acme/hello:1.0.0', port: 8080, route: { gateway: gw, hostnames: ['hello.edge.acme.io'] } });",
        '} });',
        'const args: GroundworkPlatformArgs = { rendering };',
        'console.log(JSON.stringify({ kinds: args.rendering.objects.map((o) => o.kind), problems: rendering.checks.platform.map((p) => p.message) }));',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'commonjs',
          target: 'es2022',
          types: [],
          skipLibCheck: true,
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    const { kinds, problems } = JSON.parse(run(process.execPath, ['out/main.js'], app)) as {
      kinds: string[];
      problems: string[];
    };
    expect(kinds).toContain('HTTPRoute');
    // the app's namespace is not created by anything: verifyPlatform says so
    expect(problems).toContain("namespace 'team-a' does not exist yet: nothing before it creates it");
  });

  test('installing straight from Git builds lib/ (prepare) and both entry points load', () => {
    step('installing from Git (prepare builds lib/)');
    const app = path.join(tmp, 'from-git');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'from-git', private: true }));
    // the committed HEAD of this repository, as `npm install github:<owner>/k8s-groundwork` would fetch it
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `git+file://${root}`], app);
    const out = run(
      process.execPath,
      [
        '-e',
        "const g = require('k8s-groundwork'); console.log(typeof g.renderEnvironment, typeof g.WebService, require.resolve('k8s-groundwork/pulumi').endsWith('lib/constructs/pulumi/index.js'))",
      ],
      app,
    );
    expect(out.trim()).toBe('function function true');
  });
});
