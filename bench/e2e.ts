/**
 * One end-to-end run in this process, to files in a temporary directory:
 *   node -r ts-node/register/transpile-only bench/e2e.ts <groundwork|cdk8s-plus> <apps>
 * groundwork: construct, `toJson`, `checkManifests`, apply waves, YAML files + kustomization
 * (the synth CLI's path); cdk8s-plus: `app.synth()`. Prints one JSON line
 * { ms, objects, jsonMs }, jsonMs being `JSON.stringify` of the same objects (groundwork only).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkManifests, type ManifestObject, orderIntoWaves } from '../constructs';
import { writeWaves } from '../stacks/render';
import { groundworkChart, plusSingleChart } from './apps';

const [program, apps] = process.argv.slice(2);
const n = Number(apps);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-e2e-'));
try {
  const start = process.hrtime.bigint();
  let objects: ManifestObject[] = [];
  if (program === 'groundwork') {
    objects = groundworkChart(n).toJson() as ManifestObject[];
    const violations = checkManifests(objects);
    if (violations.length > 0) throw new Error(`bench objects break ${violations.length} hardening rules`);
    writeWaves(dir, orderIntoWaves(objects));
  } else if (program === 'cdk8s-plus') {
    plusSingleChart(n, dir);
  } else {
    throw new Error(`unknown program "${program}" (groundwork or cdk8s-plus)`);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const jsonStart = process.hrtime.bigint();
  if (objects.length > 0) JSON.stringify(objects);
  const jsonMs = Number(process.hrtime.bigint() - jsonStart) / 1e6;
  console.log(JSON.stringify({ ms, objects: objects.length, jsonMs }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
