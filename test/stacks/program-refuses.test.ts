import { installMocks, useStackFile } from '../helpers/pulumi-mocks';

const created = installMocks('prod');

describe('Pulumi program refuses what it must not deploy (mocked engine)', () => {
  test('the shipped prod config (example values) is refused before any resource is registered', async () => {
    // GIVEN the shipped Pulumi.prod.yaml, as `pulumi up --stack prod` would load it
    useStackFile('prod');
    // WHEN the program runs
    let message = '';
    try {
      await import('../../stacks/index');
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN it names each value to set, and nothing reached the engine
    expect(message).toContain(
      'preflight: groundwork:domain ("example.com") in Pulumi.prod.yaml uses a reserved example domain',
    );
    expect(message).toContain('preflight: groundwork:acmeEmail ("platform@example.com") in Pulumi.prod.yaml');
    expect(message).toContain(
      'preflight: groundwork:gitRepoUrl ("https://github.com/example-org/platform.git") in Pulumi.prod.yaml names an example',
    );
    expect(message).toContain(
      'preflight: groundwork:awsAccountId ("333333333333") in Pulumi.prod.yaml is a placeholder account id',
    );
    expect(created).toEqual([]);
  });
});
