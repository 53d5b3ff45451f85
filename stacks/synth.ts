/**
 * Synthesizes an environment to plain YAML:
 *   dist/<env>/<wave>.yaml + kustomization.yaml     the apps (`kubectl apply -k dist/<env>`)
 *   dist/<env>/addons/…                             the add-ons for the environment's GitOps engine
 *   dist/<env>/addons-bootstrap.yaml                points the engine at dist/<env>/addons (applied once)
 * Usage: npm run synth -- [kind|dev|staging|prod|all] [--out dist]
 * Exits non-zero when an object breaks a hardening rule or the add-ons exceed the environment's budget.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkManifests, ManifestObject, platformAddons, PlatformAddons, renderGitOps } from '../constructs';
import { environmentFor, environments, Environment } from '../environments';
import { buildPlatform, platformObjects } from './platform';
import { kustomization, orderIntoWaves, toYaml } from './render';

/** What one synthesis wrote. */
export interface SynthResult {
  readonly env: string;
  readonly dir: string;
  readonly files: readonly string[];
  readonly objectCount: number;
  readonly addonFiles: readonly string[];
  readonly addons: PlatformAddons;
  readonly violations: ReturnType<typeof checkManifests>;
  /** Budget problems (empty when within budget or none set). */
  readonly overBudget: readonly string[];
}

const GiB = 2 ** 30;

function write(dir: string, name: string, objects: readonly ManifestObject[]): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toYaml(objects));
  return `${name}.yaml`;
}

/** Synthesizes `env` into `<outDir>/<env.name>/`, replacing what was there. */
export function synthEnvironment(env: Environment, outDir: string): SynthResult {
  const objects = platformObjects(buildPlatform(env));
  const addons = platformAddons(env.addons);
  const gitops = renderGitOps(addons, env.gitops);
  const addonObjects = [...gitops.files.flatMap((f) => f.objects), ...gitops.bootstrap];
  const violations = checkManifests([...objects, ...addonObjects]);
  const dir = path.join(outDir, env.name);
  fs.rmSync(dir, { recursive: true, force: true });
  const waves = orderIntoWaves(objects);
  const files = waves.map((w) => write(dir, w.name, w.objects));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization(waves));
  files.push('kustomization.yaml');
  const addonDir = path.join(dir, 'addons');
  const addonFiles = gitops.files.map((f) => `addons/${write(addonDir, f.name, f.objects)}`);
  addonFiles.push(write(dir, 'addons-bootstrap', gitops.bootstrap));
  const overBudget: string[] = [];
  if (env.addonBudget) {
    if (addons.footprint.cpuCores > env.addonBudget.cpuCores) overBudget.push(`add-on CPU requests ${addons.footprint.cpuCores.toFixed(2)} > ${env.addonBudget.cpuCores} cores`);
    if (addons.footprint.memoryBytes > env.addonBudget.memoryGiB * GiB) overBudget.push(`add-on memory requests ${(addons.footprint.memoryBytes / GiB).toFixed(2)} GiB > ${env.addonBudget.memoryGiB} GiB`);
  }
  return { env: env.name, dir, files, objectCount: objects.length, addonFiles, addons, violations, overBudget };
}

function main(argv: readonly string[]): number {
  const outIdx = argv.indexOf('--out');
  const outDir = outIdx >= 0 ? argv[outIdx + 1] : 'dist';
  const names = argv.filter((a, i) => !a.startsWith('--') && (outIdx < 0 || i !== outIdx + 1));
  const targets = names.length === 0 ? ['kind'] : names.includes('all') ? Object.keys(environments) : names;
  let failed = 0;
  for (const name of targets) {
    const env = environmentFor(name);
    const r = synthEnvironment(env, outDir);
    const fp = r.addons.footprint;
    console.log(`synth ${r.env}: ${r.objectCount} app objects -> ${r.dir}/ (${r.files.join(', ')})`);
    console.log(`synth ${r.env}: ${r.addons.declarations.length} add-ons in ${r.addons.plan.waves.length} waves (charts, then the resources they define) for ${env.gitops.engine} -> ${r.addonFiles.join(', ')}`);
    r.addons.plan.waves.forEach((w, i) => console.log(`  wave ${i}: ${w.join(', ')}`));
    const budget = env.addonBudget ? ` (budget ${env.addonBudget.cpuCores} CPU, ${env.addonBudget.memoryGiB} GiB)` : '';
    console.log(`synth ${r.env}: add-on requests ${fp.cpuCores.toFixed(2)} CPU, ${(fp.memoryBytes / GiB).toFixed(2)} GiB${budget}`);
    for (const w of r.addons.warnings) console.warn(`  warning: ${w}`);
    for (const v of r.violations) console.error(`  ${v.rule}: ${v.object}: ${v.message}`);
    for (const b of r.overBudget) console.error(`  over budget: ${b}`);
    const ok = r.violations.length === 0 && r.overBudget.length === 0;
    console.log(`synth ${r.env}: hardening checks ${r.violations.length === 0 ? 'passed' : `FAILED (${r.violations.length} violations)`}${r.overBudget.length > 0 ? ', add-on budget EXCEEDED' : ''}`);
    if (!ok) failed++;
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
