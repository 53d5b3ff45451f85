/** Single sign-on (issue 20 item 3): OIDC for Argo CD and Grafana from stack config, tenant groups as apps-project roles. */
import { type ManifestObject, parseStackConfig, renderEnvironment } from '../../constructs';
import { argoCd } from '../../constructs/addons/argo-cd';
import { loadStack } from '../../stacks/stack-config';
import { validated, validationErrorOf } from '../helpers/synth';
import { OIDC_CONFIG as OIDC } from '../helpers/sso';
import { at } from '../helpers/values';

type Json = Record<string, unknown>;

function render(stack: string, extra: Record<string, string>, demo = false): ReturnType<typeof renderEnvironment> {
  const { definition, source } = loadStack(stack);
  const raw = {
    'groundwork:environment': stack,
    ...rawOf(stack),
    ...extra,
    ...(demo ? { 'groundwork:demo': 'true' } : {}),
  };
  return renderEnvironment(definition, parseStackConfig(raw, stack, source), { stack, source });
}

function rawOf(stack: string): Record<string, string> {
  const { config } = loadStack(stack);
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [`groundwork:${k}`, String(v)]));
}

const values = (r: ReturnType<typeof render>, id: string): Json =>
  r.addons.plan.addons.get(id as never)?.values as Json;
const companions = (r: ReturnType<typeof render>, id: string): ManifestObject[] => [
  ...(r.addons.plan.addons.get(id as never)?.companions ?? []),
];

describe('stack config', () => {
  test('the three OIDC keys come together', () => {
    expect(
      validationErrorOf(() =>
        parseStackConfig({ 'groundwork:oidcIssuerUrl': OIDC['groundwork:oidcIssuerUrl'] }, 'staging', 'f'),
      ),
    ).toMatch(/needs groundwork:oidcIssuerUrl, oidcClientId and oidcClientSecret together; set: oidcIssuerUrl/);
  });
  test('a literal client secret is refused without being echoed', () => {
    const planted = 'q8Zr7XcV2pLm9TnB4wKs6YhD';
    const message = validationErrorOf(() =>
      parseStackConfig({ ...OIDC, 'groundwork:oidcClientSecret': planted }, 'staging', 'f'),
    );
    expect(message).toMatch(/groundwork:oidcClientSecret \(<redacted>\) looks like the secret itself/);
    expect(message).not.toContain(planted);
  });
  test('the issuer must be https and the KMS key an ARN', () => {
    expect(
      validationErrorOf(() => parseStackConfig({ ...OIDC, 'groundwork:oidcIssuerUrl': 'http://idp' }, 'staging', 'f')),
    ).toMatch(/must be an https URL/);
    expect(
      validationErrorOf(() => parseStackConfig({ 'groundwork:backupKmsKeyId': 'my-key' }, 'staging', 'f')),
    ).toMatch(/must be a KMS key or alias ARN/);
  });
});

describe('with OIDC configured (staging)', () => {
  const r = render('staging', OIDC, true);
  const argo = values(r, 'argo-cd');

  test('Argo CD: oidc.config with the client secret from a Secret, admin off, no default role', () => {
    const cm = at(argo, 'configs', 'cm') as Json;
    expect(cm['admin.enabled']).toBe(false);
    expect(cm.url).toBe('https://argocd.staging.example.com');
    expect(String(cm['oidc.config'])).toContain('issuer: "https://login.corp.test/realms/platform"');
    expect(String(cm['oidc.config'])).toContain('clientSecret: "$oidc-client:clientSecret"');
    expect(at(argo, 'configs', 'rbac')).toEqual({ 'policy.default': '', 'policy.csv': '', scopes: '[groups]' });
    const es = companions(r, 'argo-cd').find((o) => o.kind === 'ExternalSecret');
    expect(at(es, 'spec', 'target')).toEqual({
      name: 'oidc-client',
      creationPolicy: 'Owner',
      template: { metadata: { labels: { 'app.kubernetes.io/part-of': 'argocd' } } },
    });
    expect(at(es, 'spec', 'data')).toEqual([
      { secretKey: 'clientSecret', remoteRef: { key: 'groundwork/oidc', property: 'clientSecret' } },
    ]);
  });

  test("tenant groups become the apps project's roles, admins bound to their namespaces", () => {
    const apps = r.gitops.bootstrap.find((o) => o.kind === 'AppProject' && o.metadata?.name === 'apps');
    const roles = at(apps, 'spec', 'roles') as Json[];
    expect(roles.length).toBeGreaterThan(0);
    const admin = roles.find((x) => x.name === 'shop-admin');
    expect(at(admin, 'groups')).toEqual(['shop-admins']);
    expect(at(admin, 'policies')).toContain('p, proj:apps:shop-admin, applications, delete/*/*/shop/*, apps/*, allow');
    const view = roles.find((x) => x.name === 'shop-view');
    expect(at(view, 'policies')).toEqual(['p, proj:apps:shop-view, applications, get, apps/*, allow']);
    for (const role of roles)
      for (const p of at(role, 'policies') as string[]) expect(p).not.toMatch(/applications, \*,/);
    validated(r.gitops.bootstrap as ManifestObject[]);
  });

  test('the SSO ExternalSecrets pass the schema and hardening checks', () => {
    validated(companions(r, 'argo-cd').filter((o) => o.kind === 'ExternalSecret'));
  });
});

describe('without OIDC', () => {
  test('no SSO values, the admin account stays', () => {
    const r = render('staging', {});
    expect(at(values(r, 'argo-cd'), 'configs', 'cm', 'admin.enabled')).toBeUndefined();
    expect(at(values(r, 'argo-cd'), 'configs', 'rbac')).toBeUndefined();
    expect(at(values(r, 'kube-prometheus-stack'), 'grafana', 'grafana.ini')).toBeUndefined();
  });
  test('kind renders without an identity provider', () => {
    expect(render('kind', {}).ok).toBe(true);
  });
});

describe('planted literals', () => {
  const sso = {
    issuerUrl: 'https://idp.test',
    clientId: 'c',
    clientSecret: { secretStore: 'platform-secrets', remoteKey: 'oidc' },
    url: 'https://argocd.test',
  };
  test('a literal clientSecret in oidc.config is refused, unechoed', () => {
    const message = validationErrorOf(() =>
      argoCd({ values: { configs: { cm: { 'oidc.config': 'issuer: x\nclientSecret: hunter2hunter2\n' } } } }),
    );
    expect(message).toMatch(/oidc.config"\]\.clientSecret/);
    expect(message).not.toContain('hunter2');
  });
  test('admin groups map to Argo CD role:admin', () => {
    const a = argoCd({ sso: { ...sso, adminGroups: ['platform-admins'] } }).values;
    expect(at(a, 'configs', 'rbac', 'policy.csv')).toBe('g, platform-admins, role:admin\n');
  });
});
