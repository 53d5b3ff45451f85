/**
 * `verifyPlatform`: walks a rendering in apply order (add-on plan waves, then the app waves) and
 * reports every object whose kind, namespace or referenced object (issuer, secret store, Gateway,
 * IngressClass, StorageClass, ServiceAccount, ConfigMap or Secret, including Secrets an
 * ExternalSecret or Certificate produces) does not exist by the time it is applied.
 */
import type { AddonDeclaration } from '../addons/addon';
import type { AddonPlan, PlanStep } from '../addons/graph';
import type { ManifestObject } from '../policy/check-manifests';
import type { ClusterFacts } from './contract';
import {
  apiGroupOf,
  BUILT_IN_GROUPS,
  describeObject,
  groupsDefinedBy,
  objectKey,
  producedBy,
  referencesOf,
} from './references';

/** An object that would fail or dangle when applied in this order. */
export interface PlatformProblem {
  /** `Kind namespace/name` of the object, and where it is applied (`add-on step cert-manager/resources`, `app wave 50-workloads`). */
  readonly object: string;
  readonly message: string;
}

/** A group of objects applied together, in order. */
export interface ApplyUnit {
  readonly name: string;
  readonly objects: readonly ManifestObject[];
}

/** What {@link verifyPlatform} walks. */
export interface PlatformRendering {
  /** The add-on plan (releases and their objects in waves). */
  readonly plan: AddonPlan;
  /** What the cluster provides before anything is installed. */
  readonly cluster?: ClusterFacts;
  /** App objects in apply order (after every add-on wave they need). */
  readonly apps: readonly ApplyUnit[];
}

const ALWAYS_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const BUILT_IN_CLUSTER_ROLES = ['cluster-admin', 'admin', 'edit', 'view'];

/** Objects a release brings besides its CRDs: its namespace, ingress/storage classes and chart objects. */
export function releaseProduces(d: AddonDeclaration): { kind: string; name: string; namespace?: string }[] {
  return [
    { kind: 'Namespace', name: d.namespace },
    ...(d.provides.ingressClasses ?? []).map((c) => ({ kind: 'IngressClass', name: c.name })),
    ...(d.provides.storageClasses ?? []).map((c) => ({ kind: 'StorageClass', name: c.name })),
    ...(d.provides.chartObjects ?? []),
  ];
}

/** Existence as the walk goes: what is there, which API groups (and kinds) are served. */
class World {
  private readonly keys = new Set<string>();
  /** Namespaces each ClusterSecretStore admits (`spec.conditions`); absent: every namespace. */
  readonly storeNamespaces = new Map<string, readonly string[]>();
  private readonly groups = new Map<string, Set<string> | 'all'>();

  constructor(cluster: ClusterFacts) {
    for (const ns of [...ALWAYS_NAMESPACES, ...(cluster.systemNamespaces ?? [])]) this.add('Namespace', ns, undefined);
    for (const sc of cluster.storageClasses ?? []) this.add('StorageClass', sc.name, undefined);
    for (const r of BUILT_IN_CLUSTER_ROLES) this.add('ClusterRole', r, undefined);
    for (const o of cluster.externalObjects ?? []) this.add(o.kind, o.name, o.namespace);
  }

  add(kind: string, name: string, namespace: string | undefined): void {
    this.keys.add(objectKey(kind, name, namespace));
  }

  serve(group: string, kinds: readonly string[] | undefined): void {
    const current = this.groups.get(group);
    if (kinds === undefined || current === 'all') this.groups.set(group, 'all');
    else this.groups.set(group, new Set([...(current ?? []), ...kinds]));
  }

  serves(group: string, kind: string): boolean {
    if (BUILT_IN_GROUPS.has(group)) return true;
    const g = this.groups.get(group);
    return g === 'all' || (g !== undefined && g.has(kind));
  }

  has(kind: string, name: string, namespace: string | undefined): boolean {
    if (kind === 'ServiceAccount' && name === 'default') return this.has('Namespace', namespace ?? '', undefined);
    if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return this.has('Namespace', namespace ?? '', undefined);
    return this.keys.has(objectKey(kind, name, namespace));
  }
}

