import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { AddonId } from './catalog';

/** Add-ons ordered into waves: every add-on comes after all it depends on. */
export interface AddonPlan {
  /** Add-ons by id. */
  readonly addons: ReadonlyMap<AddonId, AddonDeclaration>;
  /** Waves in install order; add-ons within a wave are independent of each other. */
  readonly waves: readonly (readonly AddonId[])[];
  /** Wave index of each add-on. */
  readonly waveOf: ReadonlyMap<AddonId, number>;
}

/**
 * Validates the dependency graph and orders it into waves (Kahn's algorithm, ids sorted inside a
 * wave so output is stable). Throws when an add-on depends on one that is not enabled, is declared
 * twice, or when dependencies form a cycle (naming the add-ons on it).
 */
export function planAddons(declarations: readonly AddonDeclaration[]): AddonPlan {
  const problems: string[] = [];
  const addons = new Map<AddonId, AddonDeclaration>();
  for (const d of declarations) {
    if (addons.has(d.id)) problems.push(`Addon '${d.id}': declared twice`);
    addons.set(d.id, d);
  }
  for (const d of declarations) {
    for (const dep of d.dependsOn) {
      if (dep === d.id) problems.push(`Addon '${d.id}': depends on itself`);
      else if (!addons.has(dep)) problems.push(`Addon '${d.id}': depends on '${dep}', which is not enabled; enable '${dep}' or drop what needs it`);
    }
    for (const dep of d.companionsDependOn) {
      if (!addons.has(dep)) problems.push(`Addon '${d.id}': its custom resources need '${dep}', which is not enabled`);
    }
  }
  if (problems.length > 0) throw new GroundworkValidationError(problems);

  const remaining = new Map<AddonId, Set<AddonId>>([...addons.values()].map((d) => [d.id, new Set(d.dependsOn)]));
  const waves: AddonId[][] = [];
  const waveOf = new Map<AddonId, number>();
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
  return { addons, waves, waveOf };
}

/** Finds one cycle among the unresolved add-ons and spells it out: `a -> b -> a`. */
function describeCycle(remaining: ReadonlyMap<AddonId, ReadonlySet<AddonId>>): string {
  const start = [...remaining.keys()].sort()[0];
  const path: AddonId[] = [];
  let current: AddonId | undefined = start;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = [...(remaining.get(current) ?? [])].sort()[0];
  }
  const from = current === undefined ? 0 : path.indexOf(current);
  return [...path.slice(from), current ?? start].map((id) => `'${id}'`).join(' -> ');
}
