/**
 * Stack configuration: every value a user must supply per environment, read from Pulumi stack
 * config (`Pulumi.<stack>.yaml`, namespace `groundwork`) by both `pulumi up` and the synth CLI.
 * Pure: callers hand in the raw `namespace:key -> value` map (the file's `config:` section, or
 * `pulumi.runtime.allConfig()`).
 */
import { GroundworkValidationError } from '../internal/validator';
import * as rules from '../internal/rules';
import { type AlertsStackConfig, emailReceiverProblem } from '../addons/kube-prometheus-stack-alert-keys';
import {
  alertsEntry,
  dnsZone,
  gitCredentials,
  OIDC_GROUP_KEYS,
  type OidcGroupsStackConfig,
  s3Bucket,
  secretStoreEntry,
  shellSafe,
  trueOrFalse,
  vpcCidr,
} from './config-values';

export { gitCredentials, parseGitCredentials, s3Bucket, secretStoreEntry, vpcCidr } from './config-values';

/**
 * The typed stack configuration: every key of `groundwork:` (the alert-routing ones are documented
 * where they are parsed). Only `environment` is always required; environments list what else they need.
 */
export interface StackConfig extends AlertsStackConfig, OidcGroupsStackConfig {
  /** Environment definition the stack uses (`groundwork:environment`). */
  readonly environment: string;
  /** kubeconfig context of the target cluster (`groundwork:kubeContext`, or `kubernetes:context`). */
  readonly kubeContext?: string;
  /** Path of the kubeconfig file (`groundwork:kubeconfig`). @default - the Pulumi provider's default */
  readonly kubeconfig?: string;
  /** Base DNS domain: app hosts, the Gateway listener and External-DNS zones derive from it. */
  readonly domain?: string;
  /** Let's Encrypt account email (expiry notices; `example.com` addresses are refused by Let's Encrypt). */
  readonly acmeEmail?: string;
  /** Git repository the GitOps engine reads the synthesized YAML from. */
  readonly gitRepoUrl?: string;
  /**
   * Where the credentials of a private `gitRepoUrl` live (`groundwork:gitCredentials`):
   * `ssh:<entry>` (a deploy key: property `sshPrivateKey`, and `knownHosts` for Flux) or `token:<entry>`
   * (properties `username`, `password`), `<entry>` a key of the platform's secret store. Never the
   * key or token itself. @default - none: the repository is read anonymously
   */
  readonly gitCredentials?: string;
  /** Branch, tag or commit of that repository. @default 'main' */
  readonly gitRevision: string;
  /** Directory in that repository holding this stack's synthesized output. @default 'deploy/<stack>' */
  readonly gitPath: string;
  /** AWS account id (12 digits): IRSA role ARNs derive from it. */
  readonly awsAccountId?: string;
  /** AWS region of the cluster and its buckets. */
  readonly awsRegion?: string;
  /** EKS cluster name (Cluster Autoscaler's node-group discovery). */
  readonly eksClusterName?: string;
  /** Route 53 hosted zone id of `domain` (DNS-01 skips the zone lookup). @default - looked up by name */
  readonly route53HostedZoneId?: string;
  /** Zone External-DNS may edit. @default - `domain` */
  readonly dnsZone?: string;
  /** Bucket Velero writes backups to. */
  readonly backupBucket?: string;
  /** Bucket Loki stores logs in. */
  readonly logsBucket?: string;
  /**
   * KMS key (ARN) Velero's backups are encrypted with in the bucket (the AWS plugin's `kmsKeyId`).
   * @default - the bucket's default encryption
   */
  readonly backupKmsKeyId?: string;
  /**
   * Issuer URL (https) of the OIDC provider Argo CD and Grafana sign users in with; with it,
   * `oidcClientId` and `oidcClientSecret` are needed and the local admin logins are off.
   * @default - no single sign-on: the local admin accounts
   */
  readonly oidcIssuerUrl?: string;
  /** Client id registered with the OIDC provider. @default - none (needed with `oidcIssuerUrl`) */
  readonly oidcClientId?: string;
  /**
   * Secret-store entry holding the client secret (property `clientSecret`): a name, never the secret.
   * @default - none (needed with `oidcIssuerUrl`)
   */
  readonly oidcClientSecret?: string;
  /**
   * Grafana's OAuth endpoints, space-separated: `<authorization> <token> <userinfo>` (the
   * `authorization_endpoint`, `token_endpoint` and `userinfo_endpoint` of the issuer's
   * `.well-known/openid-configuration`; Grafana's ini takes no discovery URL).
   * @default - Grafana keeps its local login (Argo CD still signs in through `oidcIssuerUrl`)
   */
  readonly oidcEndpoints?: string;
  /**
   * `existing`: the cluster, its OIDC provider, the IAM roles and the buckets exist (made by hand);
   * `create`: the Pulumi program creates them (EKS: a VPC, the cluster through `@pulumi/eks`, its
   * node groups, the OIDC provider, one role per role ARN of the rendering, the two buckets).
   * @default 'existing'
   */
  readonly cluster?: 'existing' | 'create';
  /** IPv4 range of the VPC `cluster: create` makes (a /16 to /20, split into three public and three private subnets). */
  readonly vpcCidr?: string;
  /**
   * Render the demo apps (`'true'` or `'false'`): two tenants with a shop, routed from the
   * internet wherever the platform has a public entry point, reading demo-only secrets.
   * @default - the environment decides: on for kind, off for the cloud environments
   */
  readonly demo?: 'true' | 'false';
  /**
   * Pulumi only: install the add-on charts from this folder of packaged archives
   * (`<chart>-<version>.tgz`, as `npm run charts -- package` writes them) instead of their repositories.
   * @default - each chart from its repository
   */
  readonly chartsDir?: string;
  /**
   * Pulumi only, `'true'` for a control plane without nodes (the e2e test's): Pulumi does not wait
   * for objects to become ready (`pulumi.com/skipAwait`), and Helm neither waits nor runs hooks
   * (hook Jobs never complete without nodes). Never for a real cluster: nothing would tell a
   * failed rollout from a good one.
   * @default 'false'
   */
  readonly skipAwait?: 'true' | 'false';
}

