/**
 * How the Pulumi rendering installs (stack config `groundwork:chartsDir`, `groundwork:skipAwait`):
 * pure inputs, no engine.
 */
import { type AddonDeclaration, GroundworkValidationError, parseStackConfig } from '../../constructs';
import { groupObjects, installOptions, releaseArgs, SKIP_AWAIT_ANNOTATION } from '../../constructs/pulumi';
import { rendered } from '../helpers/stacks';

const decl = (id: string): AddonDeclaration =>
  rendered('kind').addons.declarations.find((d) => d.id === id) as AddonDeclaration;

describe('Helm release inputs', () => {
  test('by default: the chart from its repository at the pin, atomic, values passed as written (empty lists and maps kept)', () => {
    const d = decl('cert-manager');
    const args = releaseArgs(d);
    expect(args).toMatchObject({
      chart: 'cert-manager',
      version: d.chart.version,
      repositoryOpts: { repo: d.chart.repository },
      atomic: true,
      allowNullValues: true,
    });
    expect(args.values).toBe(d.values);
    expect(args).not.toHaveProperty('skipAwait');
  });

  test('an OCI chart is named by its URL', () => {
    expect(releaseArgs(decl('envoy-gateway'))).toMatchObject({
      chart: 'oci://docker.io/envoyproxy/gateway-helm',
      version: 'v1.7.5',
    });
    expect(releaseArgs(decl('envoy-gateway'))).not.toHaveProperty('repositoryOpts');
  });

  test('chartsDir: the packaged archive of the pin, no repository', () => {
    const args = releaseArgs(decl('envoy-gateway'), { chartsDir: '/charts' });
    expect(args.chart).toBe('/charts/gateway-helm-v1.7.5.tgz');
    expect(args).not.toHaveProperty('repositoryOpts');
    expect(args).not.toHaveProperty('version');
  });

  test('skipAwait: Helm neither waits (atomic would) nor runs hooks', () => {
    expect(releaseArgs(decl('kyverno'), { skipAwait: true })).toMatchObject({
      atomic: false,
      skipAwait: true,
      disableWebhooks: true,
    });
  });
});

describe('ConfigGroup objects', () => {
  const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { keep: 'me' } } }];

  test('copies, annotated to skip awaiting only with skipAwait', () => {
    expect(groupObjects(objects)).toEqual(objects);
    expect(groupObjects(objects)[0]).not.toBe(objects[0]);
    expect(groupObjects(objects, { skipAwait: true })[0].metadata).toEqual({
      name: 'a',
      annotations: { keep: 'me', [SKIP_AWAIT_ANNOTATION]: 'true' },
    });
    expect(objects[0].metadata.annotations).toEqual({ keep: 'me' });
  });
});

describe('stack config', () => {
  const parse = (extra: Record<string, unknown>) =>
    parseStackConfig({ 'groundwork:environment': 'kind', ...extra }, 'kind', 'Pulumi.kind.yaml');

  test('chartsDir and skipAwait reach the install options; waiting is the default', () => {
    expect(installOptions(parse({}))).toEqual({ skipAwait: false });
    expect(installOptions(parse({ 'groundwork:chartsDir': '/srv/charts', 'groundwork:skipAwait': 'true' }))).toEqual({
      chartsDir: '/srv/charts',
      skipAwait: true,
    });
  });

  test('bad values are refused with the key and what is allowed', () => {
    expect(() => parse({ 'groundwork:skipAwait': 'yes' })).toThrow(GroundworkValidationError);
    expect(() => parse({ 'groundwork:skipAwait': 'yes' })).toThrow(
      'Pulumi.kind.yaml: groundwork:skipAwait ("yes") must be "true" or "false"',
    );
    expect(() => parse({ 'groundwork:chartsDir': '/tmp/$(x)' })).toThrow(
      'groundwork:chartsDir ("/tmp/$(x)") must be a folder path of letters',
    );
    // nothing would expand it
    expect(() => parse({ 'groundwork:chartsDir': '~/charts' })).toThrow(
      'groundwork:chartsDir ("~/charts") must be a folder path of letters',
    );
  });
});
