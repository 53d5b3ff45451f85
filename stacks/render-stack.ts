import { type EnvironmentRendering, renderEnvironment } from '../constructs';
import { demoApps } from './demo-apps';
import { loadStack, projectRoot } from './stack-config';

/** Renders stack `stack` (its `Pulumi.<stack>.yaml` and the environment it selects) with the demo apps. */
export function renderStack(stack: string, root: string = projectRoot()): EnvironmentRendering {
  const { config, definition, source } = loadStack(stack, root);
  return renderEnvironment(definition, config, { stack, source, apps: demoApps });
}
