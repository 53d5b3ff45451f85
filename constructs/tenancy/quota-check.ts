/**
 * A tenant's quota against what is placed in its namespaces, as a pure function over manifest
 * objects (from any chart of the tree). ResourceQuota admission (k8s.io/kubernetes
 * pkg/quota/v1/evaluator/core) counts every Pod that exists, so the peak is what must fit: each
 * workload at its HPA's maximum plus its rolling-update surge (Deployment default 25%, rounded
 * up: pkg/controller/deployment/util ResolveFenceposts), a Job's parallelism, a CronJob's Job
 * (concurrencyPolicy Forbid or Replace: one at a time), a StatefulSet's claims per replica.
 */
import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';

/** The quota of each tenant namespace, every field resolved. */
export interface ResolvedQuota {
  readonly cpu: string;
  readonly memory: string;
  readonly memoryLimit: string;
  readonly ephemeralStorage: string;
  readonly ephemeralStorageLimit: string;
  readonly pods: number;
  readonly services: number;
  readonly configMaps: number;
  readonly secrets: number;
  readonly persistentVolumeClaims: number;
  readonly storage: string;
  readonly loadBalancers: number;
  readonly nodePorts: number;
}

type Json = Record<string, unknown>;
const rec = (x: unknown): Json => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {});
const arr = (x: unknown): Json[] => (Array.isArray(x) ? x.map(rec) : []);
const qty = (x: unknown): number =>
  typeof x === 'string' || typeof x === 'number' ? (rules.parseQuantity(x) ?? 0) : 0;

/** Peak Pods of a workload object and the Pod spec they run (undefined: not a Pod owner). */
function peakPods(o: ManifestObject, hpaMax: ReadonlyMap<string, number>): { pods: number; spec: Json } | undefined {
  const spec = rec(o.spec);
  switch (o.kind) {
    case 'Deployment':
    case 'Rollout': {
      const replicas =
        hpaMax.get(`${o.kind}/${o.metadata?.name}`) ?? (typeof spec.replicas === 'number' ? spec.replicas : 1);
      const strategy = rec(spec.strategy);
      const rolling = rec(strategy.rollingUpdate ?? rec(strategy.canary));
      const surge = rolling.maxSurge ?? '25%';
      // a canary with traffic routing scales the canary up to the full count before the stable set
      // is replaced (argo-rollouts rollout/canary.go, dynamicStableScale off by default): twice the Pods
      const routed = rec(strategy.canary).trafficRouting !== undefined;
      const percent = typeof surge === 'string' && surge.endsWith('%') ? Number(surge.slice(0, -1)) : NaN;
      // a surge that cannot be read counts as a full second set, never as none
      const extra = routed
        ? replicas
        : typeof surge === 'number'
          ? surge
          : Number.isFinite(percent)
            ? Math.ceil((replicas * percent) / 100)
            : replicas;
      // blue-green keeps a second full set of Pods while the preview runs
      const blueGreen = strategy.blueGreen !== undefined ? replicas : 0;
      return {
        pods: replicas + (strategy.type === 'Recreate' ? 0 : Math.max(extra, blueGreen)),
        spec: rec(rec(spec.template).spec),
      };
    }
    case 'StatefulSet':
      return {
        pods: hpaMax.get(`StatefulSet/${o.metadata?.name}`) ?? (typeof spec.replicas === 'number' ? spec.replicas : 1),
        spec: rec(rec(spec.template).spec),
      };
    case 'Job':
      return { pods: typeof spec.parallelism === 'number' ? spec.parallelism : 1, spec: rec(rec(spec.template).spec) };
    case 'CronJob': {
      const job = rec(rec(spec.jobTemplate).spec);
      const jobs = spec.concurrencyPolicy === 'Forbid' || spec.concurrencyPolicy === 'Replace' ? 1 : 2;
      return {
        pods: jobs * (typeof job.parallelism === 'number' ? job.parallelism : 1),
        spec: rec(rec(job.template).spec),
      };
    }
    default:
      return undefined;
  }
}

/** Sum of a resource over a Pod spec's containers (init containers run one at a time: the largest counts). */
function podResource(spec: Json, kind: 'requests' | 'limits', resource: string): number {
  const sum = arr(spec.containers).reduce((n, c) => n + qty(rec(rec(c.resources)[kind])[resource]), 0);
  const init = arr(spec.initContainers).reduce((n, c) => Math.max(n, qty(rec(rec(c.resources)[kind])[resource])), 0);
  return Math.max(sum, init);
}

const cores = (n: number): string => `${Number(n.toFixed(3))} cores`;
const mib = (n: number): string => `${Math.ceil(n / 2 ** 20)}Mi`;

/** What the objects of one namespace add up to at their peak. */
interface NamespaceTotals {
  pods: number;
  cpu: number;
  memory: number;
  memoryLimit: number;
  ephemeral: number;
  ephemeralLimit: number;
  claims: number;
  storage: number;
  /** `<name> <pods>x` of each Pod owner, for the messages. */
  readonly parts: string[];
}

/** Each HPA's maximum, by its target (`<kind>/<name>`). */
function hpaMaxima(here: readonly ManifestObject[]): Map<string, number> {
  const hpaMax = new Map<string, number>();
  for (const h of here.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const spec = rec(h.spec);
    const ref = rec(spec.scaleTargetRef);
    hpaMax.set(`${String(ref.kind)}/${String(ref.name)}`, typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 1);
  }
  return hpaMax;
}

