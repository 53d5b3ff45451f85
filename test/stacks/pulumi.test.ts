import { ApiObject, type Chart } from 'cdk8s';
import { GroundworkValidationError, type ManifestObject, renderEnvironment } from '../../constructs';
import { definitionFor } from '../../environments';
import { demoApps } from '../../apps/demo';
import { loadStack } from '../../stacks/stack-config';
import { installMocks, settle, value } from '../helpers/pulumi-mocks';
import { as } from '../helpers/kinds';
import { rendered } from '../helpers/stacks';

const created = installMocks('kind');

describe('Pulumi rendering (mocked engine)', () => {
  test('PlatformStack applies every rendered app object through ordered ConfigGroups on the env provider', async () => {
    // GIVEN the kind stack's rendering
    const { PlatformStack } = await import('../../constructs/pulumi');
    const r = rendered('kind');
    // WHEN
    const stack = new PlatformStack('gw', { rendering: r });
    const waves = await value(stack.waves);
    await settle(stack.groups);
    // THEN
    expect(waves).toEqual([
      '00-namespaces',
      '15-tenancy',
      '20-identity',
      '30-config',
      '40-services',
      '50-workloads',
      '60-policies',
      '70-routing',
    ]);
    const provider = created.find((c) => c.type === 'pulumi:providers:kubernetes');
    expect(provider?.inputs.context).toBe('kind-groundwork');
    const k8sObjects = created.filter(
      (c) => c.type.startsWith('kubernetes:') && c.type !== 'kubernetes:yaml:ConfigGroup',
    );
    expect(k8sObjects).toHaveLength(r.objects.length);
    const dep = k8sObjects.find((c) => c.type === 'kubernetes:apps/v1:Deployment' && c.inputs.metadata.name === 'api');
    expect(
      as(dep?.inputs as unknown as ManifestObject, 'Deployment').spec.template.spec.securityContext.seccompProfile,
    ).toEqual({ type: 'RuntimeDefault' });
    expect(created.some((c) => c.type === 'groundwork:stacks:PlatformStack')).toBe(true);
    // the component does not mutate the objects it was given (the YAML path reuses them)
    expect(r.objects[0].metadata?.name).toBe('shop');
  });

  test('GroundworkPlatform refuses a rendering that fails its checks before registering anything', async () => {
    // GIVEN the kind stack with one extra app object in a namespace nothing creates
    const { GroundworkPlatform } = await import('../../constructs/pulumi');
    const { config, definition } = loadStack('kind');
    const r = renderEnvironment(definition, config, {
      stack: 'kind',
      apps: (chart: Chart, ctx) => {
        demoApps(chart, ctx);
        new ApiObject(chart, 'rogue', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'rogue', namespace: 'nowhere' },
          data: {},
        });
      },
    });
    const before = created.length;
    // WHEN / THEN
    expect(() => new GroundworkPlatform('bad', { rendering: r })).toThrow(GroundworkValidationError);
    expect(() => new GroundworkPlatform('bad', { rendering: r })).toThrow(
      /platform: ConfigMap nowhere\/rogue \(apps 30-config\): namespace 'nowhere' does not exist yet/,
    );
    expect(created.length).toBe(before);
    expect(definitionFor('kind').name).toBe('kind');
  });
});
