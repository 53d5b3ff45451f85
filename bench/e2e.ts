/**
 * One end-to-end run in this process, to files in a temporary directory:
 *   node -r ./scripts/ts-hook.js bench/e2e.ts <groundwork|cdk8s-plus> <apps>
 * groundwork: construct, `toJson`, `checkManifests`, apply waves, YAML files + kustomization
 * (the synth CLI's path); cdk8s-plus: `app.synth()`. Only the program's own modules are loaded.
 * Prints one JSON line: { ms, objects, jsonMs, cpuMs, loadCpuMs, maxRssKiB }: `ms` the wall time
 * of the run, `jsonMs` `JSON.stringify` of the same objects (groundwork only), and from this
 * process's own accounting (`process.resourceUsage`) the CPU time of the whole process (user and
 * system, every thread, module loading and TypeScript transpiling included; the JSON.stringify
 * after the run is not), the part spent before the run started, and its peak resident memory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ManifestObject } from '../constructs';

function cpuMs(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
}

async function main(): Promise<void> {
  const [program, apps] = process.argv.slice(2);
  const n = Number(apps);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-e2e-'));
  try {
    let objects: unknown[] = [];
    let run: () => void;
    if (program === 'groundwork') {
      const [{ chartManifests, checkManifests, orderIntoWaves }, { writeWaves }, { groundworkChart }] =
        await Promise.all([import('../constructs'), import('../stacks/render'), import('./apps')]);
      run = () => {
        const json = chartManifests(groundworkChart(n)) as ManifestObject[];
        const violations = checkManifests(json);
        if (violations.length > 0) throw new Error(`bench objects break ${violations.length} hardening rules`);
        writeWaves(dir, orderIntoWaves(json));
        objects = json;
      };
    } else if (program === 'cdk8s-plus') {
      const { plusSingleChart } = await import('./plus-apps');
      run = () => plusSingleChart(n, dir);
    } else {
      throw new Error(`unknown program "${program}" (groundwork or cdk8s-plus)`);
    }
    const loadCpuMs = cpuMs();
    const start = process.hrtime.bigint();
    run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const used = cpuMs();
    const maxRssKiB = process.resourceUsage().maxRSS;
    const jsonStart = process.hrtime.bigint();
    if (objects.length > 0) JSON.stringify(objects);
    const jsonMs = Number(process.hrtime.bigint() - jsonStart) / 1e6;
    console.log(JSON.stringify({ ms, objects: objects.length, jsonMs, cpuMs: used, loadCpuMs, maxRssKiB }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
