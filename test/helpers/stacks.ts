/** The shipped stacks (`Pulumi.<stack>.yaml` + their environment definitions), rendered once per test file. */
import { type Environment, type EnvironmentRendering, renderEnvironment } from '../../constructs';
import { renderStack } from '../../stacks/render-stack';
import { loadStack, stackNames } from '../../stacks/stack-config';

const cache = new Map<string, EnvironmentRendering>();
const withDemo = new Map<string, EnvironmentRendering>();

/** Every shipped stack name (kind, dev, staging, prod). */
export const STACKS = stackNames();

/** The rendering of shipped stack `stack`. */
export function rendered(stack: string): EnvironmentRendering {
  let r = cache.get(stack);
  if (r === undefined) cache.set(stack, (r = renderStack(stack)));
  return r;
}

/** The resolved environment of shipped stack `stack`. */
export function shippedEnv(stack: string): Environment {
  return rendered(stack).env;
}

/**
 * Shipped stack `stack` with the demo apps turned on (`groundwork:demo: "true"`): the cloud stacks
 * leave the demo off as shipped, and tests of what the demo exercises (tenants, canaries, routes
 * on every platform profile) read this rendering instead.
 */
export function renderedWithDemo(stack: string): EnvironmentRendering {
  let r = withDemo.get(stack);
  if (r === undefined) {
    const { config, definition, source } = loadStack(stack);
    withDemo.set(stack, (r = renderEnvironment(definition, { ...config, demo: 'true' }, { stack, source })));
  }
  return r;
}
