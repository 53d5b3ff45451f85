/**
 * `k8s-groundwork init <dir> [--name NAME] [--package SPEC]`: writes a platform repository (see
 * templates.ts) into `dir`, which must not exist or be empty. Nothing is written when any check
 * fails; a file is never overwritten.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type Command, type ParsedArgs, UsageError } from '../cli';
import { scaffoldFiles, type ScaffoldInput } from './templates';

/** The kit's own package.json (dependency ranges the scaffold repeats). */
interface KitPackage {
  readonly version: string;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

function kitPackage(): KitPackage {
  // two levels up from stacks/init (the sources) or lib/stacks/init (the package)
  for (const up of ['../..', '../../..']) {
    const file = path.resolve(__dirname, up, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as KitPackage & { name?: string };
      if (pkg.name === 'k8s-groundwork') return pkg;
    }
  }
  throw new Error("init: cannot find k8s-groundwork's package.json");
}

/** The scaffold's inputs for `dir`: name from the folder unless given, versions from the kit's package.json. */
export function scaffoldInput(dir: string, name: string | undefined, packageSpec: string | undefined): ScaffoldInput {
  const kit = kitPackage();
  const project = name ?? path.basename(path.resolve(dir));
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(project)) {
    throw new UsageError(
      `the project name "${project}" must be lowercase letters, digits and "-" (a Pulumi project and npm package name); pass --name`,
    );
  }
  const range = (pkg: string): string => kit.devDependencies[pkg] ?? kit.peerDependencies[pkg];
  return {
    name: project,
    packageSpec: packageSpec ?? `^${kit.version}`,
    versions: {
      cdk8s: range('cdk8s'),
      constructs: range('constructs'),
      typescript: range('typescript'),
      'ts-node': range('ts-node'),
      '@types/node': range('@types/node'),
      '@pulumi/pulumi': range('@pulumi/pulumi'),
      '@pulumi/kubernetes': range('@pulumi/kubernetes'),
    },
  };
}

/** Writes the scaffold for `input` into `dir`; returns the files written. */
export function writeScaffold(dir: string, input: ScaffoldInput): string[] {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
    throw new UsageError(`${dir} is not empty: init writes into a new or empty folder`);
  const files = scaffoldFiles(input);
  for (const [file, text] of files) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text, { flag: 'wx' });
  }
  return [...files.keys()];
}

function main(args: ParsedArgs): number {
  if (args.positionals.length !== 1) throw new UsageError('name the folder to create');
  const dir = args.positionals[0];
  const files = writeScaffold(dir, scaffoldInput(dir, args.values.name, args.values.package));
  console.log(`init: wrote ${files.length} files to ${dir}/: ${files.join(', ')}`);
  console.log(`init: next: cd ${dir} && npm install && npm run synth && npm test`);
  return 0;
}

/** The init command. */
export const INIT_COMMAND: Command = {
  spec: {
    usage:
      'usage: init <dir> [--name NAME] [--package SPEC]   (SPEC: how package.json names k8s-groundwork; default ^<this version>)',
    values: ['name', 'package'],
  },
  main,
};
