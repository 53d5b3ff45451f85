/**
 * Pure validation rules. Each rule takes a value and returns `undefined` when it is allowed,
 * or a short phrase saying what is allowed ("must be an integer >= 0"). The phrase is completed
 * into a full message (construct path, field, value) by {@link PropsValidator}.
 *
 * Schema validators only check structure (kubernetes-models accepts `replicas: -1`, port 70000,
 * `Bad_Name!`), so these semantic rules are ours.
 */

export type Rule<T> = (value: T) => string | undefined;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_PART = DNS1123_LABEL;

/** RFC 1123 label: Namespaces, Services, container names, most object names that appear in DNS. */
export function dns1123Label(value: string): string | undefined {
  if (value.length === 0 || value.length > 63 || !DNS1123_LABEL.test(value)) {
    return 'must be a DNS-1123 label: 1-63 lowercase alphanumerics or "-", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** RFC 1035 label: Service names (they must start with a letter: `1api` is refused by the API server). */
export function dns1035Label(value: string): string | undefined {
  if (value.length === 0 || value.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    return 'must be a DNS-1035 label (it names a Service): 1-63 lowercase alphanumerics or "-", starting with a letter and ending with an alphanumeric';
  }
  return undefined;
}

/** RFC 1123 subdomain: ConfigMap, Secret and most object names. */
export function dns1123Subdomain(value: string): string | undefined {
  if (value.length === 0 || value.length > 253 || !value.split('.').every((p) => DNS1123_SUBDOMAIN_PART.test(p))) {
    return 'must be a DNS-1123 subdomain: at most 253 lowercase alphanumerics, "-" or ".", each part starting and ending with an alphanumeric';
  }
  return undefined;
}

/** Upper bound on a generated name (CronJob names are limited to 52 so Job names fit in 63). */
export function maxLength(limit: number, why: string): Rule<string> {
  return (value) =>
    value.length > limit ? `must be at most ${limit} characters (${why}), got ${value.length}` : undefined;
}

/** The largest value of Kubernetes' int32 fields (replicas, ports, seconds, counts). */
export const INT32_MAX = 2147483647;

/** Integer within an inclusive range (up to {@link INT32_MAX} unless `max` is given). */
export function integerBetween(min: number, max: number = INT32_MAX): Rule<number> {
  return (value) => {
    if (!Number.isInteger(value) || value < min)
      return max === INT32_MAX ? `must be an integer >= ${min}` : `must be an integer between ${min} and ${max}`;
    if (value > max)
      return max === INT32_MAX
        ? `must be at most ${INT32_MAX} (a 32-bit integer field)`
        : `must be an integer between ${min} and ${max}`;
    return undefined;
  };
}

export const port: Rule<number> = integerBetween(1, 65535);

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** IANA service name (RFC 6335) as Kubernetes checks container and Service port names. */
export function portName(value: string): string | undefined {
  if (
    value.length === 0 ||
    value.length > 15 ||
    !IANA_SVC_NAME.test(value) ||
    value.includes('--') ||
    !/[a-z]/.test(value)
  ) {
    return 'must be an IANA service name: 1-15 lowercase alphanumerics or "-", with at least one letter and no "--" or leading/trailing "-"';
  }
  return undefined;
}

/** Values in a list must be unique; returns the rule for one list. */
export function unique<T>(what: string): Rule<readonly T[]> {
  return (values) => {
    const seen = new Set<T>();
    const dups = new Set<T>();
    for (const v of values) {
      if (seen.has(v)) dups.add(v);
      seen.add(v);
    }
    return dups.size > 0 ? `must not repeat ${what} (repeated: ${[...dups].join(', ')})` : undefined;
  };
}

/**
 * The distribution reference grammar for the repository part: an optional registry host (it has a
 * "." or ":" or is "localhost"), then path components of lowercase letters and digits joined by
 * ".", "_", "__" or "-".
 */
function repositoryProblem(repository: string): string | undefined {
  const parts = repository.split('/');
  const hasHost = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  if (
    hasHost &&
    !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d+)?$/.test(parts[0])
  )
    return 'must have a valid registry host';
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((c) => !/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/.test(c))) {
    return 'must name a repository in lowercase letters, digits and separators (".", "_", "-"), e.g. "ghcr.io/org/app:1.2.3"';
  }
  return undefined;
}

