import { environments } from '../../environments';
import { installMocks, settle, value } from '../helpers/pulumi-mocks';

const created = installMocks('kind');

describe('Pulumi rendering (mocked engine)', () => {
  test('PlatformStack applies every synthesized object through ordered ConfigGroups on the env provider', async () => {
    // GIVEN the kind environment's objects
    const { buildPlatform, platformObjects } = await import('../../stacks/platform');
    const { PlatformStack } = await import('../../stacks/platform-stack');
    const objects = platformObjects(buildPlatform(environments.kind));
    // WHEN
    const stack = new PlatformStack('gw', { env: environments.kind, objects });
    const waves = await value(stack.waves);
    await settle(stack.groups);
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
