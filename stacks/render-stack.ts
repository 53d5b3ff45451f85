import { type EnvironmentRendering, renderEnvironment } from '../constructs';
import type { Definitions } from '../environments';
import { loadStack, projectRoot } from './stack-config';

/** Renders stack `stack`: its `Pulumi.<stack>.yaml`, the environment it selects and the apps that environment chooses. */
export function renderStack(
  stack: string,
  root: string = projectRoot(),
  definitions?: Definitions,
): EnvironmentRendering {
  const { config, definition, source } = loadStack(stack, root, definitions);
  return renderEnvironment(definition, config, { stack, source });
}
