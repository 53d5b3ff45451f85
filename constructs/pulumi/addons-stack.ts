import * as path from 'path';
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
  /** How the releases install. @default - from the chart repositories, waiting for readiness */
  readonly install?: InstallOptions;
}

/** How Pulumi installs the platform (stack config `groundwork:chartsDir`, `groundwork:skipAwait`). */
export interface InstallOptions {
  /**
   * Folder of packaged chart archives (`<chart>-<version>.tgz`) to install from.
   * @default - each chart from its repository
   */
  readonly chartsDir?: string;
  /**
   * For a control plane without nodes: no readiness waits (`pulumi.com/skipAwait` on every object),
   * and Helm releases neither wait nor run hooks, since hook Jobs never complete without nodes.
   * @default false
   */
  readonly skipAwait?: boolean;
}

/** Pulumi's annotation that skips its await logic for one object (pulumi-kubernetes provider/pkg/await). */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/** `objects` as a ConfigGroup gets them: copies, annotated to skip Pulumi's await logic when `install.skipAwait`. */
export function groupObjects(objects: readonly object[], install: InstallOptions = {}): Record<string, unknown>[] {
  return objects.map((o) => {
    const copy = structuredClone(o) as Record<string, unknown> & {
      metadata?: { annotations?: Record<string, string> };
    };
    if (install.skipAwait === true)
      copy.metadata = {
        ...copy.metadata,
        annotations: { ...copy.metadata?.annotations, [SKIP_AWAIT_ANNOTATION]: 'true' },
      };
    return copy;
  });
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
        const opts = {
          parent: this,
          provider: args.provider,
          dependsOn: step.dependsOn.map((dep) => created.get(dep) as pulumi.Resource),
        };
        const resourceName = `${name}-${step.id.replace('/', '-')}`;
        if (step.kind === 'release') {
          const release = new k8s.helm.v3.Release(
            resourceName,
            releaseArgs(plan.addons.get(step.addon) as AddonDeclaration, args.install),
            opts,
          );
          releases.set(step.addon, release);
          created.set(step.id, release);
        } else {
          const group = new k8s.yaml.ConfigGroup(
            resourceName,
            { objs: groupObjects(step.objects, args.install) },
            opts,
          );
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

/**
 * Helm release inputs of a declaration: OCI charts by URL, others through their repository, or the
 * packaged archive in `install.chartsDir`; with `install.skipAwait`, no waiting and no hooks.
 */
export function releaseArgs(d: AddonDeclaration, install: InstallOptions = {}): k8s.helm.v3.ReleaseArgs {
  const oci = d.chart.repository.startsWith('oci://');
  const skipAwait = install.skipAwait === true;
  const source =
    install.chartsDir !== undefined
      ? { chart: path.join(install.chartsDir, `${d.chart.chart}-${d.chart.version}.tgz`) }
      : {
          chart: oci ? `${d.chart.repository}/${d.chart.chart}` : d.chart.chart,
          version: d.chart.version,
          ...(oci ? {} : { repositoryOpts: { repo: d.chart.repository } }),
        };
  return {
    name: d.releaseName,
    ...source,
    namespace: d.namespace,
    createNamespace: true,
    values: d.values,
    // the values reach Helm as written, empty lists and maps included (as Argo CD and Flux pass them):
    // without this the provider merges them with mergo, which drops empty values, so `[]` silently
    // became the chart's default (pulumi-kubernetes v4.25.0 provider/pkg/provider/helm_release.go
    // mergeMaps/excludeNulls; found by the e2e: Velero's default BackupStorageLocation came back)
    allowNullValues: true,
    // atomic makes Helm wait (and roll back when readiness times out)
    atomic: !skipAwait,
    cleanupOnFail: true,
    timeout: 600,
    ...(skipAwait ? { skipAwait: true, disableWebhooks: true } : {}),
  };
}
