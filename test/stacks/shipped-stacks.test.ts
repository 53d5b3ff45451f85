/**
 * The repository's own `Pulumi.<stack>.yaml` files are the team's to fill in: the suite renders the
 * fixture project instead (GROUNDWORK_PROJECT_DIR, set in jest.config.js). What holds whatever values a team puts
 * in them is checked here: each parses (known keys, valid values) and selects a known environment.
 */
import { definitionFor } from '../../environments';
import { KIT_ROOT, loadStack, projectName, projectRoot, stackNames } from '../../stacks/stack-config';

describe('shipped stack files', () => {
  test('the suite reads the fixture project, not the repository root', () => {
    expect(projectRoot()).not.toBe(KIT_ROOT);
    expect(stackNames()).toEqual(stackNames(KIT_ROOT));
  });

  test.each(stackNames(KIT_ROOT))('Pulumi.%s.yaml parses and selects a known environment', (stack) => {
    const loaded = loadStack(stack, KIT_ROOT);
    expect(definitionFor(loaded.config.environment).name).toBe(loaded.config.environment);
  });

  test('the project name (the namespace of `pulumi config set key value`) is read from Pulumi.yaml', () => {
    expect(projectName(KIT_ROOT)).toBe('k8s-groundwork');
    expect(projectName(projectRoot())).toBe('k8s-groundwork');
  });
});
