import type { ManifestObject } from '../policy/check-manifests';
import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { AddonId } from './catalog';
import {
  apiGroupOf,
  BUILT_IN_GROUPS,
  groupsDefinedBy,
  objectKey,
  producedBy,
  referencesOf,
} from '../platform/references';

/**
 * What a step installs: objects a chart needs before it installs, the chart itself, the kinds its
 * companions define, or its other companions.
 */
export type StepKind = 'prerequisites' | 'release' | 'definitions' | 'resources';

/** One unit of installation: a chart release or a group of an add-on's objects. */
export interface PlanStep {
  /** `<addon>` for a release; `<addon>/prerequisites`, `<addon>/definitions` or `<addon>/resources` for objects. */
  readonly id: string;
  readonly addon: AddonId;
  readonly kind: StepKind;
  /** Step ids that must be installed (and ready) first. */
  readonly dependsOn: readonly string[];
  /** The objects (empty for a release). */
  readonly objects: readonly ManifestObject[];
}

/** Add-ons and their objects ordered into waves: every step comes after all it depends on. */
export interface AddonPlan {
  /** Add-ons by id. */
  readonly addons: ReadonlyMap<AddonId, AddonDeclaration>;
  /** Steps by id. */
  readonly steps: ReadonlyMap<string, PlanStep>;
  /** Waves of step ids in install order; steps within a wave are independent of each other. */
  readonly waves: readonly (readonly string[])[];
  /** Wave index of each step (a release step's id is its add-on id). */
  readonly waveOf: ReadonlyMap<string, number>;
  /** Step ids serving each API group (releases from `providesCrds`, definition steps from their CRDs). */
  readonly crdSteps: (group: string, kind?: string) => readonly string[];
}

/** Kinds that define other kinds: they go one step before the objects that use them. */
const DEFINERS = new Set(['ConstraintTemplate', 'CustomResourceDefinition']);

/** Splits companions into those that define kinds (applied first) and the rest. */
export function splitCompanions(objs: readonly ManifestObject[]): [ManifestObject[], ManifestObject[]] {
  return [objs.filter((o) => DEFINERS.has(o.kind)), objs.filter((o) => !DEFINERS.has(o.kind))];
}

interface DraftStep {
  readonly id: string;
  readonly addon: AddonId;
  readonly kind: StepKind;
  readonly fixed: readonly string[];
  readonly objects: readonly ManifestObject[];
}

function draftSteps(d: AddonDeclaration): DraftStep[] {
  const out: DraftStep[] = [];
  const prereq = `${d.id}/prerequisites`;
  if (d.prerequisites.length > 0)
    out.push({ id: prereq, addon: d.id, kind: 'prerequisites', fixed: [], objects: d.prerequisites });
  out.push({
    id: d.id,
    addon: d.id,
    kind: 'release',
    fixed: [...d.dependsOn, ...(d.prerequisites.length > 0 ? [prereq] : [])],
    objects: [],
  });
  const [definitions, resources] = splitCompanions(d.companions);
  if (definitions.length > 0)
    out.push({ id: `${d.id}/definitions`, addon: d.id, kind: 'definitions', fixed: [d.id], objects: definitions });
  if (resources.length > 0) {
    out.push({
      id: `${d.id}/resources`,
      addon: d.id,
      kind: 'resources',
      fixed: definitions.length > 0 ? [d.id, `${d.id}/definitions`] : [d.id],
      objects: resources,
    });
  }
  return out;
}

/** The declarations by id; throws when one is declared twice or depends on itself or on one not enabled. */
function declarationsById(declarations: readonly AddonDeclaration[]): Map<AddonId, AddonDeclaration> {
  const problems: string[] = [];
  const addons = new Map<AddonId, AddonDeclaration>();
  for (const d of declarations) {
    if (addons.has(d.id)) problems.push(`Addon '${d.id}': declared twice`);
    addons.set(d.id, d);
  }
  for (const d of declarations) {
    for (const dep of d.dependsOn) {
      if (dep === d.id) problems.push(`Addon '${d.id}': depends on itself`);
      else if (!addons.has(dep))
        problems.push(
          `Addon '${d.id}': depends on '${dep}', which is not enabled; enable '${dep}' or drop what needs it`,
        );
    }
  }
  if (problems.length > 0) throw new GroundworkValidationError(problems);
  return addons;
}

/** Which steps define each API group (CRDs, ConstraintTemplates) and which step first produces each object. */
function indexDrafts(drafts: readonly DraftStep[]): {
  definedBy: Map<string, string[]>;
  producedIn: Map<string, string>;
} {
  const definedBy = new Map<string, string[]>();
  const producedIn = new Map<string, string>();
  for (const s of drafts) {
    for (const o of s.objects) {
      for (const g of groupsDefinedBy(o)) definedBy.set(g, [...(definedBy.get(g) ?? []), s.id]);
      for (const p of producedBy(o)) {
        const key = objectKey(p.kind, p.name, p.namespace);
        if (!producedIn.has(key)) producedIn.set(key, s.id);
      }
    }
  }
  return { definedBy, producedIn };
}

