import {
  AppConfig,
  checkManifests,
  type ManifestObject,
  metricsServer,
  WebService,
  type WebServiceProps,
} from '../../constructs';
import { findSecrets, secretInValue, secretLikeName, secretsInArgs } from '../../constructs/internal/secrets';
import { rendered, STACKS } from '../helpers/stacks';
import { errorOf, validationErrorOf } from '../helpers/synth';

const base: WebServiceProps = { image: 'ghcr.io/acme/api:1.4.2', port: 8080 };
const SECRET = 'hunter2-do-not-print';

describe('one secret rule', () => {
  test.each([
    'AWS_SECRET_ACCESS_KEY',
    'stripe_secret_key',
    'DB_PASSWORD',
    'github-token',
    'apiKey',
    'API_KEY_PRIMARY',
    'accessKey',
    'secretKey',
    'PRIVATE_KEY_PEM',
    'gcp_credentials_json',
    'adminPassword',
  ])('%s is a secret-like name', (name) => expect(secretLikeName(name)).toBe(true));

  test.each([
    'secretName',
    'existingSecret',
    'privateKeySecretRef',
    'passwordKey',
    'userKey',
    'tokenSecretNamespace',
    'LOG_LEVEL',
  ])('%s is not (a reference, or no secret word)', (name) => expect(secretLikeName(name)).toBe(false));

  test('values: literals under secret-like keys, env pairs, URLs with credentials and PEM private keys; settings and references pass', () => {
    const found = findSecrets(
      {
        grafana: { adminPassword: SECRET, admin: { existingSecret: 'grafana-admin', passwordKey: 'admin-password' } },
        automountServiceAccountToken: false,
        tokenTTL: 3600,
        env: [
          { name: 'DATABASE_URL', value: `postgres://app:${SECRET}@db:5432/app` },
          { name: 'API_TOKEN', value: SECRET },
          { name: 'LOG_LEVEL', value: 'debug' },
        ],
        tls: {
          key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
          ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        },
        extraArgs: ['--db-password=' + SECRET],
      },
      'values',
    );
    expect(found).toEqual([
      { path: 'values.grafana.adminPassword', why: 'a literal under adminPassword' },
      { path: 'values.env[0].value', why: 'a URL with credentials in it' },
      { path: 'values.env[1].value', why: 'a literal for API_TOKEN' },
      { path: 'values.tls.key', why: 'a PEM private key' },
    ]);
    // args lists are read as command lines
    expect(secretsInArgs(['serve', '--db-password=' + SECRET, '--token', SECRET, '--verbose', 'true'], 'args')).toEqual(
      [
        { path: 'args[1]', why: 'a literal for db-password' },
        { path: 'args[3]', why: 'a literal for --token' },
      ],
    );
  });
});

