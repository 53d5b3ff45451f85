import { App, Chart } from 'cdk8s';
import { configMapKey, dns1123Label } from '../../constructs/internal/rules';
import {
  checkLabels,
  GroundworkValidationError,
  PropsValidator,
  resolveName,
  resolveNamespace,
} from '../../constructs/internal/validator';
import { checkPlatformContract } from '../../constructs/platform/contract';
import { unexplainedAllowances } from '../../constructs/rbac/rbac-rules';
import { checkNamespaceName } from '../../constructs/tenancy/namespace-claims';

/** The problems `record` leaves on a validator for `X 'app/x'` (empty when none). */
function problemsOf(record: (v: PropsValidator) => void): readonly string[] {
  const v = new PropsValidator('X', 'app/x');
  record(v);
  try {
    v.throwIfInvalid();
    return [];
  } catch (e) {
    if (e instanceof GroundworkValidationError) return e.problems;
    throw e;
  }
}

describe('validation shared by the constructs', () => {
  test('configMapKey: letters, digits, "-", "_" or ".", at most 253 characters', () => {
    expect(configMapKey('app.properties')).toBeUndefined();
    expect(configMapKey('a'.repeat(253))).toBeUndefined();
    expect(configMapKey('a'.repeat(254))).toBe('must be a ConfigMap key: letters, digits, "-", "_" or "."');
    expect(configMapKey('a/b')).toBe('must be a ConfigMap key: letters, digits, "-", "_" or "."');
    expect(configMapKey('')).toBe('must be a ConfigMap key: letters, digits, "-", "_" or "."');
  });

  test('resolveName: the given name or the fallback, checked as a subdomain unless told otherwise', () => {
    expect(problemsOf((v) => expect(resolveName(v, undefined, 'my.config', undefined)).toBe('my.config'))).toEqual([]);
    expect(problemsOf((v) => resolveName(v, 'my.config', 'id', dns1123Label))).toEqual([
      `X 'app/x': name ("my.config") ${dns1123Label('my.config')}`,
    ]);
  });

  test('resolveNamespace: props, else the Chart of a construct; a path has no Chart', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'team' });
    expect(problemsOf((v) => expect(resolveNamespace(v, chart, undefined)).toBe('team'))).toEqual([]);
    expect(problemsOf((v) => resolveNamespace(v, 'app/x', undefined))).toEqual([
      `X 'app/x': namespace (undefined) must be set to a namespace other than "default" (in props or on the Chart)`,
    ]);
    expect(problemsOf((v) => resolveNamespace(v, chart, 'default'))).toEqual([
      `X 'app/x': namespace ("default") must be set to a namespace other than "default" (in props or on the Chart)`,
    ]);
  });

  test('checkLabels: each key a label key, each value a label value', () => {
    const problems = problemsOf((v) => checkLabels(v, 'labels', { 'bad key!': 'ok', team: 'bad value!' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^X 'app\/x': labels key \("bad key!"\) must be a label key/);
    expect(problems[1]).toMatch(/^X 'app\/x': labels\["team"\] \("bad value!"\) must be a label value/);
  });

  test('checkNamespaceName: a label first, then the reserved names', () => {
    expect(problemsOf((v) => checkNamespaceName(v, 'name', 'kube-x'))).toEqual([
      `X 'app/x': name ("kube-x") must not start with "kube-" (reserved for Kubernetes)`,
    ]);
    // an invalid label is reported once, as a label
    expect(problemsOf((v) => checkNamespaceName(v, 'name', 'Kube_X'))).toEqual([
      `X 'app/x': name ("Kube_X") ${dns1123Label('Kube_X')}`,
    ]);
  });

  test('checkPlatformContract refuses anything but the contract, naming only its type', () => {
    expect(problemsOf((v) => checkPlatformContract(v, {}))).toEqual([
      `X 'app/x': platform (an object) must be the PlatformContract of platformAddons(...).contract`,
    ]);
  });

  test('unexplainedAllowances: each allowance needs its reason', () => {
    expect(unexplainedAllowances({ wildcards: 'CRD controller', escalation: ' ' })).toEqual([
      { field: 'allow.escalation', value: ' ', message: 'must give the reason (a blank reason allows nothing)' },
    ]);
    expect(unexplainedAllowances(undefined)).toEqual([]);
  });
});
