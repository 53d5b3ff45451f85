/**
 * The Pulumi program as a function, so that one process can run it more than once (the e2e test's
 * Automation API runs it for `up` and again for `preview`; a module body would run only once).
 * Everything user-specific comes from the stack's config (`groundwork:*`); `groundwork:environment`
 * picks the environment definition. The rendering is the one `npm run synth` writes, and it is
 * refused (before any resource is registered) when preflight, the hardening checks, the platform
 * order check or the add-on budget fail.
 */
import * as pulumi from '@pulumi/pulumi';
import { renderEnvironment } from '../constructs';
import { GroundworkValidationError } from '../constructs/internal/validator';
import type { StackConfig } from '../constructs/platform/config';
import type { EnvironmentRendering } from '../constructs/platform/render';
import { GroundworkPlatform, installOptions, stackConfig } from '../constructs/pulumi';
import type * as AwsCloud from '../constructs/pulumi/aws/eks-cluster';
import type * as AwsLookups from '../constructs/pulumi/aws/lookups';
import { type Definitions, definitionFor, definitions as KIT_DEFINITIONS } from '../environments';

/** The stack's outputs. */
export interface ProgramOutputs {
  readonly environment: string;
  readonly waves: pulumi.Output<string[]>;
  readonly addonReleases: string[];
}

/** The AWS side, loaded only for `groundwork:cluster create` (@pulumi/aws and @pulumi/eks are optional peers). */
function loadAwsCloud(): typeof AwsCloud {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../constructs/pulumi/aws/eks-cluster') as typeof AwsCloud;
}

/** Whether @pulumi/aws is installed (an optional peer dependency). */
function awsInstalled(): boolean {
  try {
    require.resolve('@pulumi/aws');
    return true;
  } catch {
    return false;
  }
}

/** With `groundwork:cluster existing` on EKS: the buckets and zone the config names, looked up (undefined without @pulumi/aws). */
function loadAwsLookups(): typeof AwsLookups | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return awsInstalled() ? (require('../constructs/pulumi/aws/lookups') as typeof AwsLookups) : undefined;
}

/** The command that creates the kind cluster (scripts/kind-up.sh runs it). */
export const KIND_CREATE_COMMAND = 'kind create cluster --config environments/kind/cluster.yaml';

/** Why `groundwork:cluster create` is refused for a kind environment: kind clusters are made by kind, locally. */
export function kindCreateRefusal(source: string, environment: string): string {
  return (
    `${source}: groundwork:cluster is "create", but environment ${environment} runs on kind, which this program does not create: ` +
    `run \`${KIND_CREATE_COMMAND}\` (or scripts/kind-up.sh), then set groundwork:cluster: existing`
  );
}

/**
 * The stack's config and rendering. `groundwork:cluster create` on a kind environment is refused
 * with the kind command (the kind definition declares nothing to create, so its config parses).
 */
function configAndRendering(
  definitions: Definitions,
  stack: string,
): { config: StackConfig; rendering: EnvironmentRendering } {
  const config = stackConfig();
  const rendering = renderEnvironment(definitionFor(config.environment, definitions), config, { stack });
  if (config.cluster === 'create' && rendering.env.cluster.provider === 'kind')
    throw new GroundworkValidationError([kindCreateRefusal(`Pulumi.${stack}.yaml`, config.environment)]);
  return { config, rendering };
}

/**
 * Registers the platform of the current stack, `groundwork:environment` picking one of
 * `definitions` (the kit's by default; a platform repository passes its own); returns its outputs.
 */
export function groundworkProgram(definitions: Definitions = KIT_DEFINITIONS): ProgramOutputs {
  const { config, rendering } = configAndRendering(definitions, pulumi.getStack());
  // groundwork:cluster create: the cluster, its OIDC provider, the roles and buckets first; the platform installs on its kubeconfig
  // (loaded only then: @pulumi/aws and @pulumi/eks are optional peer dependencies)
  const aws = config.cluster === 'create' ? loadAwsCloud() : undefined;
  const cloud = aws !== undefined ? new aws.EksPlatformCloud('groundwork-cloud', { rendering, config }) : undefined;
  // groundwork:cluster existing on EKS: the buckets and zone the config names must exist; the platform waits for the
  // lookups. Not on a control plane without nodes (groundwork:skipAwait, the e2e run's): no cloud account stands
  // behind it, so there is nothing to look up (and no AWS provider plugin is installed there)
  const real = config.skipAwait !== 'true';
  const lookups =
    real && cloud === undefined && rendering.env.cluster.provider === 'eks' ? loadAwsLookups() : undefined;
  const looked = lookups?.allFound(lookups.lookUpExistingCloud(config)).apply(() => []);
  const install = installOptions(config);
  const platform = new GroundworkPlatform(
    'groundwork',
    { rendering, install, ...(cloud !== undefined ? { kubeconfig: cloud.kubeconfig } : {}) },
    cloud !== undefined ? { dependsOn: [cloud] } : looked !== undefined ? { dependsOn: looked } : undefined,
  );
  return {
    environment: rendering.env.name,
    waves: platform.apps.waves,
    addonReleases: [...platform.addons.releases.keys()],
  };
}