describe('refused where values are rendered, never echoed', () => {
  test.each([
    [
      'an env literal named anywhere like a secret',
      { env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: SECRET }] },
      'env[0].value ("<redacted>") looks like a secret (a literal for AWS_SECRET_ACCESS_KEY)',
    ],
    [
      'a password inside a URL',
      { env: [{ name: 'DATABASE_URL', value: `postgres://app:${SECRET}@db/app` }] },
      'env[0].value ("<redacted>") looks like a secret (a URL with credentials in it)',
    ],
    [
      'a password flag in args',
      { args: ['--db-password=' + SECRET] },
      'args[0] ("<redacted>") looks like a secret (a literal for db-password): pass it through an env var from a Secret',
    ],
    [
      'a token after its flag in command',
      { command: ['app', '--token', SECRET] },
      'command[2] ("<redacted>") looks like a secret (a literal for --token)',
    ],
  ])('WebService: %s', (_what, props, message) => {
    const text = errorOf((c) => new WebService(c, 'api', { ...base, ...props }));
    expect(text).toContain(`WebService 'test/api': ${message}`);
    expect(text).not.toContain(SECRET);
  });

  test('AppConfig: a secret-like key anywhere in the name, or a value that is a secret by itself', () => {
    const text = errorOf(
      (c) =>
        new AppConfig(c, 'cfg', { data: { stripe_secret_key: SECRET, REDIS_URL: `redis://:${SECRET}@redis:6379` } }),
    );
    expect(text).toContain(
      'AppConfig \'test/cfg\': data["stripe_secret_key"] ("<redacted>") looks like a secret (a literal under a secret-like key)',
    );
    expect(text).toContain(
      'AppConfig \'test/cfg\': data["REDIS_URL"] ("<redacted>") looks like a secret (a URL with credentials in it)',
    );
    expect(text).not.toContain(SECRET);
  });

  test("an add-on's values escape hatch", () => {
    const text = validationErrorOf(() => metricsServer({ values: { grafana: { adminPassword: SECRET } } }));
    expect(text).toBe(
      "Addon 'metrics-server': values.grafana.adminPassword (\"<redacted>\") looks like a secret (a literal under adminPassword): the value is not shown; reference it instead (a Secret through secretKeyRef or envFrom, an ExternalSecret, or the chart's existingSecret)",
    );
  });

  test('checkManifests: Pods, ConfigMaps and GitOps objects carrying a secret fail secret-values, without the value', () => {
    const objects: ManifestObject[] = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'apps' },
        data: { PRIVATE_KEY: SECRET },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'grafana', namespace: 'argocd' },
        spec: { source: { helm: { valuesObject: { adminPassword: SECRET } } } },
      },
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'x', namespace: 'flux-system' },
        spec: { values: { auth: { url: `https://u:${SECRET}@h` } } },
      },
    ];
    const found = checkManifests(objects).filter((v) => v.rule === 'secret-values');
    expect(found.map((v) => `${v.object}: ${v.message.split(':')[0]}`)).toEqual([
      'ConfigMap apps/c: data.PRIVATE_KEY looks like a secret (a literal under PRIVATE_KEY)',
      'Application argocd/grafana: spec.source.helm.valuesObject.adminPassword looks like a secret (a literal under adminPassword)',
      'HelmRelease flux-system/x: spec.values.auth.url looks like a secret (a URL with credentials in it)',
    ]);
    expect(JSON.stringify(found)).not.toContain(SECRET);
  });

  test.each(STACKS)(
    '%s: nothing secret-looking anywhere in the output (apps, add-on values and companions, GitOps files)',
    (stack) => {
      const r = rendered(stack);
      const everything = [
        ...r.objects,
        ...r.addons.declarations.flatMap((d) => [d.values, ...d.prerequisites, ...d.companions]),
        ...r.gitops.files.flatMap((f) => f.objects),
        ...r.gitops.bootstrap,
      ];
      // ExternalSecret target keys (`secretKey`) name keys, they hold no value, and a ResourceQuota's
      // `spec.hard.secrets` is how many Secrets (core/v1 ResourceList): everything else must be clean
      const quotaCounts = new Set(
        everything.flatMap((o, i) =>
          (o as { kind?: unknown }).kind === 'ResourceQuota' ? [`output[${i}].spec.hard.secrets`] : [],
        ),
      );
      const findings = findSecrets(everything, 'output').filter(
        (f) => !/\.data\[\d+\]\.secretKey$/.test(f.path) && !quotaCounts.has(f.path),
      );
      expect(findings).toEqual([]);
    },
  );
});

describe('secrets inside URLs', () => {
  test.each([
    ['https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX', 'a webhook URL (its path is the credential)'],
    ['https://discord.com/api/webhooks/123/abc', 'a webhook URL (its path is the credential)'],
    [
      'https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y',
      'a webhook URL (its path is the credential)',
    ],
    ['https://api.example.org/v1/events?token=s3cr3t', 'a URL with a credential in its query'],
    [
      'https://bucket.s3.amazonaws.com/f?X-Amz-Credential=a&X-Amz-Signature=abc',
      'a URL with a credential in its query',
    ],
    ['https://acct.blob.core.windows.net/c/f?sv=2024&sig=abc%3D', 'a URL with a credential in its query'],
  ])('%s is a secret', (value, why) => expect(secretInValue(value)).toBe(why));

  test.each([
    'https://api.example.org/v1/events?page=2',
    'https://idp.example.org/oauth/token',
    'https://api.example.org/x?token={{args.token}}',
    'https://api.example.org/x?token=$(TOKEN)',
    'https://api.example.org/x?mytoken=abc',
    'plain text mentioning token=abc without a URL',
  ])('%s is not', (value) => expect(secretInValue(value)).toBeUndefined());
});