/** A `groundwork:` key. */
export type StackConfigKey = Exclude<keyof StackConfig, 'gitRevision' | 'gitPath'> | 'gitRevision' | 'gitPath';

/** What each key holds and how it is checked; the table the docs and the parser share. */
export const STACK_CONFIG_KEYS: Readonly<
  Record<StackConfigKey, { readonly description: string; readonly rule?: rules.Rule<string> }>
> = {
  environment: { description: 'environment definition (kind, dev, staging, prod)', rule: rules.dns1123Label },
  kubeContext: {
    description: 'kubeconfig context of the cluster (or set kubernetes:context)',
    rule: (v) => shellSafe(v, 'a kubeconfig context name'),
  },
  kubeconfig: { description: 'path of the kubeconfig file', rule: (v) => shellSafe(v, 'a file path', '~') },
  domain: { description: 'base DNS domain of the apps and the Gateway', rule: (v) => dnsZone(v) },
  acmeEmail: { description: "Let's Encrypt account email", rule: rules.email },
  gitRepoUrl: { description: 'Git repository the GitOps engine reads', rule: rules.gitUrl },
  gitCredentials: {
    description:
      'credentials of a private Git repository: "ssh:<entry>" or "token:<entry>", <entry> a key of the secret store holding them',
    rule: gitCredentials,
  },
  gitRevision: { description: 'branch, tag or commit of that repository', rule: rules.gitRevision },
  gitPath: { description: "directory of this stack's output in that repository", rule: rules.repoPath },
  awsAccountId: {
    description: 'AWS account id (12 digits)',
    rule: (v) => (/^\d{12}$/.test(v) ? undefined : 'must be a 12-digit AWS account id'),
  },
  awsRegion: {
    description: 'AWS region',
    rule: (v) => (/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(v) ? undefined : 'must be an AWS region such as "eu-west-1"'),
  },
  eksClusterName: {
    description: 'EKS cluster name (Cluster Autoscaler discovers its tagged node groups)',
    rule: (v) =>
      /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(v)
        ? undefined
        : 'must be an EKS cluster name (letters, digits, - and _, up to 100)',
  },
  route53HostedZoneId: {
    description: 'Route 53 hosted zone id',
    rule: (v) =>
      /^Z[A-Z0-9]{1,31}$/.test(v) ? undefined : 'must be a Route 53 hosted zone id such as "Z1D633PJN98FT9"',
  },
  dnsZone: { description: 'zone External-DNS may edit', rule: (v) => dnsZone(v) },
  backupBucket: { description: 'Velero backup bucket', rule: s3Bucket },
  logsBucket: { description: 'Loki log bucket', rule: s3Bucket },
  backupKmsKeyId: {
    description: 'KMS key ARN Velero encrypts backups with (arn:aws:kms:<region>:<account>:key/<id> or alias/<name>)',
    rule: (v) =>
      /^arn:aws[a-z-]*:kms:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:(key\/[A-Za-z0-9-]{1,128}|alias\/[A-Za-z0-9/_-]{1,250})$/.test(
        v,
      )
        ? undefined
        : 'must be a KMS key or alias ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
  },
  oidcIssuerUrl: {
    description: 'issuer URL (https) of the OIDC provider Argo CD and Grafana sign users in with',
    rule: (v) =>
      /^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(v)
        ? undefined
        : 'must be an https URL without credentials, query or fragment',
  },
  oidcClientId: {
    description: 'client id registered with the OIDC provider',
    rule: (v) =>
      /^[\w.@:/-]{1,256}$/.test(v) ? undefined : 'must be a client id: letters, digits and "_ . @ : / -", up to 256',
  },
  oidcEndpoints: {
    description:
      'Grafana\'s OAuth endpoints: "<authorization> <token> <userinfo>" (https URLs of the issuer\'s discovery document)',
    rule: (v) =>
      v.split(' ').length === 3 && v.split(' ').every((u) => /^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(u))
        ? undefined
        : 'must be three https URLs separated by one space: authorization, token and userinfo endpoints',
  },
  oidcClientSecret: {
    description: 'secret-store entry holding the OIDC client secret (property clientSecret), never the secret',
    rule: secretStoreEntry,
  },
  ...OIDC_GROUP_KEYS,
  alertsSlack: { description: 'secret-store entry holding the Slack webhook URL (property url)', rule: alertsEntry },
  alertsPagerDuty: {
    description: 'secret-store entry holding the PagerDuty routing key (property routingKey)',
    rule: alertsEntry,
  },
  alertsWebhook: { description: 'secret-store entry holding the alert webhook URL (property url)', rule: alertsEntry },
  alertsHeartbeat: {
    description: "secret-store entry holding the dead-man's-switch URL Watchdog goes to (property url)",
    rule: alertsEntry,
  },
  alertsEmail: {
    description: 'to=…,from=…,smarthost=host:port,username=…,entry=<store entry, property password>',
    rule: (v) => emailReceiverProblem(v, alertsEntry),
  },
  cluster: {
    description: '"existing" (the cluster and its cloud identities exist) or "create" (the stack creates them; EKS)',
    rule: (v) => (v === 'existing' || v === 'create' ? undefined : 'must be "existing" or "create"'),
  },
  vpcCidr: { description: 'IPv4 range of the VPC groundwork:cluster create makes (/16 to /20)', rule: vpcCidr },
  demo: {
    description: 'render the demo apps ("true" or "false"; default: on for kind, off elsewhere)',
    rule: trueOrFalse,
  },
  chartsDir: {
    description: 'Pulumi: folder of packaged chart archives to install from instead of the chart repositories',
    // no `~`: the provider reads the path as given, nothing expands it
    rule: (v) => shellSafe(v, 'a folder path'),
  },
  skipAwait: {
    description:
      'Pulumi: "true" for a control plane without nodes: no readiness waits, no Helm hooks (never for a real cluster)',
    rule: trueOrFalse,
  },
};

