import type { ManifestObject } from '../policy/check-manifests';
import { objectSpec, type PropsValidator } from '../internal/validator';
import * as rules from '../internal/rules';
import { isStoreEntryName } from '../internal/secrets';
import { companion } from './addon';
import type { EmailReceiver } from './kube-prometheus-stack-alert-keys';

/**
 * Where alerts go: each receiver's URL or key is a secret-store entry an ExternalSecret copies into
 * Secret {@link ALERT_RECEIVERS_SECRET}, which Alertmanager mounts and reads files from.
 */
export interface AlertRouting {
  /**
   * The ClusterSecretStore holding the entries. The profile's `monitoring` entry sets it from `externalSecrets`.
   * @default - the profile's secret store; none is an error
   */
  readonly secretStore?: string;
  /** Entry holding the Slack incoming-webhook URL (property `url`); part of the `platform` receiver. @default - none */
  readonly slack?: string;
  /** Entry holding the PagerDuty Events v2 routing key (property `routingKey`): criticals page. @default - none */
  readonly pagerDuty?: string;
  /** Entry holding a webhook URL (property `url`); part of the `platform` receiver. @default - none */
  readonly webhook?: string;
  /** Entry holding the dead-man's-switch URL (property `url`) the always-firing Watchdog goes to. @default - Watchdog goes nowhere */
  readonly heartbeat?: string;
  /** Email through an SMTP relay, the password from the store (property `password`); part of `platform`. @default - none */
  readonly email?: EmailReceiver;
}

/** The Secret the receivers' ExternalSecret makes and Alertmanager mounts (alertmanagerSpec.secrets). */
export const ALERT_RECEIVERS_SECRET = 'alertmanager-receivers';

/** The shape of {@link AlertRouting}. */
export const ALERT_ROUTING_SPEC = objectSpec<AlertRouting>({
  secretStore: 'string',
  slack: 'string',
  pagerDuty: 'string',
  webhook: 'string',
  heartbeat: 'string',
  email: objectSpec<EmailReceiver>(
    { to: 'string', from: 'string', smarthost: 'string', username: 'string', entry: 'string' },
    ['to', 'from', 'smarthost', 'username', 'entry'],
  ),
});

/** Each configured receiver's entry, the property read from it, and the Secret key (file name) it lands in. */
function secretFiles(
  a: AlertRouting,
): { readonly field: string; readonly entry: string; readonly property: string; readonly key: string }[] {
  return [
    ...(a.slack !== undefined ? [{ field: 'slack', entry: a.slack, property: 'url', key: 'slack-url' }] : []),
    ...(a.pagerDuty !== undefined
      ? [{ field: 'pagerDuty', entry: a.pagerDuty, property: 'routingKey', key: 'pagerduty-routing-key' }]
      : []),
    ...(a.webhook !== undefined ? [{ field: 'webhook', entry: a.webhook, property: 'url', key: 'webhook-url' }] : []),
    ...(a.heartbeat !== undefined
      ? [{ field: 'heartbeat', entry: a.heartbeat, property: 'url', key: 'heartbeat-url' }]
      : []),
    ...(a.email !== undefined
      ? [{ field: 'email.entry', entry: a.email.entry, property: 'password', key: 'email-password' }]
      : []),
  ];
}

/** Checks the routing: a secret store, entry names (never echoed), email addresses and relay. */
export function checkAlertRouting(v: PropsValidator, a: AlertRouting): void {
  if (a.secretStore === undefined)
    v.fail(
      'alerting.secretStore',
      undefined,
      'must name the ClusterSecretStore holding the receivers (the profile needs externalSecrets)',
    );
  v.check('alerting.secretStore', a.secretStore, rules.dns1123Subdomain);
  for (const f of secretFiles(a))
    if (!isStoreEntryName(f.entry))
      v.fail(
        `alerting.${f.field}`,
        '<redacted>',
        'must name a secret-store entry (letters, digits and "/ _ + = . @ -"), never the URL or key',
      );
  if (a.email !== undefined && !/^[a-z0-9.-]+:\d{1,5}$/i.test(a.email.smarthost))
    v.fail('alerting.email.smarthost', a.email.smarthost, 'must be <host>:<port>, such as "smtp.example.com:587"');
}

