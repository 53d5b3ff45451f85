/**
 * Proves other repositories can import the constructs: build, `npm pack`, install the tarball into
 * a temporary project with its own cdk8s, constructs and cdk8s-plus-28, then type-check and
 * synthesize a WebService there.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validated } from '../helpers/synth';

const root = path.resolve(__dirname, '../..');
const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const versionOf = (pkg: string): string => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

describe('npm package', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-consumer-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a consumer installs the packed tarball and synthesizes a typed WebService', () => {
    run('npm', ['run', '--silent', 'build'], root);
    const tarball = run('npm', ['pack', '--silent', '--pack-destination', tmp], root).trim().split('\n').pop() as string;
    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'consumer', private: true,
      dependencies: {
        'k8s-groundwork': `file:${path.join(tmp, tarball)}`,
        cdk8s: versionOf('cdk8s'), constructs: versionOf('constructs'), 'cdk8s-plus-28': versionOf('cdk8s-plus-28'),
      },
    }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
    fs.writeFileSync(path.join(app, 'main.ts'), [
      "import { App, Chart } from 'cdk8s';",
      "import { WebService, checkManifests } from 'k8s-groundwork';",
      "const app = new App();",
      "const chart = new Chart(app, 'c', { namespace: 'team-a' });",
      "new WebService(chart, 'hello', { image: 'ghcr.io/acme/hello:1.0.0', port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 3 } });",
      "const objs = chart.toJson();",
      "console.log(JSON.stringify({ objs, violations: checkManifests(objs) }));",
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: [], skipLibCheck: false, outDir: 'out' }, files: ['main.ts'] }));
    // types resolve from the package (strict, without skipLibCheck) and the JS runs
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    const { objs, violations } = JSON.parse(run(process.execPath, ['out/main.js'], app));
    expect(violations).toEqual([]);
    expect(objs.map((o: any) => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    validated(objs);
    // one copy of the construct libraries: the consumer's own
    expect(fs.existsSync(path.join(app, 'node_modules/k8s-groundwork/node_modules/cdk8s'))).toBe(false);
  });
});
