/**
 * The value rules of stack config keys (config.ts's table reads them): names the scripts pass to a
 * shell, DNS zones, bucket names, VPC ranges and references to secret-store entries. Pure.
 */
import * as rules from '../internal/rules';
import { isStoreEntryName } from '../internal/secrets';

/**
 * Values the scripts pass to kubectl and helm (the context, the kubeconfig path): letters, digits
 * and `. _ - : @ / + = ,` (enough for `kind-x`, `arn:aws:eks:…:cluster/x`, `gke_p_z_x`,
 * `user@cluster`), at most 253 characters. Nothing a shell would read as syntax (`$(`, backticks,
 * quotes, spaces, newlines, `;`, `|`, `&`) gets in; the bootstrap inputs quote them as well.
 */
export function shellSafe(value: string, what: string, extra = ''): string | undefined {
  const ok =
    value.length <= 253 &&
    [...value].every(
      (c) =>
        (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') ||
        '._-:@/+=,'.includes(c) ||
        extra.includes(c),
    );
  return ok
    ? undefined
    : `must be ${what} of letters, digits and ". _ - : @ / + = ,${extra ? ` ${extra}` : ''}" (nothing a shell would read as syntax), at most 253 characters`;
}

/**
 * A DNS zone or base domain: a host name without a wildcard (apps get `<app>.<domain>`, the
 * Gateway `*.<domain>`), at most 253 characters in total with room for those labels.
 */
export function dnsZone(value: string): string | undefined {
  if (value.startsWith('*')) return 'must be a domain, not a wildcard (the Gateway listens on "*.<domain>" itself)';
  if (!value.includes('.'))
    return 'must be a domain with at least two labels, such as "example.org" (DNS-01 and public certificates need one)';
  return (
    rules.ingressHost(value) ??
    (value.length > 240 ? 'must leave room for an app label below it (at most 240 characters)' : undefined)
  );
}

/**
 * An S3 bucket name (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html, general
 * purpose buckets): 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with
 * a letter or digit, no two adjacent dots, not an IP address, not starting with "xn--" or "sthree-"
 * and not ending with "-s3alias" or "--ol-s3".
 */
export function s3Bucket(value: string): string | undefined {
  const ok =
    value.length >= 3 &&
    value.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(value) &&
    !value.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(value) &&
    !value.startsWith('xn--') &&
    !value.startsWith('sthree-') &&
    !value.endsWith('-s3alias') &&
    !value.endsWith('--ol-s3');
  return ok
    ? undefined
    : 'must be an S3 bucket name: 3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit, not an IP address';
}

/** An IPv4 CIDR block from /16 (the largest VPC AWS allows) to /20 (six subnets of /23), given as its network address. */
export function vpcCidr(value: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const octets = m === null ? [] : m.slice(1, 5).map(Number);
  const bits = m === null ? 0 : Number(m[5]);
  if (m === null || octets.some((o) => o > 255) || bits < 16 || bits > 20)
    return 'must be an IPv4 CIDR block from /16 to /20, such as "10.20.0.0/16"';
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  return address % 2 ** (32 - bits) === 0
    ? undefined
    : `must start at its network address (host bits set after /${bits})`;
}

export function trueOrFalse(v: string): string | undefined {
  return v === 'true' || v === 'false' ? undefined : 'must be "true" or "false"';
}

/**
 * A reference to Git credentials: their kind and the secret-store entry holding them
 * (`ssh:groundwork/git`, `token:git-token`); the entry name as AWS Secrets Manager allows it
 * (letters, digits and `/ _ + = . @ -`), which covers a Kubernetes Secret name.
 */
export function gitCredentials(v: string): string | undefined {
  const colon = v.indexOf(':');
  return colon > 0 && ['ssh', 'token'].includes(v.slice(0, colon)) && isStoreEntryName(v.slice(colon + 1))
    ? undefined
    : 'must be "ssh:<entry>" or "token:<entry>": the kind of credentials and the secret-store entry holding them (letters, digits and "/ _ + = . @ -"), never a key or token itself';
}

/**
 * A secret-store entry name (as {@link gitCredentials} allows it), refusing what looks like a secret
 * itself: one long run of letters and digits mixing cases and digits, with no separator.
 */
export function secretStoreEntry(v: string): string | undefined {
  if (!isStoreEntryName(v))
    return 'must name a secret-store entry (letters, digits and "/ _ + = . @ -"), never the secret itself';
  if (/^[A-Za-z0-9+=]{20,}$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v))
    return 'looks like the secret itself: name the secret-store entry holding it';
  return undefined;
}

/** An alert receiver's store entry: a URL or key pasted in is refused as such. */
export const alertsEntry = (v: string): string | undefined =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(v)
    ? 'is a URL: name the secret-store entry holding it, never the URL'
    : secretStoreEntry(v);

/** Parses a `gitCredentials` value that passed {@link gitCredentials}. */
export function parseGitCredentials(v: string): { readonly kind: 'ssh' | 'token'; readonly storeEntry: string } {
  const colon = v.indexOf(':');
  return { kind: v.slice(0, colon) === 'ssh' ? 'ssh' : 'token', storeEntry: v.slice(colon + 1) };
}

/** Stack-config keys of the single sign-on groups (the token's `groups` claim). */
export interface OidcGroupsStackConfig {
  /**
   * Comma-separated groups with full rights: Argo CD `role:admin` and Grafana Admins.
   * @default - none: the platform is administered through kubectl; everyone signing in to Grafana is a Viewer
   */
  readonly oidcAdminGroups?: string;
  /** Comma-separated groups made Grafana Editors. @default - none: Viewers */
  readonly oidcEditorGroups?: string;
}

/**
 * A comma-separated list of group names: each non-empty once trimmed, none twice, no control
 * characters (Argo CD reads its policy as CSV lines, so a comma or newline would add a rule).
 */
export function groupList(v: string): string | undefined {
  const groups = parseGroupList(v);
  const control = (g: string): boolean => [...g].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127);
  if (groups.some((g) => g === '' || g.length > 256 || control(g)))
    return 'must be group names separated by commas: none empty, no control characters, at most 256 characters each';
  return new Set(groups).size === groups.length ? undefined : 'must name each group once';
}

/** The names of a {@link groupList} value, trimmed. */
export const parseGroupList = (v: string): string[] => v.split(',').map((g) => g.trim());

/** The table rows of {@link OidcGroupsStackConfig} (config.ts's STACK_CONFIG_KEYS spreads them). */
export const OIDC_GROUP_KEYS = {
  oidcAdminGroups: {
    description: 'comma-separated groups that administer Argo CD and are Grafana Admins (needs oidcIssuerUrl)',
    rule: groupList,
  },
  oidcEditorGroups: {
    description: 'comma-separated groups made Grafana Editors (needs oidcIssuerUrl)',
    rule: groupList,
  },
} as const;