function checkUnit(world: World, unit: ApplyUnit, out: PlatformProblem[]): void {
  // objects of one unit are applied together: they may refer to each other
  for (const o of unit.objects) {
    for (const p of producedBy(o)) world.add(p.kind, p.name, p.namespace);
    const conditions = (o.spec as { conditions?: { namespaces?: string[] }[] } | undefined)?.conditions;
    if (o.kind === 'ClusterSecretStore' && Array.isArray(conditions))
      world.storeNamespaces.set(
        o.metadata?.name ?? '',
        conditions.flatMap((c) => c.namespaces ?? []),
      );
  }
  for (const o of unit.objects) {
    const where = `${describeObject(o.kind, o.metadata?.name, o.metadata?.namespace)} (${unit.name})`;
    const group = apiGroupOf(o.apiVersion);
    if (!world.serves(group, o.kind)) {
      out.push({
        object: where,
        message: `kind ${o.kind} (${o.apiVersion}) is not served yet: no CRD of group ${group} is installed before it`,
      });
    }
    const ns = o.metadata?.namespace;
    if (ns !== undefined && !world.has('Namespace', ns, undefined)) {
      out.push({ object: where, message: `namespace '${ns}' does not exist yet: nothing before it creates it` });
    }
    for (const r of referencesOf(o)) {
      if (!world.has(r.kind, r.name, r.namespace)) {
        out.push({
          object: where,
          message: `${r.via} refers to ${describeObject(r.kind, r.name, r.namespace)}, which does not exist yet: nothing before it creates it`,
        });
      }
      const admitted = r.kind === 'ClusterSecretStore' ? world.storeNamespaces.get(r.name) : undefined;
      if (admitted !== undefined && !admitted.includes(ns ?? '')) {
        out.push({
          object: where,
          message: `${r.via} refers to ClusterSecretStore ${r.name}, whose conditions admit only ${admitted.join(', ') || 'no namespace'}`,
        });
      }
    }
  }
  for (const o of unit.objects) for (const g of groupsDefinedBy(o)) world.serve(g, undefined);
}

/**
 * Reports every object of `rendering` that refers to something not there by the time it is
 * applied; an empty list means the order works on a fresh cluster.
 */
export function verifyPlatform(rendering: PlatformRendering): PlatformProblem[] {
  const world = new World(rendering.cluster ?? {});
  const out: PlatformProblem[] = [];
  const { plan } = rendering;
  plan.waves.forEach((wave, i) => {
    // steps of one wave run concurrently: each sees only earlier waves (and itself)
    const releases: AddonDeclaration[] = [];
    const units: ApplyUnit[] = [];
    for (const id of wave) {
      const step = plan.steps.get(id) as PlanStep;
      if (step.kind === 'release') releases.push(plan.addons.get(step.addon) as AddonDeclaration);
      else units.push({ name: `add-on step ${step.id}, wave ${i}`, objects: step.objects });
    }
    for (const u of units) checkUnit(world, u, out);
    for (const d of releases) {
      for (const p of releaseProduces(d)) world.add(p.kind, p.name, p.namespace);
      for (const g of d.providesCrds) world.serve(g, d.providesKinds[g]);
    }
  });
  for (const u of rendering.apps) checkUnit(world, { name: `apps ${u.name}`, objects: u.objects }, out);
  return out;
}

/** Which step creates each object (by key), built once per plan. */
const PRODUCERS = new WeakMap<AddonPlan, ReadonlyMap<string, string>>();

function producerIndex(plan: AddonPlan): ReadonlyMap<string, string> {
  const cached = PRODUCERS.get(plan);
  if (cached !== undefined) return cached;
  const producer = new Map<string, string>();
  for (const step of plan.steps.values()) {
    if (step.kind === 'release') {
      for (const p of releaseProduces(plan.addons.get(step.addon) as AddonDeclaration))
        producer.set(objectKey(p.kind, p.name, p.namespace), step.id);
    }
    for (const o of step.objects)
      for (const p of producedBy(o)) producer.set(objectKey(p.kind, p.name, p.namespace), step.id);
  }
  PRODUCERS.set(plan, producer);
  return producer;
}

/**
 * The last plan wave the given objects need: the steps serving their CRD groups and creating the
 * objects they refer to. -1 when they need nothing from the add-ons.
 */
export function lastWaveNeeded(plan: AddonPlan, objects: readonly ManifestObject[]): number {
  const producer = producerIndex(plan);
  let last = -1;
  const need = (stepId: string | undefined): void => {
    if (stepId !== undefined) last = Math.max(last, plan.waveOf.get(stepId) ?? -1);
  };
  for (const o of objects) {
    const group = apiGroupOf(o.apiVersion);
    if (!BUILT_IN_GROUPS.has(group)) plan.crdSteps(group, o.kind).forEach(need);
    if (o.metadata?.namespace !== undefined)
      need(producer.get(objectKey('Namespace', o.metadata.namespace, undefined)));
    for (const r of referencesOf(o)) need(producer.get(objectKey(r.kind, r.name, r.namespace)));
  }
  return last;
}
