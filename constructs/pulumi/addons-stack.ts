import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { AddonDeclaration } from '../addons/addon';
import type { AddonId } from '../addons/catalog';
import type { PlanStep } from '../addons/graph';
import type { PlatformAddons } from '../addons/platform-addons';

/** Inputs of {@link AddonsStack}. */
export interface AddonsStackArgs {
  /** The planned add-ons (the same plan the GitOps YAML is rendered from). */
  readonly addons: PlatformAddons;
  /** Provider bound to the target cluster. */
  readonly provider: k8s.Provider;
}

/**
 * Installs the add-ons with Pulumi, step by step in plan order: a `helm.v3.Release` per add-on and
 * a `yaml.ConfigGroup` per group of its objects (prerequisites, issuers, policies, schedules…), each
 * depending on exactly the steps the plan says it needs.
 */
export class AddonsStack extends pulumi.ComponentResource {
  /** Releases by add-on id. */
  public readonly releases: ReadonlyMap<AddonId, k8s.helm.v3.Release>;
  /** Object groups by step id (`<addon>/prerequisites`, `<addon>/definitions`, `<addon>/resources`). */
  public readonly companions: ReadonlyMap<string, k8s.yaml.ConfigGroup>;
  /** Every step's resource by step id (releases under the add-on id). */
  public readonly steps: ReadonlyMap<string, pulumi.Resource>;

  constructor(name: string, args: AddonsStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // the type token is part of every child's URN: renaming it replaces the resources
    super('groundwork:stacks:AddonsStack', name, {}, opts);
    const releases = new Map<AddonId, k8s.helm.v3.Release>();
    const companions = new Map<string, k8s.yaml.ConfigGroup>();
    const created = new Map<string, pulumi.Resource>();
    const { plan } = args.addons;
    for (const wave of plan.waves) {
      for (const id of wave) {
        const step = plan.steps.get(id) as PlanStep;
        const opts = { parent: this, provider: args.provider, dependsOn: step.dependsOn.map((dep) => created.get(dep) as pulumi.Resource) };
        const resourceName = `${name}-${step.id.replace('/', '-')}`;
        if (step.kind === 'release') {
          const release = new k8s.helm.v3.Release(resourceName, releaseArgs(plan.addons.get(step.addon) as AddonDeclaration), opts);
          releases.set(step.addon, release);
          created.set(step.id, release);
        } else {
          const group = new k8s.yaml.ConfigGroup(resourceName, { objs: step.objects.map((o) => structuredClone(o)) }, opts);
          companions.set(step.id, group);
          created.set(step.id, group);
        }
      }
    }
    this.releases = releases;
    this.companions = companions;
    this.steps = created;
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
    values: d.values,
    atomic: true,
    cleanupOnFail: true,
    timeout: 600,
  };
}
