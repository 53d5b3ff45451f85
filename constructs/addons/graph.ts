import type { ManifestObject } from '../policy/check-manifests';
import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { AddonId } from './catalog';

/** What a step installs: an add-on's chart, the kinds its companions define, or its other companions. */
export type StepKind = 'release' | 'definitions' | 'resources';

/** One unit of installation: a chart release or a group of an add-on's companion resources. */
export interface PlanStep {
  /** `<addon>` for a release, `<addon>/definitions` or `<addon>/resources` for companions. */
  readonly id: string;
  readonly addon: AddonId;
  readonly kind: StepKind;
  /** Step ids that must be installed (and ready) first. */
  readonly dependsOn: readonly string[];
  /** The companion objects (empty for a release). */
  readonly objects: readonly ManifestObject[];
}

/** Add-ons and their companions ordered into waves: every step comes after all it depends on. */
export interface AddonPlan {
  /** Add-ons by id. */
  readonly addons: ReadonlyMap<AddonId, AddonDeclaration>;
  /** Steps by id. */
  readonly steps: ReadonlyMap<string, PlanStep>;
  /** Waves of step ids in install order; steps within a wave are independent of each other. */
  readonly waves: readonly (readonly string[])[];
  /** Wave index of each step (a release step's id is its add-on id). */
  readonly waveOf: ReadonlyMap<string, number>;
}

/** Kinds that define other kinds: they go one step before the objects that use them. */
const DEFINERS = new Set(['ConstraintTemplate', 'CustomResourceDefinition']);

/** Splits companions into those that define kinds (applied first) and the rest. */
export function splitCompanions(objs: readonly ManifestObject[]): [ManifestObject[], ManifestObject[]] {
  return [objs.filter((o) => DEFINERS.has(o.kind)), objs.filter((o) => !DEFINERS.has(o.kind))];
}

/** The steps of one add-on: its release, then its companions (definitions before the rest). */
function stepsOf(d: AddonDeclaration, companionStepIds: (id: AddonId) => string[]): PlanStep[] {
  const release: PlanStep = {
    id: d.id,
    addon: d.id,
    kind: 'release',
    dependsOn: [...d.dependsOn, ...d.dependsOnResourcesOf.flatMap((r) => companionStepIds(r))],
    objects: [],
  };
  const [definitions, resources] = splitCompanions(d.companions);
  const out = [release];
  const after = [d.id, ...d.companionsDependOn];
  if (definitions.length > 0) out.push({ id: `${d.id}/definitions`, addon: d.id, kind: 'definitions', dependsOn: after, objects: definitions });
  if (resources.length > 0) {
    const deps = definitions.length > 0 ? [...after, `${d.id}/definitions`] : after;
    out.push({ id: `${d.id}/resources`, addon: d.id, kind: 'resources', dependsOn: deps, objects: resources });
  }
  return out;
}

/**
 * Validates the dependency graph and orders releases and companion resources into waves (Kahn's
 * algorithm, ids sorted inside a wave so output is stable). Companions follow their own release
 * and the releases they need; an add-on that needs another's companions (`dependsOnResourcesOf`)
 * follows them. Throws when an add-on depends on one that is not enabled, is declared twice, or
 * when dependencies form a cycle (naming the steps on it).
 */
export function planAddons(declarations: readonly AddonDeclaration[]): AddonPlan {
  const problems: string[] = [];
  const addons = new Map<AddonId, AddonDeclaration>();
  for (const d of declarations) {
    if (addons.has(d.id)) problems.push(`Addon '${d.id}': declared twice`);
    addons.set(d.id, d);
  }
  for (const d of declarations) {
    for (const dep of [...d.dependsOn, ...d.dependsOnResourcesOf]) {
      if (dep === d.id) problems.push(`Addon '${d.id}': depends on itself`);
      else if (!addons.has(dep)) problems.push(`Addon '${d.id}': depends on '${dep}', which is not enabled; enable '${dep}' or drop what needs it`);
    }
    for (const dep of d.companionsDependOn) {
      if (!addons.has(dep)) problems.push(`Addon '${d.id}': its custom resources need '${dep}', which is not enabled`);
    }
  }
  if (problems.length > 0) throw new GroundworkValidationError(problems);

  const companionStepIds = (id: AddonId): string[] => {
    const ids = stepsOf(addons.get(id) as AddonDeclaration, () => []).filter((s) => s.kind !== 'release').map((s) => s.id);
    return ids.length > 0 ? ids : [id];
  };
  const steps = new Map<string, PlanStep>();
  for (const d of addons.values()) for (const s of stepsOf(d, companionStepIds)) steps.set(s.id, s);

  const remaining = new Map<string, Set<string>>([...steps.values()].map((s) => [s.id, new Set(s.dependsOn)]));
  const waves: string[][] = [];
  const waveOf = new Map<string, number>();
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
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
  return { addons, steps, waves, waveOf };
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
