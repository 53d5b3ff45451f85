import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ManifestObject } from '../constructs';
import type { Environment } from '../environments';
import { orderIntoWaves } from './render';

/** Inputs of {@link PlatformStack}. */
export interface PlatformStackArgs {
  /** The environment (its kube context selects the cluster). */
  readonly env: Environment;
  /** The synthesized objects (the same ones the YAML path writes). */
  readonly objects: readonly ManifestObject[];
  /**
   * Provider to use.
   * @default - a provider bound to the environment's kube context
   */
  readonly provider?: k8s.Provider;
}

/**
 * Applies synthesized objects to a cluster with Pulumi, one `yaml.ConfigGroup` per apply wave,
 * each wave depending on the one before (namespaces before workloads before routing).
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
    this.provider = args.provider ?? new k8s.Provider(`${name}-cluster`, { context: args.env.cluster.kubeContext }, { parent: this });
    const groups: k8s.yaml.ConfigGroup[] = [];
    const names: string[] = [];
    for (const wave of orderIntoWaves(args.objects)) {
      const previous = groups[groups.length - 1];
      groups.push(new k8s.yaml.ConfigGroup(
        `${name}-${wave.name}`,
        { objs: wave.objects.map((o) => structuredClone(o)) },
        { parent: this, provider: this.provider, dependsOn: previous ? [previous] : [] },
      ));
      names.push(wave.name);
    }
    this.groups = groups;
    this.waves = pulumi.output(names);
    this.registerOutputs({ waves: this.waves });
  }
}