/**
 * Container image reference: must carry a tag or a digest, and the tag must not be `latest`.
 * `registry:5000/app` has a colon but no tag: only a colon after the last `/` starts a tag.
 */
export function pinnedImage(value: string): string | undefined {
  if (value.length === 0 || /\s/.test(value) || value !== value.trim()) {
    return 'must be an image reference such as "ghcr.io/org/app:1.2.3" or "app@sha256:<digest>"';
  }
  const [name, digest] = value.split('@', 2);
  if (digest !== undefined) {
    const slash = name.lastIndexOf('/');
    const tagAt = name.indexOf(':', slash + 1);
    return (
      repositoryProblem(tagAt < 0 ? name : name.slice(0, tagAt)) ??
      (/^sha256:[a-f0-9]{64}$/.test(digest) ? undefined : 'must have a digest of the form sha256:<64 hex characters>')
    );
  }
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? name : name.slice(0, colon);
  const repoProblem = repositoryProblem(repository);
  if (repoProblem !== undefined) return repoProblem;
  if (colon < 0) {
    return 'must be pinned by a tag or digest (an untagged image means ":latest")';
  }
  const tag = name.slice(colon + 1);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    return 'must have a valid tag (letters, digits, "_", "." or "-", at most 128 characters)';
  }
  if (tag === 'latest') {
    return 'must not use the mutable ":latest" tag: pin a version or a digest';
  }
  return undefined;
}

const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const CRON_FIELDS: ReadonlyArray<{ name: string; min: number; max: number; names?: readonly string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  // 0-6 (Sunday is 0 only): the CronJob controller parses with robfig/cron, whose day-of-week bounds are 0-6
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function cronAtom(atom: string, field: (typeof CRON_FIELDS)[number]): boolean {
  const toNumber = (s: string): number | undefined => {
    if (/^\d+$/.test(s)) return Number(s);
    const idx = field.names?.indexOf(s.toLowerCase()) ?? -1;
    if (idx < 0) return undefined;
    return field.name === 'month' ? idx + 1 : idx;
  };
  const [range, step] = atom.split('/', 2);
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || range === '?') return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const nums = bounds.map(toNumber);
  if (nums.some((n) => n === undefined || n < field.min || n > field.max)) return false;
  return nums.length === 1 || (nums[0] as number) <= (nums[1] as number);
}

/**
 * IANA time zone for a CronJob: one the runtime's zone database knows (ICU's, close to the Go
 * tzdata the API server checks against), never "Local" (the API server refuses it).
 */
export function timeZone(value: string): string | undefined {
  const allowed =
    'must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC" ("Local" is refused by the API server)';
  if (value === 'Local' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return allowed;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return undefined;
  } catch {
    return allowed;
  }
}

/** Standard 5-field cron expression as the CronJob controller accepts it (or a macro such as `@daily`). */
export function cronSchedule(value: string): string | undefined {
  const allowed =
    'must be a 5-field cron expression ("minute hour day-of-month month day-of-week", e.g. "*/15 * * * *") or a macro such as "@daily"';
  const trimmed = value.trim();
  if (trimmed.startsWith('@')) return CRON_MACROS.has(trimmed) ? undefined : allowed;
  if (/^(TZ|CRON_TZ)=/.test(trimmed)) return 'must not embed TZ= or CRON_TZ=: use the timeZone field';
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) return allowed;
  for (let i = 0; i < 5; i++) {
    if (!parts[i].split(',').every((atom) => cronAtom(atom, CRON_FIELDS[i]))) {
      return `${allowed}; the ${CRON_FIELDS[i].name} field "${parts[i]}" is out of range ${CRON_FIELDS[i].min}-${CRON_FIELDS[i].max}`;
    }
  }
  return undefined;
}