/** The peak totals of the objects of one namespace: Pods and their resources, claims and storage. */
function namespaceTotals(here: readonly ManifestObject[]): NamespaceTotals {
  const hpaMax = hpaMaxima(here);
  const totals: NamespaceTotals = {
    pods: 0,
    cpu: 0,
    memory: 0,
    memoryLimit: 0,
    ephemeral: 0,
    ephemeralLimit: 0,
    claims: 0,
    storage: 0,
    parts: [],
  };
  for (const o of here) {
    const peak = peakPods(o, hpaMax);
    if (peak === undefined) continue;
    totals.pods += peak.pods;
    totals.cpu += peak.pods * podResource(peak.spec, 'requests', 'cpu');
    totals.memory += peak.pods * podResource(peak.spec, 'requests', 'memory');
    totals.memoryLimit += peak.pods * podResource(peak.spec, 'limits', 'memory');
    totals.ephemeral += peak.pods * podResource(peak.spec, 'requests', 'ephemeral-storage');
    totals.ephemeralLimit += peak.pods * podResource(peak.spec, 'limits', 'ephemeral-storage');
    totals.parts.push(`${o.metadata?.name} ${peak.pods}x`);
    if (o.kind === 'StatefulSet') {
      const replicas =
        hpaMax.get(`StatefulSet/${o.metadata?.name}`) ??
        (typeof rec(o.spec).replicas === 'number' ? (rec(o.spec).replicas as number) : 1);
      for (const t of arr(rec(o.spec).volumeClaimTemplates)) {
        totals.claims += replicas;
        totals.storage += replicas * qty(rec(rec(rec(t.spec).resources).requests).storage);
      }
    }
  }
  for (const c of here.filter((o) => o.kind === 'PersistentVolumeClaim')) {
    totals.claims += 1;
    totals.storage += qty(rec(rec(rec(c.spec).resources).requests).storage);
  }
  return totals;
}

/** One quota check: the field, what the namespace has, the limit, what that is and how it is shown. */
type QuotaCheck = readonly [keyof ResolvedQuota, number, number, string, string];

/** The resource checks of one namespace's totals, in the order problems are reported. */
function resourceChecks(t: NamespaceTotals, quota: ResolvedQuota): QuotaCheck[] {
  const within = t.parts.join(', ');
  return [
    ['cpu', t.cpu, qty(quota.cpu), 'the CPU its workloads request at full scale', `${cores(t.cpu)}: ${within}`],
    [
      'memory',
      t.memory,
      qty(quota.memory),
      'the memory its workloads request at full scale',
      `${mib(t.memory)}: ${within}`,
    ],
    [
      'memoryLimit',
      t.memoryLimit,
      qty(quota.memoryLimit),
      'the memory limits of its workloads at full scale',
      `${mib(t.memoryLimit)}: ${within}`,
    ],
    [
      'ephemeralStorage',
      t.ephemeral,
      qty(quota.ephemeralStorage),
      'the ephemeral storage its workloads request at full scale',
      `${mib(t.ephemeral)}: ${within}`,
    ],
    [
      'ephemeralStorageLimit',
      t.ephemeralLimit,
      qty(quota.ephemeralStorageLimit),
      'the ephemeral storage limits at full scale',
      `${mib(t.ephemeralLimit)}: ${within}`,
    ],
    [
      'pods',
      t.pods,
      quota.pods,
      'the Pods its workloads run at their peak (HPA maximum, rolling surge, Jobs)',
      `${t.pods}: ${within}`,
    ],
    [
      'persistentVolumeClaims',
      t.claims,
      quota.persistentVolumeClaims,
      'the claims its workloads make',
      String(t.claims),
    ],
    ['storage', t.storage, qty(quota.storage), 'the storage its claims request', mib(t.storage)],
  ];
}

/** The object-count checks of one namespace: how many there are is also what the message shows. */
function countChecks(here: readonly ManifestObject[], quota: ResolvedQuota): QuotaCheck[] {
  const services = here.filter((o) => o.kind === 'Service');
  const count = (kind: string): number => here.filter((o) => o.kind === kind).length;
  const typed = (t: string): number => services.filter((s) => rec(s.spec).type === t).length;
  const counted: [
    keyof ResolvedQuota & ('services' | 'nodePorts' | 'loadBalancers' | 'configMaps' | 'secrets'),
    number,
    string,
  ][] = [
    ['services', services.length, 'its Services'],
    [
      'nodePorts',
      typed('NodePort') + typed('LoadBalancer'),
      'its Services that open node ports (NodePort and LoadBalancer)',
    ],
    ['loadBalancers', typed('LoadBalancer'), 'its LoadBalancer Services'],
    // every namespace also holds kube-root-ca.crt (the root CA publisher creates it)
    ['configMaps', count('ConfigMap') + 1, 'its ConfigMaps (with kube-root-ca.crt)'],
    ['secrets', count('Secret') + count('ExternalSecret'), 'its Secrets (each ExternalSecret makes one)'],
  ];
  return counted.map(([field, have, what]) => [field, have, quota[field], what, String(have)]);
}

/**
 * Problems of `namespaces` (a tenant's) against `quota`: one line per namespace and quota field
 * that the objects placed there would exceed at their peak, naming what adds up. `prefix` names the tenant.
 */
export function quotaProblems(
  objects: readonly ManifestObject[],
  namespaces: readonly string[],
  quota: ResolvedQuota,
  prefix: string,
): string[] {
  const out: string[] = [];
  for (const ns of namespaces) {
    const here = objects.filter((o) => o.metadata?.namespace === ns);
    for (const [field, have, limit, what, shown] of [
      ...resourceChecks(namespaceTotals(here), quota),
      ...countChecks(here, quota),
    ]) {
      if (have > limit + 1e-9)
        out.push(`${prefix}: quota.${field} (${JSON.stringify(quota[field])}) must be >= ${what} in ${ns} (${shown})`);
    }
  }
  return out;
}
