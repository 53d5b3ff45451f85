/**
 * `k8s-groundwork/pulumi`: the Pulumi rendering of the platform. Needs `@pulumi/pulumi` and
 * `@pulumi/kubernetes` (optional peer dependencies of the package).
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, type StackConfig } from '../platform/config';
import { deployableProblems, type EnvironmentRendering } from '../platform/render';
import { GroundworkValidationError } from '../internal/validator';
import { AddonsStack, type InstallOptions } from './addons-stack';
import { PlatformStack, providerArgs } from './platform-stack';

export { AddonsStack, groupObjects, releaseArgs, SKIP_AWAIT_ANNOTATION } from './addons-stack';
export type { AddonsStackArgs, InstallOptions } from './addons-stack';
export { PlatformStack, providerArgs } from './platform-stack';
export type { PlatformStackArgs } from './platform-stack';

/** The current stack's config (`groundwork:*`, `<project>:*` and `kubernetes:context`), parsed and checked. */
export function stackConfig(): StackConfig {
  const stack = pulumi.getStack();
  return parseStackConfig(pulumi.runtime.allConfig(), stack, `Pulumi.${stack}.yaml`, pulumi.getProject());
}

/** Inputs of {@link GroundworkPlatform}. */
export interface GroundworkPlatformArgs {
  /** The rendered environment (`renderEnvironment`). */
  readonly rendering: EnvironmentRendering;
  /** How the add-ons and apps install. @default - charts from their repositories, waiting for readiness */
  readonly install?: InstallOptions;
  /**
   * kubeconfig of the cluster to install on (a cluster the stack creates: `EksPlatformCloud.kubeconfig`).
   * @default - the environment's kube context and kubeconfig path
   */
  readonly kubeconfig?: pulumi.Input<string>;
}

/** The install options a stack's config sets (`groundwork:chartsDir`, `groundwork:skipAwait`). */
export function installOptions(config: StackConfig): InstallOptions {
  return {
    ...(config.chartsDir !== undefined ? { chartsDir: config.chartsDir } : {}),
    skipAwait: config.skipAwait === 'true',
  };
}

/**
 * The whole platform of one environment: refuses a rendering that fails preflight (values still
 * at their examples, missing config), the hardening checks, the platform order check or the
 * add-on budget before registering any resource; then installs the add-ons and the apps after
 * them on a provider bound to the environment's cluster.
 */
export class GroundworkPlatform extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  public readonly addons: AddonsStack;
  public readonly apps: PlatformStack;

  constructor(name: string, args: GroundworkPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = deployableProblems(args.rendering);
    if (problems.length > 0) throw new GroundworkValidationError(problems);
    super('groundwork:stacks:GroundworkPlatform', name, {}, opts);
    const providerInputs =
      args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : providerArgs(args.rendering.env);
    this.provider = new k8s.Provider(`${name}-cluster`, providerInputs, { parent: this });
    const { install } = args;
    this.addons = new AddonsStack(
      `${name}-addons`,
      { addons: args.rendering.addons, provider: this.provider, install },
      { parent: this },
    );
    this.apps = new PlatformStack(
      `${name}-apps`,
      { rendering: args.rendering, provider: this.provider, addons: this.addons, install },
      { parent: this },
    );
    this.registerOutputs({ environment: args.rendering.env.name, waves: this.apps.waves });
  }
}