const QUANTITY = /^([+-]?[0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes resource quantity ("250m", "1.5", "512Mi", "1e3") to a number, or undefined. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = QUANTITY.exec(value);
  // unambiguous (a backtracking `\d+\.?\d*` is quadratic on a long run of digits that fails late)
  if (!m || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(m[1])) return undefined;
  const n = Number(m[1]);
  if (n < 0) return undefined;
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** CPU quantity such as "250m" or "1". */
export function cpuQuantity(value: string): string | undefined {
  const n = parseQuantity(value);
  if (n === undefined || n <= 0) return 'must be a positive CPU quantity such as "250m" or "1"';
  if (n < 0.001) return 'must be at least 1m (the smallest CPU unit)';
  return undefined;
}

/** Memory or storage quantity such as "512Mi". Catches the classic "512m" (0.512 bytes). */
export function bytesQuantity(value: string): string | undefined {
  const n = parseQuantity(value);
  if (n === undefined || n <= 0) return 'must be a positive byte quantity such as "512Mi" or "2Gi"';
  const milli = /^(\d+)m$/.exec(value);
  if (milli) return `means ${n} bytes ("m" is milli): did you mean ${milli[1]}Mi?`;
  if (n < 1) return 'must be at least 1 byte';
  return undefined;
}

/** A request must not exceed its limit (both already valid quantities). */
export function requestWithinLimit(request: string, limit: string | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const r = parseQuantity(request);
  const l = parseQuantity(limit);
  if (r !== undefined && l !== undefined && r > l) return `must be <= the limit (${limit})`;
  return undefined;
}

/** Ingress/HTTPRoute host: lowercase DNS name, optional leading "*." wildcard, no port, no IP address. */
export function ingressHost(value: string): string | undefined {
  const allowed =
    'must be a lowercase DNS name such as "app.example.com" (a wildcard only as the leftmost label "*.example.com"; no port, no IP address)';
  if (value.length === 0 || value.length > 253) return allowed;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || value.includes(':')) return allowed;
  const labels = value.split('.');
  if (labels.length < 2) return allowed;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === '*' && i === 0) continue;
    if (dns1123Label(labels[i]) !== undefined) return allowed;
  }
  return undefined;
}

