import { checkManifests, type ManifestObject, selectorMatches } from '../../constructs';
import type { LabelSelector } from '../../constructs/policy/check-manifests';

/** Labels every object of the shop shares, ahead of its own name: the layout that once made checking quadratic. */
const SHARED = { environment: 'prod', 'app.kubernetes.io/part-of': 'shop' };

/** A hardened container (no finding of its own). */
function container(image: string): Record<string, unknown> {
  return {
    name: 'app',
    image,
    ports: [{ name: 'http', containerPort: 8080 }],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { httpGet: { path: '/live', port: 'http' } },
  };
}

/**
 * One tenant-style service as plain JSON: a Deployment, its Service, NetworkPolicy,
 * PodDisruptionBudget and HTTPRoute (5 objects), its labels and every selector beginning with the
 * shared labels and ending with its own `app.kubernetes.io/name`.
 */
function service(namespace: string, name: string): ManifestObject[] {
  const labels = { ...SHARED, 'app.kubernetes.io/name': name };
  const metadata = { name, namespace, labels };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [container('ghcr.io/acme/shop:1.0.0')],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata,
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata,
      spec: { parentRefs: [{ name: 'shared', namespace: 'gateway' }], rules: [{ backendRefs: [{ name, port: 80 }] }] },
    },
  ];
}

/** About `n` objects: n / 5 services in one namespace. */
function shop(n: number): ManifestObject[] {
  return Array.from({ length: Math.ceil(n / 5) }, (_, i) => service('shop', `svc-${i}`)).flat();
}

/** The part of a Deployment the tests rewrite. */
type Template = { template: { metadata: { labels: Record<string, string> } } };

/**
 * The CPU time `f` takes, in milliseconds: this process's own (user and system, GC threads
 * included), so the other test workers sharing the machine's cores do not count, as wall time would.
 */
