/**
 * Synthesis benchmark: N WebServices (autoscaled, with Ingress: 7 objects each) against
 * (a) JSON.stringify of the same objects, (b) bare cdk8s ApiObjects with the same content, and
 * (c) the naive cdk8s-plus-28 program with one Chart per app under one App.
 * Then end to end (construct, check, serialize, write files) for 1,000 and 10,000 apps against
 * cdk8s-plus-28 written carefully (one Chart, Construct groups, `app.synth()` to files).
 * Usage: npm run bench [-- --sizes 100,1000,5000] [--no-e2e]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkManifests, ManifestObject, orderIntoWaves, WebService } from '../constructs';
import { kustomization, toYaml } from '../stacks/render';

const NAIVE_LIMIT_MS = 60_000;

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
    result = undefined;
    const t = time(fn);
    fastest = Math.min(fastest, t.ms);
    result = t.result;
  }
  return { ms: fastest, result: result as T };
}

function groundwork(n: number): unknown[] {
  const app = new App();
  const chart = new Chart(app, 'apps', { namespace: 'bench', disableResourceNameHashes: true });
  for (let i = 0; i < n; i++) {
    new WebService(chart, `app-${i}`, {
      image: `ghcr.io/acme/app-${i}:1.0.${i}`,
      port: 8080,
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      ingress: { host: `app-${i}.example.com`, className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
      probes: { readiness: { type: 'http', path: '/ready' }, liveness: { type: 'http', path: '/live' } },
    });
  }
  return chart.toJson();
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
    new plus.Ingress(chart, 'Ingress', { rules: [{ host: `app-${i}.example.com`, backend: plus.IngressBackend.fromService(svc) }] });
    new plus.HorizontalPodAutoscaler(chart, 'Hpa', { target: dep, minReplicas: 2, maxReplicas: 6 });
  }
  return app.synthYaml().length;
}

/** Our path to files: construct, toJson, hardening checks, YAML per apply wave, write. */
function endToEnd(n: number, dir: string): number {
  const objects = groundwork(n) as ManifestObject[];
  const violations = checkManifests(objects);
  if (violations.length > 0) throw new Error(`bench objects break ${violations.length} hardening rules`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const waves = orderIntoWaves(objects);
  for (const w of waves) fs.writeFileSync(path.join(dir, `${w.name}.yaml`), toYaml(w.objects));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization(waves));
  return objects.length;
}

/** cdk8s-plus-28 as a careful user writes it: one Chart, a Construct per app, `app.synth()` to files. */
function plusSingleChart(n: number, dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'apps', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    const g = new Construct(chart, `app-${i}`);
    const dep = new plus.Deployment(g, 'Deployment', { containers: [{ image: `ghcr.io/acme/app-${i}:1.0.${i}`, portNumber: 8080 }] });
    const svc = dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new plus.Ingress(g, 'Ingress', { rules: [{ host: `app-${i}.example.com`, backend: plus.IngressBackend.fromService(svc) }] });
    new plus.HorizontalPodAutoscaler(g, 'Hpa', { target: dep, minReplicas: 2, maxReplicas: 6 });
  }
  app.synth();
}

function e2e(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-bench-'));
  console.log('');
  console.log('end to end (files on disk): fastest of 3 runs for ours, 1 run for cdk8s-plus');
  console.log('| apps | objects | groundwork synth ms | JSON.stringify ms | cdk8s-plus single Chart ms |');
  console.log('|---:|---:|---:|---:|---:|');
  const ms = new Map<number, number>();
  let plusMs = 0;
  let jsonMs = 0;
  for (const n of [1000, 10000]) {
    const ours = best(3, () => endToEnd(n, path.join(tmp, 'ours')));
    const objects = groundwork(n);
    const json = best(3, () => JSON.stringify(objects).length);
    const plusRun = n === 10000 ? time(() => plusSingleChart(n, path.join(tmp, 'plus'))).ms : Number.NaN;
    ms.set(n, ours.ms);
    if (n === 10000) {
      plusMs = plusRun;
      jsonMs = json.ms;
    }
    console.log(`| ${n} | ${ours.result} | ${ours.ms.toFixed(0)} | ${json.ms.toFixed(0)} | ${Number.isNaN(plusRun) ? '-' : plusRun.toFixed(0)} |`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const t10k = ms.get(10000) ?? Number.NaN;
  console.log(`bench: synth_10000_ms=${t10k.toFixed(0)} vs_cdk8s_plus=${(t10k / plusMs).toFixed(3)} vs_json=${(t10k / jsonMs).toFixed(1)} scale_10000_over_1000=${(t10k / (ms.get(1000) ?? Number.NaN)).toFixed(2)}`);
}

function main(): void {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100, 1000, 5000];
  console.log(`node ${process.version}, ${require('os').cpus().length} cores; times are the fastest of 3 runs (1 for the naive program)`);
  console.log('| apps | objects | groundwork ms | JSON.stringify ms | bare ApiObject ms | ratio vs ApiObject | naive cdk8s-plus ms |');
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
    console.log(`| ${n} | ${objects.length} | ${g.ms.toFixed(0)} | ${j.ms.toFixed(0)} | ${a.ms.toFixed(0)} | ${(g.ms / a.ms).toFixed(2)} | ${naive} |`);
  }
  const at1000 = ours.get(1000);
  const at5000 = ours.get(5000);
  const ratio = ratios.get(1000);
  console.log(`bench: webservice_1000_ms=${at1000?.toFixed(0) ?? 'n/a'} ratio_vs_apiobject=${ratio?.toFixed(2) ?? 'n/a'} scale_5000_over_1000=${at1000 && at5000 ? (at5000 / at1000).toFixed(2) : 'n/a'}`);
  if (!process.argv.includes('--no-e2e')) e2e();
}

main();
