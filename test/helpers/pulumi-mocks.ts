/** Pulumi unit-test mocks shared by the stack tests: every registered resource is recorded. */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { readStackFile, projectRoot } from '../../stacks/stack-config';

/** A resource the mocked engine was asked to create. */
export interface CreatedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Inputs;
}

/**
 * Resource inputs as a test reads them: the fields of Helm releases, providers and Kubernetes
 * objects the tests assert on (a field the resource lacks reads as undefined at run time). A
 * Kubernetes object's whole body is read through its kind's interface (`as` in kinds.ts).
 */
export interface Inputs {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly context: string;
  readonly repositoryOpts: { readonly repo: string };
  readonly values: Readonly<Record<string, unknown>>;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
}

/**
 * Installs mocks for `stack` (call at the top of a test file, before importing code that creates
 * resources); returns the record. The file's tests wait for the installation in a beforeAll.
 */
export function installMocks(stack: string): CreatedResource[] {
  const created: CreatedResource[] = [];
  const installed = pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Inputs;
        created.push({ type: args.type, name: args.name, inputs });
        return { id: `${args.name}_id`, state: inputs };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    'k8s-groundwork',
    stack,
    false,
  );
  beforeAll(() => installed);
  return created;
}

/** Resolves an Output in a test. */
export function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

/** Waits until ConfigGroups have registered every child (v1 ConfigGroups expand asynchronously). */
export async function settle(
  groups: readonly { resources: pulumi.Output<Record<string, pulumi.CustomResource>> }[],
): Promise<void> {
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
    into.set(
      args.name,
      list.map((r) => (r as unknown as { __name: string }).__name),
    );
    return undefined;
  };
}

/** Loads the fixture project's `Pulumi.<stack>.yaml` into the mocked runtime's config, as `pulumi up` would. */
export function useStackFile(stack: string): void {
  const raw = readStackFile(path.join(projectRoot(), `Pulumi.${stack}.yaml`));
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])));
}
