/**
 * Synthesizes an environment to plain YAML: `dist/<env>/<wave>.yaml` plus a kustomization.yaml.
 * Usage: npm run synth -- [kind|dev|staging|prod|all] [--out dist]
 * Exits non-zero when an object breaks a hardening rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkManifests } from '../constructs';
import { environmentFor, environments, Environment } from '../environments';
import { buildPlatform, platformObjects } from './platform';
import { kustomization, orderIntoWaves, toYaml } from './render';

/** What one synthesis wrote. */
export interface SynthResult {
  readonly env: string;
  readonly dir: string;
  readonly files: readonly string[];
  readonly objectCount: number;
  readonly violations: ReturnType<typeof checkManifests>;
}

/** Synthesizes `env` into `<outDir>/<env.name>/`, replacing what was there. */
export function synthEnvironment(env: Environment, outDir: string): SynthResult {
  const objects = platformObjects(buildPlatform(env));
  const violations = checkManifests(objects);
  const waves = orderIntoWaves(objects);
  const dir = path.join(outDir, env.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const w of waves) {
    fs.writeFileSync(path.join(dir, `${w.name}.yaml`), toYaml(w.objects));
    files.push(`${w.name}.yaml`);
  }
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization(waves));
  files.push('kustomization.yaml');
  return { env: env.name, dir, files, objectCount: objects.length, violations };
}

function main(argv: readonly string[]): number {
  const outIdx = argv.indexOf('--out');
  const outDir = outIdx >= 0 ? argv[outIdx + 1] : 'dist';
  const names = argv.filter((a, i) => !a.startsWith('--') && (outIdx < 0 || i !== outIdx + 1));
  const targets = names.length === 0 ? ['kind'] : names.includes('all') ? Object.keys(environments) : names;
  let failed = 0;
  for (const name of targets) {
    const r = synthEnvironment(environmentFor(name), outDir);
    console.log(`synth ${r.env}: ${r.objectCount} objects -> ${r.dir}/ (${r.files.join(', ')})`);
    for (const v of r.violations) console.error(`  ${v.rule}: ${v.object}: ${v.message}`);
    console.log(`synth ${r.env}: hardening checks ${r.violations.length === 0 ? 'passed' : `FAILED (${r.violations.length} violations)`}`);
    if (r.violations.length > 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