function elapsed(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A deterministic pseudo-random sequence (the same corpus on every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('checkManifests at scale', () => {
  test('the generated shop is clean: every Pod is selected by its own policy and budget', () => {
    expect(checkManifests(shop(2_000))).toEqual([]);
  });

  test('is linear when every selector begins with the same shared labels', () => {
    const sizes = [2_000, 10_000, 50_000];
    const corpora = sizes.map(shop);
    for (const objects of corpora) expect(checkManifests(objects)).toEqual([]); // and warm up
    // A round checks 50,000 objects at every size (the smaller corpora repeatedly, so that each size
    // pays its share of garbage collection) and times one check as their average. The fastest of at
    // least 4 rounds, the sizes interleaved so that a busy machine slows them alike; more rounds (up
    // to 12) only while noise keeps a ratio above the target. Quadratic matching stays far above it.
    const ms = sizes.map(() => Infinity);
    const ratios = (): number[] => [ms[1] / ms[0], ms[2] / ms[1]];
    for (let round = 0; round < 4 || (round < 12 && ratios().some((r) => r >= 6)); round++) {
      corpora.forEach((objects, i) => {
        const repeat = sizes[sizes.length - 1] / sizes[i];
        const each = elapsed(() => {
          for (let r = 0; r < repeat; r++) checkManifests(objects);
        });
        ms[i] = Math.min(ms[i], each / repeat);
      });
    }
    const [medium, large] = ratios();
    console.log(
      `checkManifests: ${sizes.map((n, i) => `${n} objects ${ms[i].toFixed(1)} ms`).join(', ')} (×${medium.toFixed(2)}, ×${large.toFixed(2)})`,
    );
    // 5× the objects within 6× the time (quadratic matching took 21× from 2,000 to 10,000)
    expect(medium).toBeLessThan(6);
    expect(large).toBeLessThan(6);
  });

  test('finds what comparing every Pod with every NetworkPolicy and PodDisruptionBudget finds', () => {
    const random = seeded(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    // sandbox has no NetworkPolicy, jobs egress policies only, ops none that allows DNS
    const namespaces = ['shop', 'billing', 'jobs', 'ops', 'sandbox'];
    const names = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
    const tiers = ['web', 'worker', 'batch'];
    const objects: ManifestObject[] = namespaces.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { team: name } },
    }));
    // Pod templates (2 replicas): shared labels, sometimes a tier, sometimes no label at all
    for (let i = 0; i < 150; i++) {
      const [deployment] = service(pick(namespaces), `pod-${i}`);
      const roll = random();
      const labels: Record<string, string> =
        roll < 0.1
          ? {}
          : { ...SHARED, 'app.kubernetes.io/name': pick(names), ...(roll < 0.6 ? { tier: pick(tiers) } : {}) };
      (deployment.spec as Template).template.metadata.labels = labels;
      objects.push(deployment);
    }
    // selectors: shared-label matchLabels, matchExpressions only, empty, missing
    const selectors: Array<() => unknown> = [
      () => ({ matchLabels: { ...SHARED, 'app.kubernetes.io/name': pick(names) } }),
      () => ({ matchLabels: { ...SHARED } }),
      () => ({ matchLabels: { environment: 'prod', tier: pick(tiers) } }),
      () => ({ matchExpressions: [{ key: 'tier', operator: 'In', values: [pick(tiers), pick(tiers)] }] }),
      () => ({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      () => ({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [pick(tiers)] }] }),
      () => ({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }),
      () => ({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [] }] }),
      () => ({
        matchLabels: { 'app.kubernetes.io/name': pick(names) },
        matchExpressions: [{ key: 'tier', operator: 'Exists' }],
      }),
      () => ({}),
      () => undefined,
    ];
    const types: Array<Record<string, unknown>> = [
      { policyTypes: ['Ingress'] },
      { policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
      { policyTypes: ['Egress'], egress: [{ ports: [{ port: 443, protocol: 'TCP' }] }] },
      { policyTypes: ['Ingress', 'Egress'], egress: [] },
    ];
    for (let i = 0; i < 120; i++) {
      const ns = pick(namespaces.slice(0, 4));
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `np-${i}`, namespace: ns },
        spec: {
          podSelector: pick(selectors)(),
          ...pick(ns === 'jobs' ? types.slice(1, 3) : ns === 'ops' ? types.slice(2) : types),
        },
      });
    }
    // budgets: none in sandbox, none allowing an eviction in ops
    for (let i = 0; i < 60; i++) {
      const ns = pick(namespaces.slice(0, 4));
      objects.push({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: `pdb-${i}`, namespace: ns },
        spec: { selector: pick(selectors)(), maxUnavailable: ns === 'ops' ? 0 : pick([0, 1]) },
      });
    }
    // the objects in a shuffled order
    for (let i = objects.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [objects[i], objects[j]] = [objects[j], objects[i]];
    }

    // the reference: every Pod template compared with every NetworkPolicy and budget of its namespace
    const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
    const inNamespace = (o: ManifestObject, ns: string | undefined) => o.metadata?.namespace === ns;
    const np = (o: ManifestObject) =>
      o.spec as {
        podSelector?: LabelSelector;
        policyTypes: string[];
        egress?: Array<{ ports: Array<{ port: number }> }>;
      };
    const pdb = (o: ManifestObject) => o.spec as { selector?: LabelSelector; maxUnavailable: number };
    const expected: string[] = [];
    for (const d of ofKind('Deployment')) {
      const ns = d.metadata?.namespace;
      const labels = (d.spec as Template).template.metadata.labels;
      const id = `Deployment ${ns}/${d.metadata?.name}`;
      const selecting = ofKind('NetworkPolicy').filter(
        (o) => inNamespace(o, ns) && selectorMatches(np(o).podSelector, labels),
      );
      if (selecting.length === 0) expected.push(`${id}: unselected`);
      else {
        if (!selecting.some((o) => np(o).policyTypes.includes('Ingress'))) expected.push(`${id}: egress only`);
        const egress = selecting.filter((o) => np(o).policyTypes.includes('Egress'));
        if (
          egress.length > 0 &&
          !egress.some((o) => (np(o).egress ?? []).some((r) => r.ports.some((p) => p.port === 53)))
        )
          expected.push(`${id}: no DNS`);
      }
      const budgets = ofKind('PodDisruptionBudget').filter(
        (o) => inNamespace(o, ns) && selectorMatches(pdb(o).selector, labels),
      );
      if (budgets.length === 0) expected.push(`${id}: no budget`);
      else if (!budgets.some((o) => pdb(o).maxUnavailable >= 1)) expected.push(`${id}: no eviction`);
    }
    for (const o of ofKind('PodDisruptionBudget')) {
      const selects = ofKind('Deployment').some(
        (d) =>
          inNamespace(d, o.metadata?.namespace) &&
          selectorMatches(pdb(o).selector, (d.spec as Template).template.metadata.labels),
      );
      if (!selects) expected.push(`PodDisruptionBudget ${o.metadata?.namespace}/${o.metadata?.name}: selects nothing`);
    }
    const outcomes: Array<[string, string]> = [
      ['must be selected by a NetworkPolicy', 'unselected'],
      ['restrict egress only', 'egress only'],
      ['without allowing DNS', 'no DNS'],
      ['no PodDisruptionBudget selects', 'no budget'],
      ['allows no eviction', 'no eviction'],
      ['selector matches no Pod template', 'selects nothing'],
    ];
    const found = checkManifests(objects)
      .filter((v) => v.rule === 'network-policy' || v.rule === 'disruption-budget' || v.rule === 'dangling-reference')
      .map((v) => `${v.object}: ${outcomes.find(([m]) => v.message.includes(m))?.[1] ?? v.message}`);
    expect(found).toEqual(expected);
    // the corpus exercises every outcome
    for (const [, outcome] of outcomes) expect(expected.some((e) => e.endsWith(outcome))).toBe(true);
  });
});
