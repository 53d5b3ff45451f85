import { installMocks, useStackFile } from '../helpers/pulumi-mocks';

const created = installMocks('kind');

describe('Pulumi program (stacks/index.ts, mocked engine)', () => {
  test('the stack config picks the environment and the kube context; add-on releases and app waves are registered', async () => {
    useStackFile('kind');
    const program = await import('../../stacks/index');
    expect(program.environment).toBe('kind');
    expect(program.addonReleases).toContain('cert-manager');
    // registrations reach the mocked engine asynchronously: wait (bounded) until all releases arrived
    const count = () => created.filter((c) => c.type === 'kubernetes:helm.sh/v3:Release').length;
    for (let waited = 0; count() < program.addonReleases.length && waited < 10_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    const releases = created
      .filter((c) => c.type === 'kubernetes:helm.sh/v3:Release')
      .map((c) => c.inputs.name)
      .sort();
    expect(releases).toEqual([...program.addonReleases].sort());
    // groundwork:kubeContext from Pulumi.kind.yaml reaches the provider
    expect(created.find((c) => c.type === 'pulumi:providers:kubernetes')?.inputs.context).toBe('kind-groundwork');
    expect(created.filter((c) => c.type === 'kubernetes:yaml:ConfigGroup').map((c) => c.name)).toContain(
      'groundwork-apps-50-workloads',
    );
    expect(created.some((c) => c.type === 'groundwork:stacks:GroundworkPlatform')).toBe(true);
  });
});