/** Label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKey(value: string): string | undefined {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  const nameOk = name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
  const prefixOk = prefix === undefined || dns1123Subdomain(prefix) === undefined;
  return nameOk && prefixOk
    ? undefined
    : 'must be a label key: an optional DNS-subdomain prefix and "/", then at most 63 alphanumerics, "-", "_" or "." starting and ending alphanumeric';
}

/** Label value: empty, or at most 63 alphanumerics, `-`, `_` or `.` starting and ending alphanumeric. */
export function labelValue(value: string): string | undefined {
  return value === '' || (value.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value))
    ? undefined
    : 'must be a label value: at most 63 alphanumerics, "-", "_" or "." starting and ending alphanumeric';
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** ConfigMap (and Secret) data key: letters, digits, `-`, `_` or `.`, at most 253 characters. */
export function configMapKey(value: string): string | undefined {
  return CONFIG_KEY.test(value) && value.length <= 253
    ? undefined
    : 'must be a ConfigMap key: letters, digits, "-", "_" or "."';
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Environment variable name (portable form). */
export function envName(value: string): string | undefined {
  return ENV_NAME.test(value)
    ? undefined
    : 'must start with a letter or "_" and contain only letters, digits, "_", "." or "-"';
}

/** Absolute, normalized mount path. */
export function absolutePath(value: string): string | undefined {
  return /^\/[^\0]*$/.test(value) && !value.split('/').includes('..')
    ? undefined
    : 'must be an absolute path without ".." segments';
}

/** HTTP path for probes and routes. */
export function httpPath(value: string): string | undefined {
  return /^\/[^\s]*$/.test(value) ? undefined : 'must start with "/" and contain no whitespace';
}

/** An integer >= `min`, or a percentage string such as "25%" (0-100, at least `min`). */
export function percentOrCount(value: number | string, min = 0): string | undefined {
  const allowed = `must be an integer >= ${min} or a percentage such as "25%"`;
  if (typeof value === 'number') return Number.isInteger(value) && value >= min ? undefined : allowed;
  const m = /^(\d{1,3})%$/.exec(value);
  return !m || Number(m[1]) > 100 || Number(m[1]) < min ? allowed : undefined;
}

/** Exact chart version pin such as "1.19.1" or "v1.19.1" (no ranges, wildcards or `latest`). */
export function exactVersion(value: string): string | undefined {
  return /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(value)
    ? undefined
    : 'must be an exact version such as "1.19.1" (no ranges like "^1.2", wildcards or "latest")';
}

/** Email address (as ACME account contacts need). */
export function email(value: string): string | undefined {
  // by hand, linear: one `@` with text before it, a domain with a dot inside it, no whitespace
  // (the pattern `^[^\s@]+@[^\s@]+\.[^\s@]+$` backtracks quadratically over a long run of dots)
  const at = value.indexOf('@');
  const domain = value.slice(at + 1);
  const ok = at > 0 && !domain.includes('@') && !/\s/.test(value) && domain.slice(1, -1).includes('.');
  return ok ? undefined : 'must be an email address such as "platform@example.com"';
}

/** IAM role ARN such as "arn:aws:iam::123456789012:role/name" (any AWS partition). */
export function iamRoleArn(value: string): string | undefined {
  return /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value)
    ? undefined
    : 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/cluster-autoscaler"';
}

/** IPv4 or IPv6 CIDR such as "10.0.0.0/16". */
export function cidr(value: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4)
    return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32
      ? undefined
      : 'must be a CIDR such as "10.0.0.0/16"';
  return /^[0-9a-fA-F:]+\/\d{1,3}$/.test(value) && value.includes(':') && Number(value.split('/')[1]) <= 128
    ? undefined
    : 'must be a CIDR such as "10.0.0.0/16"';
}

/** True when `cidr` (IPv4) contains the address `ip`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (base.includes(':') || ip.includes(':')) return false;
  const bits = Number(bitsText ?? 32);
  const toInt = (a: string): number => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const block = 2 ** (32 - bits);
  return Math.floor(toInt(base) / block) === Math.floor(toInt(ip) / block);
}

/** A Git repository URL the GitOps engines read: https://, ssh:// or git@, with no credentials in it. */
export function gitUrl(v: string): string | undefined {
  return /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(v) && !/^https:\/\/[^/]*@/.test(v)
    ? undefined
    : 'must be an https://, ssh:// or git@ repository URL without credentials in it';
}

/** A relative directory inside a repository (`deploy/prod`): no leading slash, no `..`. */
export function repoPath(v: string): string | undefined {
  return /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(v) && !v.split('/').includes('..')
    ? undefined
    : 'must be a relative path inside the repository, e.g. "deploy/prod"';
}

/**
 * A branch, tag or commit: the ref names git check-ref-format accepts that need no quoting (no
 * spaces, `..`, `//`, `~^:?*[\`, no trailing `/`, `.` or `.lock`).
 */
export function gitRevision(v: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/.test(v) &&
    !v.includes('..') &&
    !v.includes('//') &&
    !/(\/|\.|\.lock)$/.test(v)
    ? undefined
    : 'must be a branch, tag or commit such as "main", "v1.2.0" or a commit hash';
}
