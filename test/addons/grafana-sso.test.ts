/** Grafana single sign-on (issue 20 item 3): auth.generic_oauth from stack config, the client secret through the secret store, no password login. */
import { type ManifestObject, parseStackConfig, renderEnvironment } from '../../constructs';
import { kubePrometheusStack } from '../../constructs/addons/kube-prometheus-stack';
import { loadStack } from '../../stacks/stack-config';
import { validated, validationErrorOf } from '../helpers/synth';
import { OIDC_CONFIG as OIDC } from '../helpers/sso';
import { at } from '../helpers/values';

type Json = Record<string, unknown>;

function render(stack: string, extra: Record<string, string>): ReturnType<typeof renderEnvironment> {
  const { definition, source, config } = loadStack(stack);
  const own = Object.fromEntries(Object.entries(config).map(([k, v]) => [`groundwork:${k}`, String(v)]));
  const raw = { 'groundwork:environment': stack, ...own, ...extra };
  return renderEnvironment(definition, parseStackConfig(raw, stack, source), { stack, source });
}
const grafanaOf = (r: ReturnType<typeof render>): Json =>
  at(r.addons.plan.addons.get('kube-prometheus-stack')?.values, 'grafana') as Json;
const companionsOf = (r: ReturnType<typeof render>): ManifestObject[] => [
  ...(r.addons.plan.addons.get('kube-prometheus-stack')?.companions ?? []),
];

describe('Grafana with OIDC configured (prod)', () => {
  const r = render('prod', OIDC);
  const grafana = grafanaOf(r);

  test('auth.generic_oauth carries the provider, no client secret in the ini', () => {
    const oauth = at(grafana, 'grafana.ini', 'auth.generic_oauth') as Json;
    expect(oauth).toMatchObject({
      enabled: true,
      client_id: 'groundwork',
      auth_url: 'https://login.corp.test/realms/platform/auth',
      token_url: 'https://login.corp.test/realms/platform/token',
      api_url: 'https://login.corp.test/realms/platform/userinfo',
      role_attribute_path: "'Viewer'",
    });
    expect(oauth.client_secret).toBeUndefined();
    expect(at(grafana, 'grafana.ini', 'server', 'root_url')).toBe('https://grafana.example.com');
  });

  test('the login form and basic auth are off: the admin account signs in nowhere', () => {
    expect(at(grafana, 'grafana.ini', 'auth', 'disable_login_form')).toBe(true);
    expect(at(grafana, 'grafana.ini', 'auth.basic', 'enabled')).toBe(false);
  });

  test('the client secret comes from the Secret an ExternalSecret makes', () => {
    expect(at(grafana, 'envValueFrom', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET')).toEqual({
      secretKeyRef: { name: 'oidc-client', key: 'clientSecret' },
    });
    const es = companionsOf(r).find((o) => o.kind === 'ExternalSecret' && o.metadata?.name === 'oidc-client');
    expect(at(es, 'metadata', 'namespace')).toBe('monitoring');
    expect(at(es, 'spec', 'secretStoreRef')).toEqual({ kind: 'ClusterSecretStore', name: 'platform-secrets' });
    expect(at(es, 'spec', 'data')).toEqual([
      { secretKey: 'clientSecret', remoteRef: { key: 'groundwork/oidc', property: 'clientSecret' } },
    ]);
    validated([es as ManifestObject]);
  });
});

describe('roles and checks', () => {
  const sso = {
    issuerUrl: 'https://idp.test',
    clientId: 'grafana',
    clientSecret: { secretStore: 'platform-secrets', remoteKey: 'oidc' },
    url: 'https://grafana.test',
    endpoints: {
      authUrl: 'https://idp.test/auth',
      tokenUrl: 'https://idp.test/token',
      apiUrl: 'https://idp.test/userinfo',
    },
  };
  test('admin groups map to Admin, editor groups to Editor, everyone else to Viewer', () => {
    const values = kubePrometheusStack({
      sso: { ...sso, adminGroups: ['platform-admins'], editorGroups: ['shop-admins', "o'brien"] },
    }).values;
    expect(at(values, 'grafana', 'grafana.ini', 'auth.generic_oauth', 'role_attribute_path')).toBe(
      "(contains(groups[*], 'platform-admins')) && 'Admin' || (contains(groups[*], 'shop-admins') || contains(groups[*], 'o\\'brien')) && 'Editor' || 'Viewer'",
    );
  });
  test('an endpoint that is not https is refused, naming the field', () => {
    expect(
      validationErrorOf(() =>
        kubePrometheusStack({ sso: { ...sso, endpoints: { ...sso.endpoints, tokenUrl: 'http://idp.test/token' } } }),
      ),
    ).toMatch(/sso\.endpoints\.tokenUrl.*must be an https URL/);
  });
});

describe('without the OIDC keys', () => {
  test('Grafana keeps its admin login and no SSO Secret is made', () => {
    const r = render('prod', {});
    expect(at(grafanaOf(r), 'grafana.ini')).toBeUndefined();
    expect(at(grafanaOf(r), 'envValueFrom')).toBeUndefined();
    expect(companionsOf(r).some((o) => o.metadata?.name === 'oidc-client')).toBe(false);
  });
  test('with the issuer but no endpoints, Grafana is left as it is', () => {
    const { 'groundwork:oidcEndpoints': _, ...noEndpoints } = OIDC;
    expect(at(grafanaOf(render('prod', noEndpoints)), 'grafana.ini')).toBeUndefined();
  });
});
