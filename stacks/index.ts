/**
 * The Pulumi program: `pulumi up --stack <kind|dev|staging|prod>`.
 * Everything user-specific comes from the stack's config (`Pulumi.<stack>.yaml`, namespace
 * `groundwork`); `groundwork:environment` picks the environment definition. The rendering is the
 * one `npm run synth` writes, and it is refused (before any resource is registered) when preflight,
 * the hardening checks, the platform order check or the add-on budget fail.
 */
import * as pulumi from '@pulumi/pulumi';
import { renderEnvironment } from '../constructs';
import { GroundworkPlatform, stackConfig } from '../constructs/pulumi';
import { definitionFor } from '../environments';
import { demoApps } from './demo-apps';

const stack = pulumi.getStack();
const config = stackConfig();
const rendering = renderEnvironment(definitionFor(config.environment), config, { stack, apps: demoApps });
const platform = new GroundworkPlatform('groundwork', { rendering });

export const environment = rendering.env.name;
export const waves = platform.apps.waves;
export const addonReleases = [...platform.addons.releases.keys()];
