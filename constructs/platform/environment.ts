/**
 * Environments as typed data. An {@link EnvironmentDefinition} holds what a profile chooses (sizes,
 * which add-ons, replica policy) and builds an {@link Environment} from the stack config that holds
 * what only the user knows (domains, accounts, repositories). Constructs never branch on names.
 */
import type { PlatformAddonsProps } from '../addons/platform-addons';
import type { GitOpsTarget } from '../addons/gitops';
import { GroundworkValidationError } from '../internal/validator';
import type { Chart } from 'cdk8s';
import { type StackConfig, type StackConfigKey, STACK_CONFIG_KEYS } from './config';
import type { PlatformContract } from './contract';

export type ClusterProvider = 'kind' | 'eks' | 'gke' | 'aks';

/** Replica policy of a web tier. */
export interface ScalingProfile {
  /** Lowest replica count. */
  readonly minReplicas: number;
  /** Highest replica count (equal to min disables growth but keeps the HPA). */
  readonly maxReplicas: number;
}

/** Something the environment assumes exists but does not install. */
export interface Prerequisite {
  /** Short id, e.g. `cni-network-policy`. */
  readonly id: string;
  /** What must be true, and how to make it so. */
  readonly description: string;
  /**
   * What already satisfies it (e.g. the cluster config); preflight reports it as met.
   * @default - not known to be met: preflight lists it for the user to confirm
   */
  readonly metBy?: string;
}

/** One environment resolved against its stack config: everything a rendering needs. */
export interface Environment {
  /** Environment name (the `environment` label value). */
  readonly name: string;
  /** Pulumi stack (and output directory) name. */
  readonly stack: string;
  /** Target cluster. */
  readonly cluster: {
    /** Where the cluster runs. */
    readonly provider: ClusterProvider;
    /** kubeconfig context the Pulumi provider uses. @default - the kubeconfig's current context */
    readonly kubeContext?: string;
    /** kubeconfig file. @default - the Pulumi provider's default */
    readonly kubeconfig?: string;
    /** Cloud region (not for kind). @default - none (kind) */
    readonly region?: string;
  };
  /** Base DNS domain; apps get `<app>.<domain>`. */
  readonly domain: string;
  /**
   * ClusterIssuer that signs app certificates where apps use an Ingress (a Gateway's HTTPS
   * listener has its own); checked against the platform contract.
   * @default - apps behind an Ingress get no TLS section
   */
  readonly tlsIssuer?: string;
  /**
   * IAM role ARN prefix of tenants' secret stores on AWS: tenant `t` reads through `<prefix>t`, a
   * role limited to its own secrets.
   * @default - none (only the Kubernetes backend scopes tenants without it)
   */
  readonly tenantSecretRolePrefix?: string;
  /** Tag of the demo app image (hashicorp/http-echo) deployed here. */
  readonly appVersion: string;
  /**
   * Whether the demo apps render here (their builder renders nothing otherwise): definitions turn
   * it on for local clusters and leave it to `groundwork:demo` elsewhere, so a cloud stack never
   * serves the demo from the internet unless its config asks for it.
   */
  readonly demo: boolean;
  /** Scaling of web tiers. */
  readonly web: ScalingProfile;
  /** Replicas of background workers. */
  readonly workerReplicas: number;
  /** Labels on every object, including `environment`. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Most the add-ons may request in total (rendering fails above it).
   * @default - no budget
   */
  readonly addonBudget?: { readonly cpuCores: number; readonly memoryGiB: number };
  /** The week-1 add-ons of this environment (and the cluster facts they build on). */
  readonly addons: PlatformAddonsProps;
  /** Where the GitOps engine reads the synthesized output. */
  readonly gitops: GitOpsTarget;
  /** What the environment assumes but does not install (preflight lists them). */
  readonly prerequisites: readonly Prerequisite[];
}

/** Read access to a stack config whose required keys were checked. */
export interface ConfigValues {
  /** The whole parsed config. */
  readonly config: StackConfig;
  /** A key the definition `requires` (present: {@link resolveEnvironment} checked it). */
  value(key: StackConfigKey): string;
}

/** A profile: the keys it needs from stack config and how it builds the environment from them. */
export interface EnvironmentDefinition {
  /** Environment name. */
  readonly name: string;
  /** Stack config keys the environment cannot do without. */
  readonly requires: readonly StackConfigKey[];
  /**
   * Keys `groundwork:cluster: create` needs besides `requires`: what creating this environment's
   * cluster takes (an EKS one: the account, region, VPC range, cluster name and buckets).
   * @default - none: the stack does not create this environment's cluster
   */
  readonly requiresToCreate?: readonly StackConfigKey[];
  /** Builds the environment; `stack` names the Pulumi stack. Pure. */
  build(config: ConfigValues, stack: string): Environment;
  /**
   * The apps this environment runs, built in order against the platform contract: where a team's
   * own apps go (a builder may render nothing where the environment turns it off, as the demo
   * does without `env.demo`).
   * @default - none: add-ons only
   */
  readonly apps?: readonly AppsBuilder[];
}

/** What an app builder gets: the environment and what the platform provides. */
export interface AppContext {
  readonly env: Environment;
  readonly contract: PlatformContract;
}

/**
 * Builds an environment's apps into `chart`, one Chart for all of them (group apps with plain
 * Constructs: one Chart keeps synthesis linear). A builder may render nothing where the
 * environment turns it off, as the demo does without `env.demo`.
 */
export type AppsBuilder = (chart: Chart, context: AppContext) => void;

/**
 * Builds `definition` from `config`, first checking every key it requires is set (all missing keys
 * listed at once, each naming `source` and what the key holds).
 */
export function resolveEnvironment(
  definition: EnvironmentDefinition,
  config: StackConfig,
  stack: string,
  source: string,
): Environment {
  const unset = (keys: readonly StackConfigKey[]) =>
    keys.filter((k) => (config as unknown as Record<string, unknown>)[k] === undefined);
  const toCreate = config.cluster === 'create' ? unset(definition.requiresToCreate ?? []) : [];
  // a key both lists name is reported once, as what creating the cluster needs
  const missing = [
    ...unset(definition.requires)
      .filter((k) => !toCreate.includes(k))
      .map(
        (k) =>
          `${source}: groundwork:${k} must be set for environment '${definition.name}' (${STACK_CONFIG_KEYS[k].description})`,
      ),
    ...toCreate.map(
      (k) =>
        `${source}: groundwork:cluster is "create", which needs groundwork:${k} (${STACK_CONFIG_KEYS[k].description})`,
    ),
  ];
  if (missing.length > 0) throw new GroundworkValidationError(missing);
  const values: ConfigValues = {
    config,
    value: (key) => {
      const v = (config as unknown as Record<string, unknown>)[key];
      if (typeof v !== 'string')
        throw new GroundworkValidationError([
          `${source}: groundwork:${key} must be set for environment '${definition.name}' (${STACK_CONFIG_KEYS[key].description})`,
        ]);
      return v;
    },
  };
  return definition.build(values, stack);
}
