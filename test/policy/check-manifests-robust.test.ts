import { Chart, Testing } from 'cdk8s';
import { checkManifests, WebService } from '../../constructs';
import { schemaErrors } from '../helpers/schema';
import { rendered } from '../helpers/stacks';

/** A deterministic pseudo-random sequence (the same corpus on every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Every (parent, key) place in a JSON tree. */
function places(value: unknown, out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = []): typeof out {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push({ parent: value, key: i }); places(v, out); });
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) { out.push({ parent: value as Record<string, unknown>, key: k }); places(v, out); }
  return out;
}

const GARBAGE: unknown[] = [null, undefined, 0, -1, 'x', '', true, [], {}, [null], { a: 1 }, [1, 'two'], Number.NaN];

describe('checkManifests on malformed input: reports, never throws', () => {
  test('entries that are not objects, or lack apiVersion or kind, are reported as malformed and the rest is checked', () => {
    // GIVEN an empty YAML document (null), a number, a list, and objects missing their type or with odd metadata
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const good = chart.toJson();
    const input: unknown[] = [null, 42, ['x'], { kind: 'Pod' }, { apiVersion: 'v1' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'cfg' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 1 } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps', labels: { a: 1 } } }, ...good];
    // WHEN / THEN
    expect(checkManifests(input)).toEqual([
      { rule: 'malformed', object: 'entry 0', message: 'is null, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 1', message: 'is a number, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 2', message: 'is a list, not a Kubernetes object' },
      { rule: 'malformed', object: 'entry 3', message: 'has no apiVersion' },
      { rule: 'malformed', object: 'entry 4', message: 'has no kind' },
      { rule: 'malformed', object: 'entry 5', message: 'has metadata that is not an object' },
      { rule: 'malformed', object: 'entry 6', message: 'has a metadata.name that is not a string' },
      { rule: 'malformed', object: 'entry 7', message: 'has metadata.labels that are not a string map' },
    ]);
    expect(checkManifests(null as never)).toEqual([]);
  });

  test('wrong types inside objects (containers not a list, null containers, spec a string) are findings, not crashes', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const objs = chart.toJson();
    const deployment = objs.find((o: { kind: string }) => o.kind === 'Deployment');
    deployment.spec.template.spec.containers = 'nginx';
    const service = objs.find((o: { kind: string }) => o.kind === 'Service');
    service.spec = 'ClusterIP';
    expect(() => checkManifests(objs)).not.toThrow();
    deployment.spec.template.spec.containers = [null, { name: 'x', securityContext: 'yes', env: 'A=1', ports: 80, resources: [] }];
    const found = checkManifests(objs);
    expect(found.some((v) => v.rule === 'pod-security' && v.message.startsWith('container "x" must set allowPrivilegeEscalation: false'))).toBe(true);
    expect(found.some((v) => v.rule === 'resources' && v.message === 'container "x" must set a CPU request, a memory request, a memory limit')).toBe(true);
  });

  test('8,000 random corruptions of a whole rendered platform: checkManifests never throws', () => {
    const next = seeded(11);
    const source = JSON.stringify([...rendered('prod').objects, ...rendered('prod').gitops.files.flatMap((f) => f.objects)]);
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      const objects = JSON.parse(source) as unknown[];
      const spots = places(objects);
      for (let i = 0; i < 200; i++) {
        const { parent, key } = spots[Math.floor(next() * spots.length)];
        (parent as Record<string | number, unknown>)[key] = GARBAGE[Math.floor(next() * GARBAGE.length)];
        checked++;
      }
      // every rule reads defensively: the last-resort guard ("could not be checked") never fires
      expect(checkManifests(objects).filter((v) => v.message.startsWith('could not be checked'))).toEqual([]);
    }
    expect(checked).toBe(8000);
  });
});

describe('strict schema validation in the test harness', () => {
  test('a typo in a core object is an unknown field, as kubectl --validate=strict reports it', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const objs = chart.toJson();
    expect(schemaErrors(objs)).toEqual([]);
    const deployment = objs.find((o: { kind: string }) => o.kind === 'Deployment');
    deployment.spec.replcas = 3;
    deployment.spec.template.spec.containers[0].securityContex = {};
    expect(schemaErrors(objs)).toEqual(['apps/v1 Deployment apps/api: unknown fields (kubectl --validate=strict refuses them): spec.template.spec.containers[0].securityContex, spec.replcas']);
  });
});