/** The config namespaces a stack file may use: the kit's own, and the project's (what `pulumi config set key value` writes). */
function namespacesOf(project: string | undefined): readonly string[] {
  return project === undefined || project === 'groundwork' ? ['groundwork'] : ['groundwork', project];
}

/**
 * Edit distance of `a` and `b`, or undefined once it exceeds `limit` (one row of the table, so the
 * cost is bounded by the length of `a` times `limit`'s band: linear in a user's key).
 */
function editDistance(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > limit) return undefined;
    prev = row;
  }
  return prev[b.length] <= limit ? prev[b.length] : undefined;
}

/** The known key closest to `key` (case-insensitive, at most a third of its letters apart), if any. */
export function closestStackConfigKey(key: string): StackConfigKey | undefined {
  if (key.length > 64) return undefined;
  let best: { key: StackConfigKey; d: number } | undefined;
  for (const known of Object.keys(STACK_CONFIG_KEYS) as StackConfigKey[]) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase(), Math.max(1, Math.floor(known.length / 3)));
    if (d !== undefined && (best === undefined || d < best.d)) best = { key: known, d };
  }
  return best?.key;
}

/** Why `value` cannot be the value of `fullKey`, or its text. */
function checkValue(
  source: string,
  fullKey: string,
  key: StackConfigKey,
  value: unknown,
): { problem: string } | { text: string } {
  if (typeof value === 'object' && value !== null && 'secure' in value) {
    return {
      problem: `${source}: ${fullKey} is a Pulumi secret, but it holds no secret: set it as plain config (secret values stay in your secret backend and are referenced)`,
    };
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return { problem: `${source}: ${fullKey} (${JSON.stringify(value)}) must be a string` };
  }
  const text = String(value);
  if (text.length === 0) return { problem: `${source}: ${fullKey} is empty` };
  const problem = STACK_CONFIG_KEYS[key].rule?.(text);
  // a URL with credentials in it, and a refused gitCredentials value (it may be the key itself), are never echoed
  const redact =
    /^[a-z]+:\/\/[^/]*@/i.test(text) ||
    key === 'gitCredentials' ||
    key === 'oidcClientSecret' ||
    key.startsWith('alerts');
  if (problem !== undefined)
    return { problem: `${source}: ${fullKey} (${redact ? '<redacted>' : JSON.stringify(text)}) ${problem}` };
  return { text };
}

