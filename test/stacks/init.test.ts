/**
 * `k8s-groundwork init` without a registry: what it writes and what it refuses. The scaffold's own
 * install, synth and tests run in test/consumer/pack.test.ts, from the packed tarball.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../stacks/cli';
import { scaffoldInput, writeScaffold } from '../../stacks/init/init';

const kit = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const fresh = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'init-')), 'acme-platform');

describe('init', () => {
  test('writes a platform repository named after its folder, depending on this version and the kit’s own ranges', () => {
    const dir = fresh();
    const files = writeScaffold(dir, scaffoldInput(dir, undefined, undefined));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'Pulumi.yaml',
        'Pulumi.prod.yaml',
        'environments/index.ts',
        'apps/index.ts',
        'cdk8s.yaml',
        'renovate.json',
      ]),
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe('acme-platform');
    expect(pkg.dependencies['k8s-groundwork']).toBe(`^${kit.version}`);
    expect(pkg.dependencies.cdk8s).toBe(kit.devDependencies.cdk8s);
    expect(pkg.devDependencies.typescript).toBe(kit.devDependencies.typescript);
    expect(fs.readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8')).toMatch(/^name: acme-platform$/m);
    // every stack file names its environment; the cloud ones carry example values preflight refuses
    expect(fs.readFileSync(path.join(dir, 'Pulumi.prod.yaml'), 'utf8')).toMatch(
      /groundwork:environment: prod\n[\s\S]*groundwork:domain: prod\.example\.com/,
    );
  });

  test('refuses a folder that is not empty, and writes nothing there', () => {
    const dir = fresh();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    expect(() => writeScaffold(dir, scaffoldInput(dir, undefined, undefined))).toThrow(
      new UsageError(`${dir} is not empty: init writes into a new or empty folder`),
    );
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });

  test('a folder name that cannot be a project name needs --name', () => {
    expect(() => scaffoldInput('/tmp/My Platform', undefined, undefined)).toThrow(
      'the project name "My Platform" must be lowercase letters, digits and "-" (a Pulumi project and npm package name); pass --name',
    );
    expect(scaffoldInput('/tmp/My Platform', 'acme', 'file:/x.tgz')).toMatchObject({
      name: 'acme',
      packageSpec: 'file:/x.tgz',
    });
  });
});
