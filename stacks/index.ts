/**
 * The Pulumi program: `pulumi up --stack <kind|dev|staging|prod>`.
 * The stack name picks the environment (override with `pulumi config set groundwork:environment <name>`).
 */
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { platformAddons } from '../constructs';
import { environmentFor } from '../environments';
import { AddonsStack } from './addons-stack';
import { buildPlatform, platformObjects } from './platform';
import { PlatformStack } from './platform-stack';

const config = new pulumi.Config('groundwork');
const env = environmentFor(config.get('environment') ?? pulumi.getStack());
const provider = new k8s.Provider('cluster', { context: env.cluster.kubeContext });
const addons = new AddonsStack('addons', { addons: platformAddons(env.addons), provider });
const platform = new PlatformStack('groundwork', { env, objects: platformObjects(buildPlatform(env)), provider }, { dependsOn: [addons] });

export const environment = env.name;
export const waves = platform.waves;
export const addonReleases = [...addons.releases.keys()];
