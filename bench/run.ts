/**
 * Synthesis benchmark: N WebServices (autoscaled, with Ingress: 7 objects each) against
 * (a) JSON.stringify of the same objects, (b) bare cdk8s ApiObjects with the same content, and
 * (c) the naive cdk8s-plus-28 program with one Chart per app under one App.
 * Then end to end (construct, check, serialize, write files) for 1,000 and 10,000 apps against
 * cdk8s-plus-28 written carefully (one Chart, Construct groups, `app.synth()` to files), each run a
 * process of its own: wall time, and the whole process's CPU time and peak memory as ratios.
 * Then the mocked Pulumi program of every shipped stack (bench/pulumi-program.ts).
 * checkManifests alone at about 10,000 and 50,000 objects.
 * Usage: npm run bench [-- --sizes 100,1000,5000] [--no-e2e] [--no-pulumi] [--no-check]
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkManifests, type ManifestObject } from '../constructs';
import { groundworkChart } from './apps';
import { stackNames } from '../stacks/stack-config';

const NAIVE_LIMIT_MS = 60_000;

/** The TypeScript hook the repository's commands run under (`npm run synth`): the children measured use it too. */
const TS_HOOK = path.join(__dirname, '..', 'scripts', 'ts-hook.js');

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function time<T>(fn: () => T): { ms: number; result: T } {
  gc();
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/**
 * Fastest of `runs` timings. Each run's output is released before the next run starts, so a run
 * is not slowed by the previous run's objects still filling the heap.
 */
function best<T>(runs: number, fn: () => T): { ms: number; result: T } {
  let fastest = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    // drop the previous run's result before the next run, so two never live at once
    // eslint-disable-next-line no-useless-assignment -- read by the garbage collector, not by code
    result = undefined;
    const t = time(fn);
    fastest = Math.min(fastest, t.ms);
    result = t.result;
  }
  return { ms: fastest, result: result as T };
}

function groundwork(n: number): unknown[] {
  return groundworkChart(n).toJson();
}

function bareApiObjects(objects: readonly Record<string, unknown>[], perApp: number): unknown[] {
  const app = new App();
  const chart = new Chart(app, 'apps', { namespace: 'bench', disableResourceNameHashes: true });
  for (let i = 0; i < objects.length; i += perApp) {
    const group = new Construct(chart, `app-${i / perApp}`);
    for (let j = 0; j < perApp; j++) {
      const o = objects[i + j] as { apiVersion: string; kind: string };
      new ApiObject(group, o.kind, o);
    }
  }
  return chart.toJson();
}

function naivePlus(n: number): number {
  const app = new App();
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, `app-${i}`, { namespace: 'bench' });
    const dep = new plus.Deployment(chart, 'Deployment', {
      containers: [{ image: `ghcr.io/acme/app-${i}:1.0.${i}`, portNumber: 8080 }],
    });
    const svc = dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new plus.Ingress(chart, 'Ingress', {
      rules: [{ host: `app-${i}.example.com`, backend: plus.IngressBackend.fromService(svc) }],
    });
    new plus.HorizontalPodAutoscaler(chart, 'Hpa', { target: dep, minReplicas: 2, maxReplicas: 6 });
  }
  return app.synthYaml().length;
}

/** What one end-to-end run in its own process reports (bench/e2e.ts): wall ms, and its own CPU ms and peak RSS. */
interface E2eRun {
  readonly ms: number;
  readonly objects: number;
  readonly jsonMs: number;
  readonly cpuMs: number;
  readonly loadCpuMs: number;
  readonly maxRssKiB: number;
}

/**
 * One end-to-end measurement in a fresh Node process (bench/e2e.ts), so neither program runs on a
 * heap the other grew: a user's `npm run synth` is one such process.
 */
