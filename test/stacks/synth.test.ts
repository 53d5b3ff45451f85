import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { ManifestObject } from '../../constructs';
import { environments } from '../../environments';
import { buildPlatform, platformObjects } from '../../stacks/platform';
import { orderIntoWaves } from '../../stacks/render';
import { synthEnvironment } from '../../stacks/synth';
import { validated } from '../helpers/synth';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'CronJob', 'Job', 'ConfigMap', 'ExternalSecret', 'Ingress', 'HorizontalPodAutoscaler'];

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('synth', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-synth-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(Object.values(environments).map((e) => [e.name, e] as const))('%s: every object is schema-valid and hardened', (_name, env) => {
    const objs = validated(platformObjects(buildPlatform(env)));
    for (const o of objs) expect(o.metadata?.labels?.environment).toBe(env.name);
  });

  test('kind: writes ordered wave files with one of each workload construct, read back identical', () => {
    const result = synthEnvironment(environments.kind, out);
    expect(result.violations).toEqual([]);
    const dir = path.join(out, 'kind');
    const files = fs.readdirSync(dir).filter((f) => !f.startsWith('addons')).sort();
    expect(files).toEqual([...result.files].sort());
    const objs: ManifestObject[] = files
      .filter((f) => f !== 'kustomization.yaml')
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
    expect(objs).toHaveLength(result.objectCount);
    validated(objs);
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of WORKLOAD_KINDS) expect(kinds).toContain(k);
    // no secret material anywhere in the output
    const text = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/^kind: Secret$/m);
    expect(text).not.toMatch(/stringData/);
  });

  test('kind: waves put namespaces first and routing after workloads', () => {
    const waves = orderIntoWaves(platformObjects(buildPlatform(environments.kind))).map((w) => w.name);
    expect(waves).toEqual(['00-namespaces', '20-identity', '30-config', '40-services', '50-workloads', '60-policies', '70-routing']);
  });

  test('staging has a Gateway, so the API gets an HTTPRoute instead of staying internal', () => {
    const objs = platformObjects(buildPlatform(environments.staging));
    const route = objs.find((o) => o.kind === 'HTTPRoute') as any;
    expect(route.spec.hostnames).toEqual(['api.staging.example.com']);
    expect(platformObjects(buildPlatform(environments.kind)).some((o) => o.kind === 'HTTPRoute')).toBe(false);
  });

  test('kind: add-on files for Argo CD are written, read back schema-valid, and fit the laptop budget', () => {
    const result = synthEnvironment(environments.kind, out);
    expect(result.overBudget).toEqual([]);
    expect(result.addons.footprint.cpuCores).toBeLessThanOrEqual(4);
    expect(result.addons.footprint.memoryBytes).toBeLessThanOrEqual(8 * 2 ** 30);
    expect(result.addonFiles).toEqual(['addons/10-applications.yaml', 'addons/20-addon-resources.yaml', 'addons-bootstrap.yaml']);
    const objs = result.addonFiles.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, 'kind', f), 'utf8')).map((d) => d.toJS()));
    validated(objs);
    expect(objs.filter((o) => o.kind === 'Application').map((o) => o.metadata.name)).toContain('groundwork-addons');
  });

  (hasKubectl() ? test : test.skip)('kind: `kubectl kustomize` renders the directory with every object', () => {
    const result = synthEnvironment(environments.kind, out);
    const rendered = execFileSync('kubectl', ['kustomize', path.join(out, 'kind')], { encoding: 'utf8' });
    const docs = parseAllDocuments(rendered).map((d) => d.toJS());
    expect(docs).toHaveLength(result.objectCount);
    expect(docs[0].kind).toBe('Namespace');
  });
});
