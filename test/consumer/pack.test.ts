/**
 * Proves other repositories can import the constructs: build, `npm pack`, install the tarball into
 * a temporary project with its own cdk8s, constructs and cdk8s-plus-28, then type-check and
 * synthesize a WebService there.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ManifestObject } from '../../constructs';
import { validated } from '../helpers/synth';

const root = path.resolve(__dirname, '../..');
/** Runs a command; a failure carries its output (a compiler's errors) in the message. */
const run = (cmd: string, args: string[], cwd: string): string => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
};
const versionOf = (pkg: string): string =>
  (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

describe('npm package', () => {
  let tmp: string;
  let tarball: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-consumer-'));
    run('npm', ['run', '--silent', 'build'], root);
    tarball = run('npm', ['pack', '--silent', '--pack-destination', tmp], root).trim().split('\n').pop() as string;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a consumer installs the packed tarball and synthesizes a typed WebService', () => {
    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        dependencies: {
          'k8s-groundwork': `file:${path.join(tmp, tarball)}`,
          cdk8s: versionOf('cdk8s'),
          constructs: versionOf('constructs'),
          'cdk8s-plus-28': versionOf('cdk8s-plus-28'),
        },
      }),
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
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
        compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: [], skipLibCheck: false, outDir: 'out' },
        files: ['main.ts'],
      }),
    );
    // types resolve from the package (strict, without skipLibCheck) and the JS runs
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    const { objs, violations } = JSON.parse(run(process.execPath, ['out/main.js'], app)) as { objs: ManifestObject[]; violations: unknown[] };
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
    expect(fs.existsSync(path.join(app, 'node_modules/k8s-groundwork/node_modules/cdk8s'))).toBe(false);
  });

  test('another repository renders its own environment with renderEnvironment and type-checks the k8s-groundwork/pulumi components', () => {
    const app = path.join(tmp, 'platform-repo');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({
        name: 'platform-repo',
        private: true,
        dependencies: {
          'k8s-groundwork': `file:${path.join(tmp, tarball)}`,
          cdk8s: versionOf('cdk8s'),
          constructs: versionOf('constructs'),
          '@pulumi/pulumi': versionOf('@pulumi/pulumi'),
          '@pulumi/kubernetes': versionOf('@pulumi/kubernetes'),
        },
      }),
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
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
        compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: [], skipLibCheck: true, outDir: 'out' },
        files: ['main.ts'],
      }),
    );
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    const { kinds, problems } = JSON.parse(run(process.execPath, ['out/main.js'], app)) as { kinds: string[]; problems: string[] };
    expect(kinds).toContain('HTTPRoute');
    // the app's namespace is not created by anything: verifyPlatform says so
    expect(problems).toContain("namespace 'team-a' does not exist yet: nothing before it creates it");
  });

  test('installing straight from Git builds lib/ (prepare) and both entry points load', () => {
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
