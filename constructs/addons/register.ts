/**
 * The registry contract: each add-on module exports one entry per profile key, and
 * `constructs/addons/registry.ts` lists them in declaration order. `platformAddons` declares them
 * in that order, `PlatformAddonsProps` is typed from them and the wrong-type test calls their parts.
 */
import { GroundworkValidationError } from '../internal/validator';
import type { AddonDeclaration } from './addon';
import type { AddonId } from './catalog';

/** What an entry's declaration may read besides its own profile value. */
export interface AddonContext<Reads extends object = object> {
  /** The add-ons declared before it, in registry order: what they offer (`provides`), their namespaces, charts and objects. */
  readonly declared: readonly AddonDeclaration[];
  /**
   * Profile keys before it whose declaration failed (their problems are reported): a rule that
   * reads their offers stays silent rather than report what follows from their failure.
   */
  readonly failed: readonly string[];
  /** Namespaces the cluster runs its own components in (the profile's `cluster.systemNamespaces`). */
  readonly systemNamespaces: readonly string[];
  /**
   * The profile keys the entry reads whose add-on is declared after it (Loki admits the monitoring
   * namespace, Grafana's admin Secret names the secret store). `platformAddons` checks at compile
   * time that the profile has them with a type the entry accepts.
   */
  readonly profile: Reads;
}

/** One add-on function an entry calls, with props it accepts: the wrong-type test gives each of its options a wrong type. */
export interface AddonPart {
  readonly id: AddonId;
  readonly declare: (props: never) => AddonDeclaration | AddonDeclaration[];
  readonly example: object;
}

/** Types an {@link AddonPart}: `example` must be props `declare` accepts. */
export function part<P extends object>(
  id: AddonId,
  declare: (props: P) => AddonDeclaration | AddonDeclaration[],
  example: P,
): AddonPart {
  return { id, declare, example };
}

/**
 * One profile key and how `platformAddons` declares it. An engine choice (`gitops`: argo-cd or
 * flux) is one entry whose declaration picks the engine.
 */
export interface RegisteredAddon<K extends string = string, V = unknown, Reads extends object = object> {
  /** Its key in `PlatformAddonsProps`. */
  readonly profileKey: K;
  /** Its value when the profile leaves the key out: `false` leaves it off. */
  readonly defaultProps: V | false;
  /** Declares it from the profile's value (never `false`) and what the add-ons before it offer. */
  readonly declare: (value: V, ctx: AddonContext<Reads>) => AddonDeclaration | AddonDeclaration[];
  /** A profile value it accepts. */
  readonly example: V;
  /** The add-on functions it calls, each with props it accepts. */
  readonly parts: readonly AddonPart[];
  /**
   * The engines it chooses between: a profile value's `engine` must be one of them.
   * @default - no engine choice
   */
  readonly engines?: readonly string[];
}

/** Types a {@link RegisteredAddon} entry, keeping its profile key, value and reads types for the profile. */
export function registerAddon<const K extends string, V, Reads extends object = object>(
  entry: Omit<RegisteredAddon<K, V, Reads>, 'defaultProps' | 'example'> & {
    readonly defaultProps: NoInfer<V> | false;
    readonly example: NoInfer<V>;
  },
): RegisteredAddon<K, V, Reads> {
  return entry;
}

/** The entry of an add-on declared from its own props alone: the profile's value is its props. */
export function ownAddon<const K extends string, P extends object>(entry: {
  readonly id: AddonId;
  readonly profileKey: K;
  readonly defaultProps: P | false;
  readonly declare: (props: P) => AddonDeclaration | AddonDeclaration[];
  readonly example: P;
}): RegisteredAddon<K, P> {
  const { id, profileKey, defaultProps, declare, example } = entry;
  return { profileKey, defaultProps, declare: (props) => declare(props), example, parts: [part(id, declare, example)] };
}

/**
 * Runs each build and returns every declaration, or throws the problems of all of them together
 * (with `problems` first): an entry that declares several add-ons reports all at once.
 */
export function declareEach(
  problems: readonly string[],
  builds: readonly (() => AddonDeclaration | AddonDeclaration[])[],
): AddonDeclaration[] {
  const all = [...problems];
  const out: AddonDeclaration[] = [];
  for (const build of builds) {
    try {
      out.push(...[build()].flat());
    } catch (e) {
      if (e instanceof GroundworkValidationError) all.push(...e.problems);
      else throw e;
    }
  }
  if (all.length > 0) throw new GroundworkValidationError(all);
  return out;
}

/** Whether an add-on declared before the entry serves the CRDs of API group `group`. */
export function servesCrds(ctx: AddonContext, group: string): boolean {
  return ctx.declared.some((d) => d.providesCrds.includes(group));
}
