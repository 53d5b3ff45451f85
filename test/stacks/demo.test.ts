import { parseStackConfig, type ManifestObject } from '../../constructs';
import { isTestImage } from '../../constructs/policy/test-images';
import { rendered, renderedWithDemo, STACKS } from '../helpers/stacks';
import { ofKind } from '../helpers/kinds';
import { errorOf } from '../helpers/synth';

/** Every image of every Pod template in `objects`. */
function images(objects: readonly ManifestObject[]): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null)
      for (const [k, v] of Object.entries(x)) {
        if (k === 'image' && typeof v === 'string') out.push(v);
        else walk(v);
      }
  };
  walk(objects);
  return out;
}

const everything = (stack: string, demo: boolean): ManifestObject[] => {
  const r = demo ? renderedWithDemo(stack) : rendered(stack);
  return [...r.objects, ...r.gitops.files.flatMap((f) => f.objects), ...r.gitops.bootstrap];
};

describe('the demo apps', () => {
  test('render on kind as shipped, and on a cloud stack only when its config asks (groundwork:demo)', () => {
    const tenants = (objects: readonly ManifestObject[]) => [
      ...new Set(ofKind(objects, 'Namespace').map((n) => n.metadata.labels?.['groundwork.io/tenant'])),
    ];
    expect(tenants(rendered('kind').objects)).toEqual(['shop', 'analytics']);
    for (const stack of STACKS.filter((s) => s !== 'kind')) {
      expect([stack, rendered(stack).env.demo, rendered(stack).objects.length]).toEqual([stack, false, 0]);
      expect([stack, tenants(renderedWithDemo(stack).objects)]).toEqual([stack, ['shop', 'analytics']]);
    }
  });

  test.each(STACKS)('%s: no Kubernetes test image anywhere in the output, demo on or off', (stack) => {
    for (const demo of [false, true]) {
      const all = images(everything(stack, demo));
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter(isTestImage)).toEqual([]);
    }
  });

  test('the web tiers run http-echo (fixed text and /health only), probed on /health; their secrets are demo-only entries', () => {
    const objects = renderedWithDemo('prod').objects;
    const web = ofKind(objects, 'Rollout')
      .map((o) => o.spec.template?.spec?.containers[0])
      .concat(ofKind(objects, 'Deployment').map((o) => o.spec.template?.spec?.containers[0]))
      .filter((c) => c?.image?.startsWith('hashicorp/http-echo:'));
    expect(web.map((c) => [c?.args, c?.readinessProbe?.httpGet?.path]).sort()).toEqual([
      [['-listen=:8080', '-text=groundwork demo api'], '/health'],
      [['-listen=:8080', '-text=groundwork demo storefront'], '/health'],
    ]);
    const keys = ofKind(objects, 'ExternalSecret').flatMap((e) => e.spec.data?.map((d) => d.remoteRef.key) ?? []);
    expect([...new Set(keys)].sort()).toEqual(['prod-demo-shop-db', 'prod-demo-shop-redis']);
  });

  test('groundwork:demo takes "true" or "false" (a YAML boolean too); anything else names the key', () => {
    expect(parseStackConfig({ 'groundwork:demo': true }, 'dev', 'Pulumi.dev.yaml').demo).toBe('true');
    expect(parseStackConfig({ 'groundwork:demo': 'false' }, 'dev', 'Pulumi.dev.yaml').demo).toBe('false');
    expect(errorOf(() => parseStackConfig({ 'groundwork:demo': 'yes' }, 'dev', 'Pulumi.dev.yaml'))).toBe(
      'Pulumi.dev.yaml: groundwork:demo ("yes") must be "true" or "false"',
    );
  });

  test('isTestImage knows both registries of the Kubernetes test images and nothing else', () => {
    expect(isTestImage('registry.k8s.io/e2e-test-images/agnhost:2.53')).toBe(true);
    expect(isTestImage('gcr.io/kubernetes-e2e-test-images/echoserver:2.2')).toBe(true);
    expect(isTestImage(`registry.k8s.io/e2e-test-images/busybox@sha256:${'0'.repeat(64)}`)).toBe(true);
    expect(isTestImage('hashicorp/http-echo:1.0.0')).toBe(false);
    expect(isTestImage('ghcr.io/acme/e2e-test-images:1.0')).toBe(false);
  });
});
