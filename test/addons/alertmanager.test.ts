/** Alertmanager receivers from stack config (issue 20 item 2): every secret read from a file of the Secret an ExternalSecret makes. */
import { type ManifestObject, parseStackConfig, renderEnvironment } from '../../constructs';
import { kubePrometheusStack } from '../../constructs/addons/kube-prometheus-stack';
import { loadStack } from '../../stacks/stack-config';
import { validated, validationErrorOf } from '../helpers/synth';
import { at } from '../helpers/values';

const ALERTS = {
  'groundwork:alertsSlack': 'alerts/slack',
  'groundwork:alertsPagerDuty': 'alerts/pagerduty',
  'groundwork:alertsWebhook': 'alerts/webhook',
  'groundwork:alertsHeartbeat': 'alerts/heartbeat',
  'groundwork:alertsEmail':
    'to=oncall@example.com,from=alertmanager@example.com,smarthost=smtp.example.com:587,username=alertmanager,entry=alerts/smtp',
};
type Json = Record<string, unknown>;

function render(stack: string, extra: Record<string, string>): ReturnType<typeof renderEnvironment> {
  const { definition, source, config } = loadStack(stack);
  const own = Object.fromEntries(Object.entries(config).map(([k, v]) => [`groundwork:${k}`, String(v)]));
  return renderEnvironment(
    definition,
    parseStackConfig({ 'groundwork:environment': stack, ...own, ...extra }, stack, source),
    { stack, source },
  );
}
const declared = (r: ReturnType<typeof render>) => r.addons.plan.addons.get('kube-prometheus-stack');
const parse = (extra: Record<string, string>): void =>
  void parseStackConfig({ 'groundwork:environment': 'prod', ...extra }, 'prod', 'Pulumi.prod.yaml');

describe('with every receiver configured (prod)', () => {
  const r = render('prod', ALERTS);
  const am = at(declared(r)?.values, 'alertmanager') as Json;
  const config = at(am, 'config') as Json;
  const es = (declared(r)?.companions ?? []).find(
    (o) => o.kind === 'ExternalSecret' && o.metadata?.name === 'alertmanager-receivers',
  );

  test('the receivers: platform (Slack, webhook, email), pagerduty, heartbeat, null', () => {
    expect((config.receivers as Json[]).map((x) => x.name)).toEqual(['null', 'platform', 'pagerduty', 'heartbeat']);
    expect(at(am, 'alertmanagerSpec', 'secrets')).toEqual(['alertmanager-receivers']);
  });

  test('every receiver reads its secret from a file of the mounted Secret, and the ExternalSecret makes each key', () => {
    const files =
      JSON.stringify(config.receivers).match(/"(api_url|routing_key|url|auth_password)_file":"[^"]+"/g) ?? [];
    expect(files).toHaveLength(5);
    const keys = (at(es, 'spec', 'data') as Json[]).map((d) => d.secretKey);
    expect(keys).toEqual(['slack-url', 'pagerduty-routing-key', 'webhook-url', 'heartbeat-url', 'email-password']);
    for (const f of files)
      expect(keys).toContain(/\/etc\/alertmanager\/secrets\/alertmanager-receivers\/([a-z-]+)"/.exec(f)?.[1]);
    expect(JSON.stringify(config)).not.toMatch(/"(api_url|routing_key|service_key|url|auth_password)":/);
    expect(at(es, 'spec', 'secretStoreRef')).toEqual({ kind: 'ClusterSecretStore', name: 'platform-secrets' });
    expect(at(es, 'spec', 'data', 4)).toEqual({
      secretKey: 'email-password',
      remoteRef: { key: 'alerts/smtp', property: 'password' },
    });
    validated([es as ManifestObject]);
  });

  test('routes: Watchdog to the heartbeat every minute, criticals page and continue, the rest to platform', () => {
    expect(at(config, 'route', 'receiver')).toBe('platform');
    expect(at(config, 'route', 'routes')).toEqual([
      {
        receiver: 'heartbeat',
        matchers: ['alertname = "Watchdog"'],
        group_wait: '0s',
        group_interval: '1m',
        repeat_interval: '1m',
      },
      { receiver: 'pagerduty', matchers: ['severity = "critical"'], continue: true },
    ]);
    expect(at(config, 'receivers', 1, 'email_configs', 0)).toMatchObject({
      to: 'oncall@example.com',
      smarthost: 'smtp.example.com:587',
      auth_username: 'alertmanager',
    });
  });

  test('a critical inhibits the warnings of the same alert and namespace', () => {
    expect(at(config, 'inhibit_rules', 0)).toEqual({
      source_matchers: ['severity = "critical"'],
      target_matchers: ['severity =~ "warning|info"'],
      equal: ['namespace', 'alertname'],
    });
  });

  test('the preflight names the entries the store must hold', () => {
    expect(r.ok).toBe(true);
  });
});

describe('refused values', () => {
  test('a literal Slack URL is refused, unechoed', () => {
    const url = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    const message = validationErrorOf(() => parse({ 'groundwork:alertsSlack': url }));
    expect(message).toContain(
      'groundwork:alertsSlack (<redacted>) is a URL: name the secret-store entry holding it, never the URL',
    );
    expect(message).not.toContain('hooks.slack.com');
  });
  test('a PagerDuty key pasted in is refused, unechoed', () => {
    const key = 'R0utingKeyAbCdEf0123456789xyZ';
    const message = validationErrorOf(() => parse({ 'groundwork:alertsPagerDuty': key }));
    expect(message).toContain(
      'groundwork:alertsPagerDuty (<redacted>) looks like the secret itself: name the secret-store entry holding it',
    );
    expect(message).not.toContain(key);
  });
  test('alertsEmail: each part checked', () => {
    const email = (v: string): string => validationErrorOf(() => parse({ 'groundwork:alertsEmail': v }));
    expect(email('to=a@example.com')).toContain(
      'must be to=…,from=…,smarthost=…,username=…,entry=…: each part once, nothing else',
    );
    expect(email('to=nobody,from=a@example.com,smarthost=smtp.example.com:587,username=u,entry=e')).toContain(
      'to must be an email address',
    );
    expect(email('to=a@example.com,from=a@example.com,smarthost=smtp.example.com,username=u,entry=e')).toContain(
      'smarthost must be <host>:<port>',
    );
    const planted = 'Pa55wordAbCdEfGhIjKlMnOp';
    const m = email(`to=a@example.com,from=a@example.com,smarthost=smtp.example.com:587,username=u,entry=${planted}`);
    expect(m).toContain('entry looks like the secret itself');
    expect(m).not.toContain(planted);
  });
  test('without a secret store the routing is refused', () => {
    expect(validationErrorOf(() => kubePrometheusStack({ alerting: { slack: 'alerts/slack' } }))).toMatch(
      /alerting\.secretStore.*must name the ClusterSecretStore/,
    );
  });
});

describe('without the alert keys', () => {
  test("the chart's Alertmanager configuration stays and no receivers' Secret is made", () => {
    const r = render('prod', {});
    expect(at(declared(r)?.values, 'alertmanager', 'config')).toBeUndefined();
    expect(at(declared(r)?.values, 'alertmanager', 'alertmanagerSpec', 'secrets')).toBeUndefined();
    expect((declared(r)?.companions ?? []).some((o) => o.metadata?.name === 'alertmanager-receivers')).toBe(false);
  });
});
