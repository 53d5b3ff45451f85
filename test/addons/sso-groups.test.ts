/** SSO groups from stack config (issue 20 item 3): groundwork:oidcAdminGroups and oidcEditorGroups reach Argo CD's RBAC and Grafana's roles. */
import { parseStackConfig, renderEnvironment } from '../../constructs';
import { loadStack } from '../../stacks/stack-config';
import { OIDC_CONFIG as OIDC } from '../helpers/sso';
import { at } from '../helpers/values';

function raw(stack: string, extra: Record<string, string>): Record<string, string> {
  const { config } = loadStack(stack);
  const own = Object.fromEntries(Object.entries(config).map(([k, v]) => [`groundwork:${k}`, String(v)]));
  return { 'groundwork:environment': stack, ...own, ...extra };
}
function render(stack: string, extra: Record<string, string>): ReturnType<typeof renderEnvironment> {
  const { definition, source } = loadStack(stack);
  return renderEnvironment(definition, parseStackConfig(raw(stack, extra), stack, source), { stack, source });
}
const valuesOf = (r: ReturnType<typeof render>, addon: 'argo-cd' | 'kube-prometheus-stack'): unknown =>
  r.addons.plan.addons.get(addon)?.values;
function problemOf(stack: string, extra: Record<string, string>): string {
  try {
    parseStackConfig(raw(stack, extra), stack, loadStack(stack).source);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected parseStackConfig to throw');
}

describe('SSO groups from stack config (prod)', () => {
  const r = render('prod', {
    ...OIDC,
    'groundwork:oidcAdminGroups': 'platform-admins, sre',
    'groundwork:oidcEditorGroups': 'shop-devs',
  });

  test('admin groups get role:admin in Argo CD', () => {
    expect(at(valuesOf(r, 'argo-cd'), 'configs', 'rbac', 'policy.csv')).toBe(
      'g, platform-admins, role:admin\ng, sre, role:admin\n',
    );
  });

  test('admin groups are Grafana Admins, editor groups Editors, the rest Viewers', () => {
    expect(
      at(valuesOf(r, 'kube-prometheus-stack'), 'grafana', 'grafana.ini', 'auth.generic_oauth', 'role_attribute_path'),
    ).toBe(
      "(contains(groups[*], 'platform-admins') || contains(groups[*], 'sre')) && 'Admin' || (contains(groups[*], 'shop-devs')) && 'Editor' || 'Viewer'",
    );
  });

  test('without the group keys: no admin, everyone a Viewer (as before)', () => {
    const plain = render('prod', OIDC);
    expect(at(valuesOf(plain, 'argo-cd'), 'configs', 'rbac', 'policy.csv')).toBe('');
    expect(
      at(
        valuesOf(plain, 'kube-prometheus-stack'),
        'grafana',
        'grafana.ini',
        'auth.generic_oauth',
        'role_attribute_path',
      ),
    ).toBe("'Viewer'");
  });
});

describe('SSO group keys refused', () => {
  test('an empty name, naming the key and the value', () => {
    expect(problemOf('prod', { ...OIDC, 'groundwork:oidcAdminGroups': 'admins,,sre' })).toContain(
      'groundwork:oidcAdminGroups ("admins,,sre") must be group names separated by commas: none empty, no control characters, at most 256 characters each',
    );
  });
  test('a newline (it would add an Argo CD policy line), and a group twice', () => {
    expect(problemOf('prod', { ...OIDC, 'groundwork:oidcEditorGroups': 'devs\np, x, *, *, *, allow' })).toContain(
      'groundwork:oidcEditorGroups',
    );
    expect(problemOf('prod', { ...OIDC, 'groundwork:oidcAdminGroups': 'sre, sre' })).toContain(
      'groundwork:oidcAdminGroups ("sre, sre") must name each group once',
    );
  });
  test('groups without the issuer', () => {
    expect(problemOf('prod', { 'groundwork:oidcAdminGroups': 'sre' })).toContain(
      'single sign-on needs groundwork:oidcIssuerUrl, oidcClientId and oidcClientSecret together; set: oidcAdminGroups',
    );
  });
});
