/** The shipped stacks (`Pulumi.<stack>.yaml` + their environment definitions), rendered once per test file. */
import type { Environment, EnvironmentRendering } from '../../constructs';
import { renderStack } from '../../stacks/render-stack';
import { stackNames } from '../../stacks/stack-config';

const cache = new Map<string, EnvironmentRendering>();

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
