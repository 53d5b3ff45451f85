import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Environment } from '../platform/environment';
import type { EnvironmentRendering } from '../platform/render';
import { lastWaveNeeded } from '../platform/verify';
import { type AddonsStack, groupObjects, type InstallOptions } from './addons-stack';

/** Provider inputs bound to an environment's cluster: its kube context and kubeconfig, when set. */
export function providerArgs(env: Environment): k8s.ProviderArgs {
  const { kubeContext, kubeconfig } = env.cluster;
  return {
    ...(kubeContext !== undefined ? { context: kubeContext } : {}),
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
  };
}

/** Inputs of {@link PlatformStack}. */
export interface PlatformStackArgs {
  /** The rendered environment (the same objects the YAML path writes). */
  readonly rendering: EnvironmentRendering;
  /**
   * Provider to use.
   * @default - a provider bound to the environment's kube context (and kubeconfig, when set)
   */
  readonly provider?: k8s.Provider;
  /**
   * The installed add-ons: each app wave waits for the add-on steps its objects need (their CRDs,
   * issuers, secret stores, Gateways), derived from the plan.
   * @default - no add-on dependencies
   */
  readonly addons?: AddonsStack;
  /** How objects install (`skipAwait`). @default - waiting for readiness */
  readonly install?: InstallOptions;
}

/**
 * Applies the apps with Pulumi, one `yaml.ConfigGroup` per apply wave, each wave depending on the
 * one before (namespaces before workloads before routing) and on the add-on steps it needs.
 */
export class PlatformStack extends pulumi.ComponentResource {
  /** Wave names in apply order. */
  public readonly waves: pulumi.Output<string[]>;
  /** Provider bound to the environment's kube context. */
  public readonly provider: k8s.Provider;
  /** One ConfigGroup per wave, in apply order (later groups depend on earlier ones). */
  public readonly groups: readonly k8s.yaml.ConfigGroup[];

  constructor(name: string, args: PlatformStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('groundwork:stacks:PlatformStack', name, {}, opts);
    const { rendering } = args;
    this.provider = args.provider ?? new k8s.Provider(`${name}-cluster`, providerArgs(rendering.env), { parent: this });
    const { plan } = rendering.addons;
    const groups: k8s.yaml.ConfigGroup[] = [];
    const names: string[] = [];
    for (const wave of rendering.waves) {
      const previous = groups[groups.length - 1];
      const needed = lastWaveNeeded(plan, wave.objects);
      const addonSteps =
        args.addons === undefined
          ? []
          : plan.waves
              .slice(0, needed + 1)
              .flat()
              .map((id) => args.addons?.steps.get(id) as pulumi.Resource);
      groups.push(
        new k8s.yaml.ConfigGroup(
          `${name}-${wave.name}`,
          { objs: groupObjects(wave.objects, args.install) },
          { parent: this, provider: this.provider, dependsOn: [...(previous ? [previous] : []), ...addonSteps] },
        ),
      );
      names.push(wave.name);
    }
    this.groups = groups;
    this.waves = pulumi.output(names);
    this.registerOutputs({ waves: this.waves });
  }
}
