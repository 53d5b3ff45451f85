/** Pulumi unit-test mocks shared by the stack tests: every registered resource is recorded. */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { readStackFile } from '../../stacks/stack-config';

/** A resource the mocked engine was asked to create. */
export interface CreatedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
}

/** Installs mocks for `stack` (call before importing code that creates resources); returns the record. */
export function installMocks(stack: string): CreatedResource[] {
  const created: CreatedResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'k8s-groundwork',
    stack,
    false,
  );
  return created;
}

/** Resolves an Output in a test. */
export function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

/** Waits until ConfigGroups have registered every child (v1 ConfigGroups expand asynchronously). */
export async function settle(groups: readonly { resources: pulumi.Output<Record<string, pulumi.CustomResource>> }[]): Promise<void> {
  const children = await Promise.all(groups.map((g) => value(g.resources)));
  await Promise.all(children.flatMap((m) => Object.values(m)).map((r) => value(r.urn)));
}

/**
 * A resource transformation that records each child's `dependsOn` by resource name; pass it in
 * the component's `transformations` option (the mocked engine does not see dependsOn).
 */
export function recordDependsOn(into: Map<string, string[]>): pulumi.ResourceTransformation {
  return (args) => {
    const deps = args.opts.dependsOn ?? [];
    const list = (Array.isArray(deps) ? deps : [deps]) as pulumi.Resource[];
    into.set(args.name, list.map((r) => (r as unknown as { __name: string }).__name));
    return undefined;
  };
}

/** Loads the shipped `Pulumi.<stack>.yaml` into the mocked runtime's config, as `pulumi up` would. */
export function useStackFile(stack: string): void {
  const raw = readStackFile(path.resolve(__dirname, '../..', `Pulumi.${stack}.yaml`));
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])));
}
