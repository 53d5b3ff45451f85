import { type EnvironmentRendering, renderEnvironment } from '../constructs';
import { loadStack, projectRoot } from './stack-config';

/** Renders stack `stack`: its `Pulumi.<stack>.yaml`, the environment it selects and the apps that environment chooses. */
export function renderStack(stack: string, root: string = projectRoot()): EnvironmentRendering {
  const { config, definition, source } = loadStack(stack, root);
  return renderEnvironment(definition, config, { stack, source });
}
