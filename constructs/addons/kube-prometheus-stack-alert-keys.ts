/**
 * The stack-config keys of alert routing (`groundwork:alerts*`): each names a secret-store entry,
 * never a URL or key; `alertsEmail` also names the addresses and the relay. Imports nothing, so the
 * stack-config parser (constructs/platform/config.ts) can read it.
 */

/** Stack-config keys of the Alertmanager receivers. */
export interface AlertsStackConfig {
  /** Secret-store entry holding the Slack incoming-webhook URL (property `url`). @default - no Slack receiver */
  readonly alertsSlack?: string;
  /** Secret-store entry holding the PagerDuty Events v2 routing key (property `routingKey`). @default - no PagerDuty receiver */
  readonly alertsPagerDuty?: string;
  /** Secret-store entry holding a generic webhook URL (property `url`). @default - no webhook receiver */
  readonly alertsWebhook?: string;
  /** Secret-store entry holding the dead-man's-switch URL the Watchdog alert is sent to (property `url`). @default - no heartbeat */
  readonly alertsHeartbeat?: string;
  /** `to=<addr>,from=<addr>,smarthost=<host>:<port>,username=<user>,entry=<store entry with property password>`. @default - no email */
  readonly alertsEmail?: string;
}

/** The email receiver of `alertsEmail`: addresses, relay, login, and the store entry of the password. */
export interface EmailReceiver {
  readonly to: string;
  readonly from: string;
  readonly smarthost: string;
  readonly username: string;
  readonly entry: string;
}

const EMAIL_PARTS = ['to', 'from', 'smarthost', 'username', 'entry'] as const;
const ADDRESS = /^[^\s@,=]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** Parses an `alertsEmail` value that passed {@link emailReceiverProblem}. */
export function parseEmailReceiver(v: string): EmailReceiver {
  const parts = Object.fromEntries(v.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  return {
    to: parts.to ?? '',
    from: parts.from ?? '',
    smarthost: parts.smarthost ?? '',
    username: parts.username ?? '',
    entry: parts.entry ?? '',
  };
}

/**
 * What is wrong with an `alertsEmail` value, its parts checked one by one (the entry by `entryRule`);
 * undefined when it is right. Messages name the part, never the entry's value.
 */
export function emailReceiverProblem(v: string, entryRule: (entry: string) => string | undefined): string | undefined {
  const parts = v.split(',');
  const keys = parts.map((p) => (p.includes('=') ? p.slice(0, p.indexOf('=')) : p));
  const unknown = keys.filter((k) => !(EMAIL_PARTS as readonly string[]).includes(k));
  if (unknown.length > 0 || new Set(keys).size !== keys.length || keys.length !== EMAIL_PARTS.length)
    return `must be ${EMAIL_PARTS.map((k) => `${k}=…`).join(',')}: each part once, nothing else`;
  const e = parseEmailReceiver(v);
  if (!ADDRESS.test(e.to)) return 'to must be an email address';
  if (!ADDRESS.test(e.from)) return 'from must be an email address';
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/i.test(e.smarthost) || Number(e.smarthost.split(':')[1]) > 65535)
    return 'smarthost must be <host>:<port>, such as "smtp.example.com:587"';
  if (!/^[^\s,=]{1,256}$/.test(e.username)) return 'username must be the SMTP login (no spaces, commas or "=")';
  const entry = entryRule(e.entry);
  return entry !== undefined ? `entry ${entry}` : undefined;
}