/**
 * Parses a stack's raw config into a {@link StackConfig}. Keys are read in the `groundwork`
 * namespace and in the project's own (`project`, the name in `Pulumi.yaml`: what
 * `pulumi config set domain …` writes); one key set in both to different values is an error.
 * Unknown keys in either namespace (typos, named with the closest known key), Pulumi secrets (no
 * key holds a secret: secret values stay in the secret backend and are referenced) and values
 * breaking a key's rule are errors, all listed at once, each naming `source` and the key.
 */
export function parseStackConfig(
  raw: Readonly<Record<string, unknown>>,
  stack: string,
  source: string,
  project?: string,
): StackConfig {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  const from: Record<string, string> = {};
  const namespaces = namespacesOf(project);
  for (const [fullKey, value] of Object.entries(raw)) {
    const colon = fullKey.indexOf(':');
    const [ns, key] = colon >= 0 ? [fullKey.slice(0, colon), fullKey.slice(colon + 1)] : ['', fullKey];
    if (!namespaces.includes(ns)) continue;
    if (!Object.prototype.hasOwnProperty.call(STACK_CONFIG_KEYS, key)) {
      const near = closestStackConfigKey(key);
      const hint = near !== undefined ? `did you mean ${ns}:${near}? ` : '';
      problems.push(
        `${source}: ${fullKey} is not a groundwork setting; ${hint}known: ${Object.keys(STACK_CONFIG_KEYS).join(', ')}`,
      );
      continue;
    }
    const checked = checkValue(source, fullKey, key as StackConfigKey, value);
    if ('problem' in checked) problems.push(checked.problem);
    else if (from[key] !== undefined && values[key] !== checked.text) {
      problems.push(`${source}: ${from[key]} and ${fullKey} are both set, to different values: keep one`);
    } else {
      values[key] = checked.text;
      from[key] = fullKey;
    }
  }
  const k8sContext = raw['kubernetes:context'];
  if (values.kubeContext === undefined && typeof k8sContext === 'string' && k8sContext.length > 0) {
    // the same rule as groundwork:kubeContext: the scripts pass it to kubectl and helm
    const problem = STACK_CONFIG_KEYS.kubeContext.rule?.(k8sContext);
    if (problem !== undefined)
      problems.push(`${source}: kubernetes:context (${JSON.stringify(k8sContext)}) ${problem}`);
    else values.kubeContext = k8sContext;
  }
  const oidc = (['oidcIssuerUrl', 'oidcClientId', 'oidcClientSecret'] as const).filter((k) => values[k] !== undefined);
  const groups = (['oidcAdminGroups', 'oidcEditorGroups'] as const).filter((k) => values[k] !== undefined);
  if ((oidc.length > 0 || groups.length > 0) && oidc.length < 3)
    problems.push(
      `${source}: single sign-on needs groundwork:oidcIssuerUrl, oidcClientId and oidcClientSecret together; set: ${[...oidc, ...groups].join(', ')}`,
    );
  // External-DNS edits records of the zone and the Gateway serves *.<domain>: the zone must hold the domain
  const { domain, dnsZone: zone } = values;
  if (domain !== undefined && zone !== undefined && domain !== zone && !domain.endsWith(`.${zone}`))
    problems.push(
      `${source}: groundwork:dnsZone (${JSON.stringify(zone)}) must be groundwork:domain (${JSON.stringify(domain)}) or a parent zone of it`,
    );
  if (problems.length > 0) throw new GroundworkValidationError(problems);
  return {
    ...values,
    environment: values.environment ?? stack,
    gitRevision: values.gitRevision ?? 'main',
    gitPath: values.gitPath ?? `deploy/${stack}`,
  };
}

/** Why a value looks like a placeholder shipped in the example stack files (undefined: it does not). */
export function exampleValueReason(key: StackConfigKey, value: string): string | undefined {
  const lower = value.toLowerCase();
  if (/(^|[.@/])example\.(com|org|net)($|[/:.])/.test(lower)) return 'uses a reserved example domain (RFC 2606)';
  if (/(^|[^a-z])example([^a-z]|$)|example-org/.test(lower)) return 'names an example';
  if (key === 'awsAccountId' && (/^(\d)\1{11}$/.test(value) || value === '123456789012'))
    return 'is a placeholder account id';
  if (key === 'route53HostedZoneId' && /EXAMPLE/.test(value)) return 'is a placeholder zone id';
  return undefined;
}