function e2eRun(program: 'groundwork' | 'cdk8s-plus', n: number): E2eRun {
  const out = execFileSync(process.execPath, ['-r', TS_HOOK, path.join(__dirname, 'e2e.ts'), program, String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as E2eRun;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const fastestOf = (runs: readonly E2eRun[]): E2eRun => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

/**
 * End to end at 1,000 and 10,000 apps. At 10,000 the programs run in pairs (ours, then
 * cdk8s-plus), three pairs after a warm-up of both at 1,000, so that a busy machine slows both
 * alike; the CPU ratio is the pairs' total CPU time, the memory ratio their mean peak RSS, both
 * from each child's own accounting.
 */
function e2e(): void {
  console.log('');
  console.log(
    'end to end (construct, check, serialize, write files), each run in a fresh process: wall ms the fastest of 3; CPU (whole process, loading included) and peak RSS the mean of 3 paired runs after a warm-up',
  );
  console.log(
    '| apps | objects | groundwork synth ms | JSON.stringify ms | cdk8s-plus single Chart ms | groundwork CPU s (loading) | cdk8s-plus CPU s | groundwork peak MiB | cdk8s-plus peak MiB |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const small = [0, 1, 2].map(() => e2eRun('groundwork', 1000));
  e2eRun('cdk8s-plus', 1000); // warm-up
  const ours: E2eRun[] = [];
  const theirs: E2eRun[] = [];
  for (let i = 0; i < 3; i++) {
    ours.push(e2eRun('groundwork', 10000));
    theirs.push(e2eRun('cdk8s-plus', 10000));
  }
  const mean = (runs: readonly E2eRun[], f: (r: E2eRun) => number): number => sum(runs.map(f)) / runs.length;
  const row = (n: number, g: readonly E2eRun[], p: readonly E2eRun[]): void => {
    const cell = (runs: readonly E2eRun[], text: (rs: readonly E2eRun[]) => string): string =>
      runs.length > 0 ? text(runs) : '-';
    const json = Math.min(...g.map((r) => r.jsonMs));
    console.log(
      `| ${n} | ${fastestOf(g).objects} | ${fastestOf(g).ms.toFixed(0)} | ${json.toFixed(0)} | ${cell(p, (rs) => fastestOf(rs).ms.toFixed(0))} | ${(mean(g, (r) => r.cpuMs) / 1000).toFixed(1)} (${(mean(g, (r) => r.loadCpuMs) / 1000).toFixed(1)}) | ${cell(p, (rs) => (mean(rs, (r) => r.cpuMs) / 1000).toFixed(1))} | ${(mean(g, (r) => r.maxRssKiB) / 1024).toFixed(0)} | ${cell(p, (rs) => (mean(rs, (r) => r.maxRssKiB) / 1024).toFixed(0))} |`,
    );
  };
  row(1000, small, []);
  row(10000, ours, theirs);
  const t10k = fastestOf(ours).ms;
  const json10k = Math.min(...ours.map((r) => r.jsonMs));
  console.log(
    `bench: synth_10000_ms=${t10k.toFixed(0)} vs_cdk8s_plus=${(t10k / fastestOf(theirs).ms).toFixed(3)} vs_json=${(t10k / json10k).toFixed(1)} scale_10000_over_1000=${(t10k / fastestOf(small).ms).toFixed(2)}`,
  );
  console.log(
    `bench: e2e_10000_cpu_ratio=${(sum(ours.map((r) => r.cpuMs)) / sum(theirs.map((r) => r.cpuMs))).toFixed(3)} e2e_10000_mem_ratio=${(mean(ours, (r) => r.maxRssKiB) / mean(theirs, (r) => r.maxRssKiB)).toFixed(3)}`,
  );
  // the same without module loading (ours loads its TypeScript sources through the cached hook; cdk8s-plus is JavaScript)
  const runCpu = (runs: readonly E2eRun[]): number => sum(runs.map((r) => r.cpuMs - r.loadCpuMs));
  console.log(`bench: e2e_10000_run_cpu_ratio=${(runCpu(ours) / runCpu(theirs)).toFixed(3)} (CPU after loading)`);
}

/** The mocked Pulumi program per shipped stack, each in its own process (see bench/pulumi-program.ts). */
function pulumiPrograms(): void {
  console.log('');
  console.log('Pulumi program per stack (mocked engine; config read, render, every resource registered)');
  console.log('| stack | resources | program ms | module load ms |');
  console.log('|---|---:|---:|---:|');
  const times: string[] = [];
  for (const stack of stackNames()) {
    const out = execFileSync(process.execPath, ['-r', TS_HOOK, path.join(__dirname, 'pulumi-program.ts'), stack], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      programMs: number;
      loadMs: number;
      resources: number;
    };
    console.log(`| ${stack} | ${r.resources} | ${r.programMs} | ${r.loadMs} |`);
    times.push(`${stack}=${r.programMs}`);
  }
  console.log(`bench: pulumi_program_ms ${times.join(' ')}`);
}

/** checkManifests alone on about 10,000 and 50,000 objects (linear: the ratio should stay near 5). */
function checkScale(): void {
  console.log('');
  console.log('checkManifests (fastest of 3)');
  console.log('| objects | ms |');
  console.log('|---:|---:|');
  const ms: number[] = [];
  for (const apps of [1429, 7143]) {
    const objects = groundworkChart(apps).toJson() as ManifestObject[];
    const t = best(3, () => checkManifests(objects).length);
    if (t.result !== 0) throw new Error(`bench objects break ${t.result} hardening rules`);
    ms.push(t.ms);
    console.log(`| ${objects.length} | ${t.ms.toFixed(0)} |`);
  }
  console.log(
    `bench: check_manifests_10000_ms=${ms[0].toFixed(0)} check_manifests_50000_ms=${ms[1].toFixed(0)} scale_50000_over_10000=${(ms[1] / ms[0]).toFixed(2)}`,
  );
}

function main(): void {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100, 1000, 5000];
  console.log(
    `node ${process.version}, ${os.cpus().length} cores; times are the fastest of 3 runs (1 for the naive program)`,
  );
  console.log(
    '| apps | objects | groundwork ms | JSON.stringify ms | bare ApiObject ms | ratio vs ApiObject | naive cdk8s-plus ms |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const ours = new Map<number, number>();
  const ratios = new Map<number, number>();
  let naiveMs: { n: number; ms: number } | undefined;
  for (const n of sizes) {
    const runs = 3;
    const g = best(runs, () => groundwork(n));
    const objects = g.result as Record<string, unknown>[];
    const perApp = objects.length / n;
    const j = best(runs, () => JSON.stringify(objects).length);
    const a = best(runs, () => bareApiObjects(objects, perApp));
    let naive: string;
    const predicted = naiveMs ? naiveMs.ms * (n / naiveMs.n) ** 2 : 0;
    if (predicted > NAIVE_LIMIT_MS) {
      naive = `skipped (quadratic: ~${Math.round(predicted / 1000)} s predicted from ${naiveMs?.n} apps)`;
    } else {
      const t = time(() => naivePlus(n));
      naiveMs = { n, ms: t.ms };
      naive = t.ms.toFixed(0);
    }
    ours.set(n, g.ms);
    ratios.set(n, g.ms / a.ms);
    console.log(
      `| ${n} | ${objects.length} | ${g.ms.toFixed(0)} | ${j.ms.toFixed(0)} | ${a.ms.toFixed(0)} | ${(g.ms / a.ms).toFixed(2)} | ${naive} |`,
    );
  }
  const at1000 = ours.get(1000);
  const at5000 = ours.get(5000);
  const ratio = ratios.get(1000);
  console.log(
    `bench: webservice_1000_ms=${at1000?.toFixed(0) ?? 'n/a'} ratio_vs_apiobject=${ratio?.toFixed(2) ?? 'n/a'} scale_5000_over_1000=${at1000 && at5000 ? (at5000 / at1000).toFixed(2) : 'n/a'}`,
  );
  if (!process.argv.includes('--no-check')) checkScale();
  if (!process.argv.includes('--no-pulumi')) pulumiPrograms();
  if (!process.argv.includes('--no-e2e')) e2e();
}

main();
