/**
 * `renderEnvironment`: the one render path. The synth CLI writes its result to files and the Pulumi
 * program hands the same objects to `@pulumi/kubernetes`; both refuse it when a check fails.
 * Pure and synchronous: no I/O.
 */
import { App, Chart } from 'cdk8s';
import { type GitOpsRendering, renderGitOps } from '../addons/gitops';
import { type PlatformAddons, platformAddons } from '../addons/platform-addons';
import { validateTree } from '../internal/validate-tree';
import { chartManifests } from '../internal/chart-manifests';
import { checkManifests, type ManifestObject, type Violation } from '../policy/check-manifests';
import { orderIntoWaves, type Wave } from './app-waves';
import type { StackConfig } from './config';
import type { PlatformContract } from './contract';
import {
  type AppContext,
  type AppsBuilder,
  type Environment,
  type EnvironmentDefinition,
  resolveEnvironment,
} from './environment';
import { checkExternalObjects } from './external-objects';
import { preflight, type PreflightReport } from './preflight';
import { lastWaveNeeded, type PlatformProblem, verifyPlatform } from './verify';

/** Options of {@link renderEnvironment}. */
export interface RenderEnvironmentOptions {
  /** Pulumi stack (and output directory) name. */
  readonly stack: string;
  /**
   * Where the config came from, for messages.
   * @default `Pulumi.<stack>.yaml`
   */
  readonly source?: string;
  /**
   * Apps to build instead of the definition's own (`EnvironmentDefinition.apps`).
   * @default - the definition's apps (none: add-ons only)
   */
  readonly apps?: AppsBuilder;
}

export type { AppContext, AppsBuilder } from './environment';

/** Results of the checks a rendering must pass before anything is written or applied. */
export interface RenderChecks {
  /** Hardening violations over apps and add-on objects. */
  readonly hardening: readonly Violation[];
  /** Objects applied before what they need exists (`verifyPlatform`). */
  readonly platform: readonly PlatformProblem[];
  /** Add-on requests over the environment's budget. */
  readonly budget: readonly string[];
  /** Values still to set and prerequisites assumed. */
  readonly preflight: PreflightReport;
}

/** One environment rendered: apps in waves, add-ons for the GitOps engine, and the checks. */
export interface EnvironmentRendering {
  readonly env: Environment;
  readonly addons: PlatformAddons;
  readonly contract: PlatformContract;
  /** App objects in cdk8s order. */
  readonly objects: readonly ManifestObject[];
  /** App objects in apply waves. */
  readonly waves: readonly Wave[];
  /** The add-on plan wave after which the apps can be applied (-1: they need no add-on). */
  readonly appsAfterWave: number;
  readonly gitops: GitOpsRendering;
  readonly checks: RenderChecks;
  /** No hardening violation, platform problem or budget overrun (preflight is judged by the caller). */
  readonly ok: boolean;
}

const GiB = 2 ** 30;

/** Budget problems of `addons` in `env` (empty when within budget or none set). */
export function budgetProblems(env: Environment, addons: PlatformAddons): string[] {
  const out: string[] = [];
  const b = env.addonBudget;
  if (b === undefined) return out;
  if (addons.footprint.cpuCores > b.cpuCores)
    out.push(`add-on CPU requests ${addons.footprint.cpuCores.toFixed(2)} > ${b.cpuCores} cores`);
  if (addons.footprint.memoryBytes > b.memoryGiB * GiB)
    out.push(`add-on memory requests ${(addons.footprint.memoryBytes / GiB).toFixed(2)} GiB > ${b.memoryGiB} GiB`);
  return out;
}

/**
 * Resolves `definition` against `config`, plans its add-ons, builds its apps against the platform
 * contract, renders the GitOps tree and runs every check (hardening, platform order, budget,
 * preflight). Throws on invalid input (missing config keys, bad props, references to something no
 * enabled add-on provides); check failures are reported in `checks`.
 */
export function renderEnvironment(
  definition: EnvironmentDefinition,
  config: StackConfig,
  options: RenderEnvironmentOptions,
): EnvironmentRendering {
  const source = options.source ?? `Pulumi.${options.stack}.yaml`;
  const env = resolveEnvironment(definition, config, options.stack, source);
  checkExternalObjects(env.addons.cluster?.externalObjects ?? [], env.name);
  const addons = platformAddons(env.addons);
  const contract = addons.contract;
  const app = new App();
  const chart = new Chart(app, 'apps', { disableResourceNameHashes: true });
  const context: AppContext = { env, contract };
  for (const build of options.apps !== undefined ? [options.apps] : (definition.apps ?? [])) build(chart, context);
  // deferred checks that need the whole tree (a tenant's quota against its workloads)
  validateTree(chart);
  const objects = chartManifests(chart) as ManifestObject[];
  const waves = orderIntoWaves(objects);
  const appsAfterWave = lastWaveNeeded(addons.plan, objects);
  // the apps' objects bound the GitOps engine's rights over them (Argo CD's apps project, Flux's deployer)
  const gitops = renderGitOps(addons, env.gitops, { appsAfterWave, apps: objects });
  const addonObjects = [...gitops.files.flatMap((f) => f.objects), ...gitops.bootstrap];
  const hardening = checkManifests([...objects, ...addonObjects]);
  const platform = verifyPlatform({ plan: addons.plan, cluster: env.addons.cluster, apps: waves });
  const budget = budgetProblems(env, addons);
  const report = preflight(definition, config, options.stack, source, {
    env,
    // the add-on objects, and the ExternalSecrets the GitOps rendering adds (the repository's credentials)
    objects: [
      ...objects,
      ...addons.declarations.flatMap((d) => [...d.prerequisites, ...d.companions]),
      ...addonObjects.filter((o) => o.kind === 'ExternalSecret'),
    ],
    addons: addons.declarations,
  });
  return {
    env,
    addons,
    contract,
    objects,
    waves,
    appsAfterWave,
    gitops,
    checks: { hardening, platform, budget, preflight: report },
    ok: hardening.length === 0 && platform.length === 0 && budget.length === 0,
  };
}

/**
 * Everything that must block a deployment of `r`, one line each: preflight values to set, hardening
 * violations, objects applied before what they need, and budget overruns.
 */
export function deployableProblems(r: EnvironmentRendering): string[] {
  return [
    ...r.checks.preflight.findings.filter((f) => f.severity === 'must-set').map((f) => `preflight: ${f.message}`),
    ...r.checks.hardening.map((v) => `hardening ${v.rule}: ${v.object}: ${v.message}`),
    ...r.checks.platform.map((p) => `platform: ${p.object}: ${p.message}`),
    ...r.checks.budget.map((b) => `over budget: ${b}`),
  ];
}
