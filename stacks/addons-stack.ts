import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AddonDeclaration, AddonId, PlatformAddons, splitCompanions } from '../constructs';

/** Inputs of {@link AddonsStack}. */
export interface AddonsStackArgs {
  /** The planned add-ons (the same declaration the GitOps YAML is rendered from). */
  readonly addons: PlatformAddons;
  /** Provider bound to the target cluster. */
  readonly provider: k8s.Provider;
}

/**
 * Installs the add-ons with Pulumi: one `helm.v3.Release` per add-on, depending on the releases
 * of its dependencies; its companion resources (issuers, policies, schedules…) in ConfigGroups that
 * depend on its own release and on the releases they need.
 */
export class AddonsStack extends pulumi.ComponentResource {
  /** Releases by add-on id. */
  public readonly releases: ReadonlyMap<AddonId, k8s.helm.v3.Release>;
  /** Companion resource groups (definitions first, then the rest) by add-on id. */
  public readonly companions: ReadonlyMap<AddonId, readonly k8s.yaml.ConfigGroup[]>;

  constructor(name: string, args: AddonsStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('groundwork:stacks:AddonsStack', name, {}, opts);
    const releases = new Map<AddonId, k8s.helm.v3.Release>();
    const companions = new Map<AddonId, k8s.yaml.ConfigGroup[]>();
    const resourceOpts = { parent: this, provider: args.provider };
    const { plan } = args.addons;
    for (const wave of plan.waves) {
      for (const id of wave) {
        const d = plan.addons.get(id) as AddonDeclaration;
        releases.set(id, new k8s.helm.v3.Release(`${name}-${id}`, releaseArgs(d), {
          ...resourceOpts,
          dependsOn: d.dependsOn.map((dep) => releases.get(dep) as k8s.helm.v3.Release),
        }));
      }
    }
    for (const d of plan.addons.values()) {
      if (d.companions.length === 0) continue;
      const needs = [d.id, ...d.companionsDependOn].map((dep) => releases.get(dep) as k8s.helm.v3.Release);
      const groups: k8s.yaml.ConfigGroup[] = [];
      for (const [i, objs] of splitCompanions(d.companions).entries()) {
        if (objs.length === 0) continue;
        const previous = groups[groups.length - 1];
        groups.push(new k8s.yaml.ConfigGroup(`${name}-${d.id}-${i === 0 ? 'definitions' : 'resources'}`, { objs: objs.map((o) => structuredClone(o)) }, {
          ...resourceOpts,
          dependsOn: previous ? [...needs, previous] : needs,
        }));
      }
      companions.set(d.id, groups);
    }
    this.releases = releases;
    this.companions = companions;
    this.registerOutputs({ releases: [...releases.keys()] });
  }
}

/** Helm release inputs of a declaration (OCI charts by URL, others through their repository). */
export function releaseArgs(d: AddonDeclaration): k8s.helm.v3.ReleaseArgs {
  const oci = d.chart.repository.startsWith('oci://');
  return {
    name: d.releaseName,
    chart: oci ? `${d.chart.repository}/${d.chart.chart}` : d.chart.chart,
    version: d.chart.version,
    ...(oci ? {} : { repositoryOpts: { repo: d.chart.repository } }),
    namespace: d.namespace,
    createNamespace: true,
    values: d.values as Record<string, pulumi.Input<unknown>>,
    atomic: true,
    cleanupOnFail: true,
    timeout: 600,
  };
}