/**
 * Validates the dependency graph and orders releases and their objects into waves (Kahn's
 * algorithm, ids sorted inside a wave so output is stable). Ordering is derived, not hand-written:
 * an object follows the step serving its API group (`providesCrds`, or a CRD/ConstraintTemplate
 * applied earlier), the step creating each object it refers to (issuer, secret store, Gateway,
 * ServiceAccount, namespace…), and a chart follows the charts serving the CRD groups it
 * `requiresCrds`, its explicit `dependsOn` and its own prerequisites. Throws when an add-on depends
 * on one that is not enabled, needs CRDs nobody serves, is declared twice, or when dependencies
 * form a cycle (naming the steps on it).
 */
export function planAddons(declarations: readonly AddonDeclaration[]): AddonPlan {
  const addons = declarationsById(declarations);
  const drafts = [...addons.values()].flatMap(draftSteps);
  const { definedBy, producedIn } = indexDrafts(drafts);
  const problems: string[] = [];
  const crdSteps = (group: string, kind?: string): string[] => [
    ...[...addons.values()]
      .filter(
        (d) =>
          d.providesCrds.includes(group) &&
          (kind === undefined || d.providesKinds[group] === undefined || d.providesKinds[group].includes(kind)),
      )
      .map((d) => d.id),
    ...(definedBy.get(group) ?? []),
  ];

  const steps = new Map<string, PlanStep>();
  for (const s of drafts) {
    const d = addons.get(s.addon) as AddonDeclaration;
    const deps = new Set(s.fixed);
    if (s.kind === 'release') {
      // the chart's namespace, when an object creates it (with its Pod Security labels), comes first
      const nsStep = producedIn.get(objectKey('Namespace', d.namespace, undefined));
      if (nsStep !== undefined) deps.add(nsStep);
      for (const g of d.requiresCrds) {
        const providers = crdSteps(g).filter((id) => id !== d.id);
        if (providers.length === 0)
          problems.push(`Addon '${d.id}': needs the ${g} CRDs, which no enabled add-on provides`);
        providers.forEach((p) => deps.add(p));
      }
    }
    for (const o of s.objects) {
      const group = apiGroupOf(o.apiVersion);
      const what = `its ${o.kind} '${o.metadata?.name ?? ''}'`;
      if (!BUILT_IN_GROUPS.has(group)) {
        const providers = crdSteps(group, o.kind).filter((id) => id !== s.id);
        if (providers.length === 0)
          problems.push(
            `Addon '${d.id}': ${what} (${o.apiVersion}) needs the ${group} CRDs, which no enabled add-on provides`,
          );
        providers.forEach((p) => deps.add(p));
      }
      const refs = [
        ...referencesOf(o),
        ...(o.metadata?.namespace !== undefined ? [{ kind: 'Namespace', name: o.metadata.namespace }] : []),
      ];
      for (const r of refs) {
        const step = producedIn.get(objectKey(r.kind, r.name, 'namespace' in r ? r.namespace : undefined));
        if (step !== undefined && step !== s.id) deps.add(step);
      }
    }
    steps.set(s.id, { id: s.id, addon: s.addon, kind: s.kind, dependsOn: [...deps], objects: s.objects });
  }
  if (problems.length > 0) throw new GroundworkValidationError(problems);

  const { waves, waveOf } = orderWaves(steps);
  return { addons, steps, waves, waveOf, crdSteps };
}

/** Kahn's algorithm: the steps in waves, each after the waves holding its dependencies, ids sorted inside a wave. */
function orderWaves(steps: ReadonlyMap<string, PlanStep>): { waves: string[][]; waveOf: Map<string, number> } {
  const remaining = new Map<string, Set<string>>([...steps.values()].map((s) => [s.id, new Set(s.dependsOn)]));
  const waves: string[][] = [];
  const waveOf = new Map<string, number>();
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter(([, deps]) => deps.size === 0)
      .map(([id]) => id)
      .sort();
    if (ready.length === 0) {
      throw new GroundworkValidationError([`Addon dependency cycle: ${describeCycle(remaining)}`]);
    }
    for (const id of ready) {
      remaining.delete(id);
      waveOf.set(id, waves.length);
    }
    for (const deps of remaining.values()) for (const id of ready) deps.delete(id);
    waves.push(ready);
  }
  return { waves, waveOf };
}

/** Finds one cycle among the unresolved steps and spells it out: `'a' -> 'b' -> 'a'`. */
function describeCycle(remaining: ReadonlyMap<string, ReadonlySet<string>>): string {
  const start = [...remaining.keys()].sort()[0];
  const path: string[] = [];
  let current: string | undefined = start;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = [...(remaining.get(current) ?? [])].sort()[0];
  }
  const from = current === undefined ? 0 : path.indexOf(current);
  return [...path.slice(from), current ?? start].map((id) => `'${id}'`).join(' -> ');
}
