import {
  ApiObject,
  type ApiObjectProps,
  App,
  Chart,
  type IResolver,
  JsonPatch,
  Lazy,
  type ResolutionContext,
  Testing,
} from 'cdk8s';
import { KubeObject } from '../../constructs/internal/kube-object';

const props = (): ApiObjectProps => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', labels: { b: '2', a: '1' }, annotations: {} },
  data: { zeta: 'z', alpha: 'a', skipped: undefined, nothing: null },
  extra: { list: [3, null, { y: 1, x: [] }], empty: {} },
});

/** The same props through cdk8s's own ApiObject and through KubeObject, in one chart. */
function both(app: App = Testing.app(), configure?: (o: ApiObject) => void): { ours: unknown; cdk8s: unknown } {
  const chart = new Chart(app, 'c', { namespace: 'apps' });
  const ours = new KubeObject(chart, 'Ours', props());
  const theirs = new ApiObject(chart, 'Theirs', props());
  configure?.(ours);
  configure?.(theirs);
  return { ours: ours.toJson(), cdk8s: theirs.toJson() };
}

describe('KubeObject renders what cdk8s renders', () => {
  test('plain data: same keys, same order, nulls dropped, apiVersion/kind/metadata first', () => {
    const { ours, cdk8s } = both();
    expect(ours).toEqual(cdk8s);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
    expect(Object.keys(ours as object).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
  });

  test('metadata added after construction is rendered', () => {
    const { ours, cdk8s } = both(Testing.app(), (o) => {
      o.metadata.addLabel('late', 'yes');
      o.metadata.addAnnotation('note', 'x');
    });
    expect(ours).toEqual(cdk8s);
    expect((ours as { metadata: { labels: Record<string, string> } }).metadata.labels.late).toBe('yes');
  });

  test('JSON patches are applied', () => {
    const { ours, cdk8s } = both(Testing.app(), (o) => o.addJsonPatch(JsonPatch.add('/data/patched', 'p')));
    expect(ours).toEqual(cdk8s);
    expect((ours as { data: Record<string, string> }).data.patched).toBe('p');
  });

  test('Lazy values and implicit tokens are resolved', () => {
    const chart = new Chart(Testing.app(), 'c');
    const lazy: unknown = Lazy.any({ produce: () => 'produced' });
    const o = new KubeObject(chart, 'O', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { lazy, token: { resolve: () => 'resolved' } },
    });
    expect((o.toJson() as { data: unknown }).data).toEqual({ lazy: 'produced', token: 'resolved' });
  });

  test("an App's custom resolvers still see every value", () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        const v: unknown = context.value;
        if (typeof v === 'string' && context.key.includes('data') && v !== v.toUpperCase())
          context.replaceValue(v.toUpperCase());
      }
    }
    const { ours, cdk8s } = both(new App({ resolvers: [new Upper()] }));
    expect(ours).toEqual(cdk8s);
    expect((ours as { data: Record<string, string> }).data.alpha).toBe('A');
  });

  test('toJson is new throughout, as cdk8s: changing a rendering changes nothing else', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const o = new KubeObject(chart, 'O', props());
    type Rendered = { metadata: { labels: Record<string, string> }; data: Record<string, string>; extra: object };
    const first = o.toJson() as Rendered;
    const second = o.toJson() as Rendered;
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(second.data).not.toBe(first.data);
    first.data.alpha = 'changed';
    first.metadata.labels.changed = 'yes';
    const third = o.toJson() as Rendered;
    expect(third.data.alpha).toBe('a');
    expect(third.metadata.labels.changed).toBeUndefined();
  });

  test('toSharedJson renders the same bytes; only the top and metadata are new, the body is the props kept at construction', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const o = new KubeObject(chart, 'O', props());
    const first = o.toSharedJson() as { metadata: object; data: object; extra: object };
    const second = o.toSharedJson() as typeof first;
    expect(JSON.stringify(first)).toBe(JSON.stringify(o.toJson()));
    expect(second).not.toBe(first);
    expect(second.metadata).not.toBe(first.metadata);
    expect(second.data).toBe(first.data);
    expect(second.extra).toBe(first.extra);
  });

  test('props holding a Lazy are kept as given and resolved at each rendering', () => {
    const chart = new Chart(Testing.app(), 'c');
    let n = 0;
    const lazy: unknown = Lazy.any({ produce: () => `call-${++n}` });
    const o = new KubeObject(chart, 'O', { apiVersion: 'v1', kind: 'ConfigMap', data: { b: 'plain', a: lazy } });
    expect((o.toJson() as { data: unknown }).data).toEqual({ a: 'call-1', b: 'plain' });
    expect((o.toJson() as { data: unknown }).data).toEqual({ a: 'call-2', b: 'plain' });
  });

  test('CDK8S_DISABLE_SORT keeps the given key order, as cdk8s does', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const { ours, cdk8s } = both();
      expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8s));
      expect(Object.keys((ours as { data: object }).data)).toEqual(['zeta', 'alpha']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});