/** Where Alertmanager finds a Secret key: the operator mounts alertmanagerSpec.secrets at /etc/alertmanager/secrets/<name>/. */
const file = (key: string): string => `/etc/alertmanager/secrets/${ALERT_RECEIVERS_SECRET}/${key}`;

/**
 * The receivers, each reading its secret from a file (prometheus/alertmanager v0.34.0, the image of
 * kube-prometheus-stack 88.5.3: config/notifiers.go SlackConfig `api_url_file` and EmailConfig
 * `auth_password_file`, notify/pagerduty/config.go `routing_key_file`, notify/webhook/config.go
 * `url_file`). `platform` gathers Slack, webhook and email; `null` takes what goes nowhere.
 */
function receivers(a: AlertRouting): Record<string, unknown>[] {
  const platform: Record<string, unknown> = { name: 'platform' };
  if (a.slack !== undefined) platform.slack_configs = [{ api_url_file: file('slack-url'), send_resolved: true }];
  if (a.webhook !== undefined) platform.webhook_configs = [{ url_file: file('webhook-url'), send_resolved: true }];
  if (a.email !== undefined) {
    const { to, from, smarthost, username } = a.email;
    platform.email_configs = [
      { to, from, smarthost, auth_username: username, auth_password_file: file('email-password'), send_resolved: true },
    ];
  }
  return [
    { name: 'null' },
    platform,
    ...(a.pagerDuty !== undefined
      ? [
          {
            name: 'pagerduty',
            pagerduty_configs: [{ routing_key_file: file('pagerduty-routing-key'), send_resolved: true }],
          },
        ]
      : []),
    ...(a.heartbeat !== undefined
      ? [{ name: 'heartbeat', webhook_configs: [{ url_file: file('heartbeat-url'), send_resolved: false }] }]
      : []),
  ];
}

/**
 * The chart's `alertmanager.config` (kube-prometheus-stack 88.5.3 values.yaml alertmanager.config;
 * Helm replaces its lists): Watchdog to the heartbeat every minute (or nowhere), criticals to
 * PagerDuty and on (`continue`), everything to `platform`; a critical silences the warnings and infos
 * of the same alert and namespace, a warning the infos (the chart's default rules, kept: Helm
 * replaces the list).
 */
export function alertmanagerConfig(a: AlertRouting): Record<string, unknown> {
  const watchdog =
    a.heartbeat !== undefined
      ? {
          receiver: 'heartbeat',
          matchers: ['alertname = "Watchdog"'],
          group_wait: '0s',
          group_interval: '1m',
          repeat_interval: '1m',
        }
      : { receiver: 'null', matchers: ['alertname = "Watchdog"'] };
  const routes = [
    watchdog,
    ...(a.pagerDuty !== undefined
      ? [{ receiver: 'pagerduty', matchers: ['severity = "critical"'], continue: true }]
      : []),
  ];
  return {
    route: {
      receiver: 'platform',
      group_by: ['namespace', 'alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes,
    },
    receivers: receivers(a),
    inhibit_rules: [
      {
        source_matchers: ['severity = "critical"'],
        target_matchers: ['severity =~ "warning|info"'],
        equal: ['namespace', 'alertname'],
      },
      {
        source_matchers: ['severity = "warning"'],
        target_matchers: ['severity = "info"'],
        equal: ['namespace', 'alertname'],
      },
      // the chart's own: the InfoInhibitor alert silences the infos of its namespace and is itself never sent
      {
        source_matchers: ['alertname = "InfoInhibitor"'],
        target_matchers: ['severity = "info"'],
        equal: ['namespace'],
      },
      { target_matchers: ['alertname = "InfoInhibitor"'] },
    ],
  };
}

/** The ExternalSecret that copies each receiver's entry into Secret {@link ALERT_RECEIVERS_SECRET}. */
export function alertReceiversSecret(
  namespace: string,
  a: AlertRouting & { readonly secretStore: string },
): ManifestObject {
  return companion('external-secrets.io/v1', 'ExternalSecret', ALERT_RECEIVERS_SECRET, namespace, {
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: a.secretStore },
      target: { name: ALERT_RECEIVERS_SECRET, creationPolicy: 'Owner' },
      data: secretFiles(a).map((f) => ({ secretKey: f.key, remoteRef: { key: f.entry, property: f.property } })),
    },
  });
}
