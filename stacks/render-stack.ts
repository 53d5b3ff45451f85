import { type EnvironmentRendering, renderEnvironment } from '../constructs';
import type { Definitions } from '../environments';
import { type LoadedStack, loadStack, projectRoot } from './stack-config';

/** Renders stack `stack`: its `Pulumi.<stack>.yaml`, the environment it selects and the apps that environment chooses. */
export function renderStack(
  stack: string,
  root: string = projectRoot(),
  definitions?: Definitions,
): EnvironmentRendering {
  return renderLoaded(loadStack(stack, root, definitions));
}

/** Renders a stack already read (its config and the definition it selects). */
export function renderLoaded({ stack, config, definition, source }: LoadedStack): EnvironmentRendering {
  return renderEnvironment(definition, config, { stack, source });
}
