import { GroundworkValidationError } from '../internal/validator';
import { type AddonDeclaration, footprintOf } from './addon';
import { withNamespaces } from './addon-namespaces';
import type { CertManagerProps } from './cert-manager';
import { type AddonPlan, planAddons } from './graph';
import { withPlatformMonitors } from './platform-monitors';
import type { AddonContext } from './register';
import { REGISTERED_ADDONS, type RegisteredAddonEntry } from './registry';
import { type ClusterFacts, PlatformContract } from '../platform/contract';
import { referencesOf } from '../platform/references';

/** Each registered add-on's profile key, typed by its entry's value (or `false`: off). */
type RegisteredProfile = {
  readonly [E in RegisteredAddonEntry as E['profileKey']]?: Parameters<E['declare']>[0] | false;
};

/**
 * The add-on profile of one environment: which essentials are on, and how they are set. Its add-on
 * keys come from the registry (`constructs/addons/registry.ts`): each is documented, with its
 * default, on its entry (`ingress` on `ingressAddon`, `logs` on `lokiAddon`…).
 */
export interface PlatformAddonsProps extends RegisteredProfile {
  /**
   * What the cluster provides before any add-on (storage classes, its own system namespaces).
   * @default - nothing but `kube-system`
   */
  readonly cluster?: ClusterFacts;
  /**
   * Nodes in the cluster (DaemonSet components count once per node in the footprint).
   * @default 3
   */
  readonly nodes?: number;
  /**
   * cert-manager and its ClusterIssuers; `false` installs none (then no add-on may ask it for a
   * certificate: a Gateway's `clusterIssuer`, Linkerd's identity issuer, an acting VPA's webhook).
   * Required: the profile chooses.
   */
  readonly certManager: CertManagerProps | false;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: the profile's keys are the registry's profile keys, `cluster` and `nodes`, no more and no fewer. */
export const REGISTRY_MATCHES_PROFILE: Same<
  keyof PlatformAddonsProps,
  'cluster' | 'nodes' | RegisteredAddonEntry['profileKey']
> = true;

type ReadsOf<E> = E extends { readonly declare: (value: never, ctx: AddonContext<infer R>) => unknown } ? R : never;
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Compile-time check: the profile has every key an entry reads from it, with a type the entry accepts. */
export const PROFILE_HAS_READS: PlatformAddonsProps extends AllOf<ReadsOf<RegisteredAddonEntry>> ? true : false = true;

/** Declarations, their install plan and footprint. */
export interface PlatformAddons {
  readonly declarations: readonly AddonDeclaration[];
  readonly plan: AddonPlan;
  readonly footprint: { readonly cpuCores: number; readonly memoryBytes: number };
  readonly warnings: readonly string[];
  /** What the enabled add-ons and the cluster provide: apps read their references from it. */
  readonly contract: PlatformContract;
}

/** Every key of the profile, in registry order after `cluster` and `nodes`. */
const PROFILE_KEYS: readonly string[] = ['cluster', 'nodes', ...REGISTERED_ADDONS.map((e) => e.profileKey)];

/** Builds the enabled add-ons from a profile, in registry order, checks cross-add-on rules and plans the install order. */
export function platformAddons(props: PlatformAddonsProps): PlatformAddons {
  checkProfile(props);
  // the namespaces the cluster runs its own components in
  const systemNamespaces = props.cluster?.systemNamespaces ?? ['kube-system'];
  const problems: string[] = [];
  const decls: AddonDeclaration[] = [];
  const failed: string[] = [];
  for (const entry of REGISTERED_ADDONS) {
    const given: unknown = props[entry.profileKey];
    // a key left out takes the entry's default (a copy: no profile may share, or change, another's);
    // `null` counts as left out only where the default is on
    const value = entry.defaultProps === false ? given : (given ?? structuredClone(entry.defaultProps));
    if (value === undefined || value === false) continue;
    const declare = entry.declare as (
      value: unknown,
      ctx: AddonContext<PlatformAddonsProps>,
    ) => AddonDeclaration | AddonDeclaration[];
    try {
      decls.push(
        ...[declare(value, { declared: [...decls], failed: [...failed], systemNamespaces, profile: props })].flat(),
      );
    } catch (e) {
      if (!(e instanceof GroundworkValidationError)) throw e;
      problems.push(...e.problems);
      failed.push(entry.profileKey);
    }
  }
  if (props.certManager === false) problems.push(...certManagerNeeds(decls));
  if (problems.length > 0) throw new GroundworkValidationError(problems);
  // the platform's ServiceMonitors go with monitoring, made once the add-ons it scrapes are declared
  const labelled = withNamespaces(withPlatformMonitors(decls), systemNamespaces);
  const plan = planAddons(labelled);
  const contract = new PlatformContract(labelled, props.cluster);
  return {
    declarations: labelled,
    plan,
    footprint: footprintOf(labelled, props.nodes ?? 3),
    warnings: labelled.flatMap((d) => d.warnings.map((w) => `${d.id}: ${w}`)),
    contract,
  };
}

/** JavaScript and JSON callers: an unknown key or engine is refused, never dropped or defaulted. */
function checkProfile(props: PlatformAddonsProps): void {
  const problems: string[] = [];
  for (const key of Object.keys(props)) {
    if (!PROFILE_KEYS.includes(key))
      problems.push(`PlatformAddons: ${key} is not an add-on profile key; allowed: ${PROFILE_KEYS.join(', ')}`);
  }
  for (const entry of REGISTERED_ADDONS) {
    const value = props[entry.profileKey] as { readonly engine?: unknown } | false | undefined;
    if (
      entry.engines !== undefined &&
      value !== undefined &&
      value !== false &&
      !entry.engines.includes(value.engine as string)
    ) {
      problems.push(
        `PlatformAddons: ${entry.profileKey}.engine (${JSON.stringify(value.engine)}) must be one of ${entry.engines.join(', ')}`,
      );
    }
  }
  if (props.nodes !== undefined && (!Number.isInteger(props.nodes) || props.nodes < 1))
    problems.push(
      `PlatformAddons: nodes (${JSON.stringify(props.nodes)}) must be a whole number >= 1 (per-node agents are counted once per node)`,
    );
  // JavaScript and JSON callers may leave it out: it has no default, the choice is the profile's
  if (props.certManager === undefined)
    problems.push(
      'PlatformAddons: certManager (undefined) is required: its props ({} for the defaults), or false to install no cert-manager',
    );
  if (problems.length > 0) throw new GroundworkValidationError(problems);
}

/** Without cert-manager, what asks it for certificates would wait for them forever: names each add-on and why. */
function certManagerNeeds(decls: readonly AddonDeclaration[]): string[] {
  const problems: string[] = [];
  for (const d of decls) {
    const needs = d.requiresCrds.includes('cert-manager.io') ? ['its chart needs the cert-manager.io CRDs'] : [];
    for (const o of [...d.prerequisites, ...d.companions]) {
      const what = `its ${o.kind} '${o.metadata?.namespace !== undefined ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}'`;
      if (o.apiVersion.startsWith('cert-manager.io/')) needs.push(`${what} is a cert-manager object`);
      else
        for (const r of referencesOf(o))
          if (r.kind === 'ClusterIssuer' || r.kind === 'Issuer')
            needs.push(`${what} asks ${r.kind} '${r.name}' for a certificate (${r.via})`);
    }
    if (needs.length > 0)
      problems.push(
        `PlatformAddons: certManager (false) installs no cert-manager, which ${d.id} needs: ${needs.join('; ')}`,
      );
  }
  return problems;
}
