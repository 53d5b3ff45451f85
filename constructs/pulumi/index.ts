/**
 * `k8s-groundwork/pulumi`: the Pulumi rendering of the platform. Needs `@pulumi/pulumi` and
 * `@pulumi/kubernetes` (optional peer dependencies of the package).
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, type StackConfig } from '../platform/config';
import { deployableProblems, type EnvironmentRendering } from '../platform/render';
import { GroundworkValidationError } from '../internal/validator';
import { AddonsStack } from './addons-stack';
import { PlatformStack, providerArgs } from './platform-stack';

export { AddonsStack, releaseArgs } from './addons-stack';
export type { AddonsStackArgs } from './addons-stack';
export { PlatformStack, providerArgs } from './platform-stack';
export type { PlatformStackArgs } from './platform-stack';

/** The current stack's config (`groundwork:*` and `kubernetes:context`), parsed and checked. */
export function stackConfig(): StackConfig {
  const stack = pulumi.getStack();
  return parseStackConfig(pulumi.runtime.allConfig(), stack, `Pulumi.${stack}.yaml`);
}

/** Inputs of {@link GroundworkPlatform}. */
export interface GroundworkPlatformArgs {
  /** The rendered environment (`renderEnvironment`). */
  readonly rendering: EnvironmentRendering;
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
    this.provider = new k8s.Provider(`${name}-cluster`, providerArgs(args.rendering.env), { parent: this });
    this.addons = new AddonsStack(`${name}-addons`, { addons: args.rendering.addons, provider: this.provider }, { parent: this });
    this.apps = new PlatformStack(`${name}-apps`, { rendering: args.rendering, provider: this.provider, addons: this.addons }, { parent: this });
    this.registerOutputs({ environment: args.rendering.env.name, waves: this.apps.waves });
  }
}
