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
import { GroundworkPlatform, installOptions, stackConfig } from '../constructs/pulumi';
import type * as AwsCloud from '../constructs/pulumi/aws/eks-cluster';
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

/**
 * Registers the platform of the current stack, `groundwork:environment` picking one of
 * `definitions` (the kit's by default; a platform repository passes its own); returns its outputs.
 */
export function groundworkProgram(definitions: Definitions = KIT_DEFINITIONS): ProgramOutputs {
  const stack = pulumi.getStack();
  const config = stackConfig();
  const rendering = renderEnvironment(definitionFor(config.environment, definitions), config, { stack });
  // groundwork:cluster create: the cluster, its OIDC provider, the roles and buckets first; the platform installs on its kubeconfig
  // (loaded only then: @pulumi/aws and @pulumi/eks are optional peer dependencies)
  const aws = config.cluster === 'create' ? loadAwsCloud() : undefined;
  const cloud = aws !== undefined ? new aws.EksPlatformCloud('groundwork-cloud', { rendering, config }) : undefined;
  const install = installOptions(config);
  const platform = new GroundworkPlatform(
    'groundwork',
    { rendering, install, ...(cloud !== undefined ? { kubeconfig: cloud.kubeconfig } : {}) },
    cloud !== undefined ? { dependsOn: [cloud] } : undefined,
  );
  return {
    environment: rendering.env.name,
    waves: platform.apps.waves,
    addonReleases: [...platform.addons.releases.keys()],
  };
}
