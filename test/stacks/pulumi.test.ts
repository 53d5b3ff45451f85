import * as pulumi from '@pulumi/pulumi';
import { environments } from '../../environments';

interface Created { type: string; name: string; inputs: any }
const created: Created[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}_id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  'k8s-groundwork',
  'kind',
  false,
);

function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

describe('Pulumi rendering (mocked engine)', () => {
  test('PlatformStack applies every synthesized object through ordered ConfigGroups on the env provider', async () => {
    // GIVEN the kind environment's objects
    const { buildPlatform, platformObjects } = await import('../../stacks/platform');
    const { PlatformStack } = await import('../../stacks/platform-stack');
    const objects = platformObjects(buildPlatform(environments.kind));
    // WHEN
    const stack = new PlatformStack('gw', { env: environments.kind, objects });
    const waves = await value(stack.waves);
    const children = await Promise.all(stack.groups.map((g) => value(g.resources)));
    await Promise.all(children.flatMap((m) => Object.values(m)).map((r: any) => value(r.urn)));
    // THEN
    expect(waves).toEqual(['00-namespaces', '20-identity', '30-config', '40-services', '50-workloads', '60-policies', '70-routing']);
    const provider = created.find((c) => c.type === 'pulumi:providers:kubernetes');
    expect(provider?.inputs.context).toBe('kind-groundwork');
    const k8sObjects = created.filter((c) => c.type.startsWith('kubernetes:') && c.type !== 'kubernetes:yaml:ConfigGroup');
    expect(k8sObjects).toHaveLength(objects.length);
    const dep = k8sObjects.find((c) => c.type === 'kubernetes:apps/v1:Deployment' && c.inputs.metadata.name === 'api');
    expect(dep?.inputs.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(created.some((c) => c.type === 'groundwork:stacks:PlatformStack')).toBe(true);
    // the component does not mutate the objects it was given (the YAML path reuses them)
    expect(objects[0].metadata?.name).toBe('shop');
  });
});
