/**
 * The Pulumi program: `pulumi up --stack <kind|dev|staging|prod>`.
 * The stack name picks the environment (override with `pulumi config set groundwork:environment <name>`).
 */
import * as pulumi from '@pulumi/pulumi';
import { environmentFor } from '../environments';
import { buildPlatform, platformObjects } from './platform';
import { PlatformStack } from './platform-stack';

const config = new pulumi.Config('groundwork');
const env = environmentFor(config.get('environment') ?? pulumi.getStack());
const platform = new PlatformStack('groundwork', { env, objects: platformObjects(buildPlatform(env)) });

export const environment = env.name;
export const waves = platform.waves;
