/**
 * Objects made outside the rendering: an app's RoleBinding to a CI runner's ServiceAccount is a
 * platform problem (it would dangle) until the environment declares that ServiceAccount external;
 * then both paths accept it (synth and the Pulumi program refuse through the same checks).
 */
import { type Chart } from 'cdk8s';
import {
  AccessBinding,
  deployableProblems,
  type EnvironmentDefinition,
  type ExternalObject,
  renderEnvironment,
} from '../../constructs';
import { kind } from '../../environments';
import { loadStack } from '../../stacks/stack-config';
import { validationErrorOf } from '../helpers/synth';

const { config } = loadStack('kind');

/** kind with `externalObjects` on its cluster facts, and an app binding the CI runner's ServiceAccount. */
function withExternal(externalObjects: readonly ExternalObject[] | undefined): EnvironmentDefinition {
  return {
    ...kind,
    build: (c, s) => {
      const env = kind.build(c, s);
      return {
        ...env,
        addons: {
          ...env.addons,
          cluster: { ...env.addons.cluster, ...(externalObjects !== undefined ? { externalObjects } : {}) },
        },
      };
    },
    apps: [
      (chart: Chart) => {
        new AccessBinding(chart, 'ci-deploys-shop', {
          namespace: 'kube-system',
          role: { clusterRole: 'view' },
          subjects: [{ kind: 'ServiceAccount', name: 'ci-runner', namespace: 'ci' }],
        });
      },
    ],
  };
}

const RUNNER: ExternalObject = {
  kind: 'ServiceAccount',
  name: 'ci-runner',
  namespace: 'ci',
  createdBy: "the CI runner's Helm release",
};

describe('external objects', () => {
  test('a RoleBinding to a ServiceAccount nothing renders blocks the deployment, naming it', () => {
    const problems = deployableProblems(renderEnvironment(withExternal(undefined), config, { stack: 'kind' }));
    expect(problems).toContain(
      'platform: RoleBinding kube-system/ci-deploys-shop (apps 20-identity): subjects refers to ServiceAccount ci/ci-runner, which does not exist yet: nothing before it creates it',
    );
  });

  test('declared external, the same binding passes every check', () => {
    const r = renderEnvironment(withExternal([RUNNER]), config, { stack: 'kind' });
    expect(r.checks.platform).toEqual([]);
    expect(deployableProblems(r)).toEqual([]);
  });

  test.each([
    [
      { ...RUNNER, kind: 'Deployment' },
      'addons.cluster.externalObjects[0].kind ("Deployment") must be one of ServiceAccount, Secret, ConfigMap, Role, ClusterRole, Namespace, StorageClass, PriorityClass',
    ],
    [{ ...RUNNER, name: 'CI_Runner' }, 'addons.cluster.externalObjects[0].name ("CI_Runner") must be'],
    [
      { kind: 'ServiceAccount', name: 'ci-runner', createdBy: 'x' },
      'addons.cluster.externalObjects[0].namespace (undefined) must be set: a ServiceAccount lives in a namespace',
    ],
    [
      { kind: 'ClusterRole', name: 'ci', namespace: 'ci', createdBy: 'x' },
      'addons.cluster.externalObjects[0].namespace ("ci") must be left out: a ClusterRole is cluster-scoped',
    ],
    [{ ...RUNNER, createdBy: ' ' }, 'addons.cluster.externalObjects[0].createdBy (" ") must say what creates it'],
    [
      { kind: 'Secret', name: 'x', namespace: 'ci' },
      'addons.cluster.externalObjects[0].createdBy (undefined) is required',
    ],
  ])('a bad declaration is refused: %j', (bad, message) => {
    const text = validationErrorOf(() =>
      renderEnvironment(withExternal([bad as ExternalObject]), config, { stack: 'kind' }),
    );
    expect(text).toContain(`Environment 'kind': ${message}`);
  });
});
