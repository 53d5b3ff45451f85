/**
 * The one secret-detection rule, used wherever values are rendered: container env, args and
 * command, ConfigMap data, add-on values and their companion objects, and GitOps objects (through
 * checkManifests). A finding names where the value is and why it looks secret; the value itself is
 * never repeated.
 */

/** Words a credential hides behind, anywhere in a name, in any case (`DB_PASSWORD`, `stripe_secret_key`, `apiToken`). */
const SECRET_WORDS = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIAL/i;

/**
 * camelCase names that say where a secret is rather than hold it, as charts spell them:
 * `secretName`, `existingSecret`, `privateKeySecretRef`, `tokenSecretNamespace`, `passwordKey`
 * (the key inside a Secret). `apiKey`, `secretKey` and `accessKey` are not among them: charts use
 * those for the credential itself.
 */
const REFERENCE_NAME =
  /^(existing[A-Z]\w*|[a-z][a-zA-Z0-9]*(Name|Names|Ref|Refs|Selector|Namespace|Enabled|File|Path|Store|Provider|Type|Mount|Volume|Annotations|Labels)|(password|user|username|token|adminPassword)Key)$/;

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isSchemeChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
/** JavaScript's `\s`: the characters a user or password part never spans. */
const isSpace = (c: number): boolean =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
/** Ends the user and password part of a URL's authority: `/`, `@` or whitespace. */
const endsAuthority = (c: number): boolean => c === 47 || c === 64 || isSpace(c);

/**
 * True when `value` holds `scheme://user:password@host` (or `scheme://:password@host`) anywhere.
 * A hand scan, linear in the value's length: each `://` is looked at once, its scheme run backwards
 * to the previous non-scheme character and its authority forwards to the next `/`, `@` or
 * whitespace, so no character is read more than a bounded number of times (a backtracking pattern
 * here was quadratic: 40,000 characters took 2 s).
 */
function hasUrlCredentials(value: string): boolean {
  let from = 0;
  for (;;) {
    const sep = value.indexOf('://', from);
    if (sep < 0) return false;
    from = sep + 3;
    // the scheme: a run of scheme characters right before `://` with a letter in it (where the match could start)
    let letter = false;
    for (let i = sep - 1; i >= 0 && isSchemeChar(value.charCodeAt(i)); i--) letter ||= isLetter(value.charCodeAt(i));
    if (!letter) continue;
    // user (no `:`), `:`, a non-empty password, then `@`
    let i = from;
    while (i < value.length && !endsAuthority(value.charCodeAt(i)) && value.charCodeAt(i) !== 58) i++;
    if (value.charCodeAt(i) !== 58) continue;
    const password = ++i;
    while (i < value.length && !endsAuthority(value.charCodeAt(i))) i++;
    if (i > password && value.charCodeAt(i) === 64) return true;
  }
}

/** A PEM private key (certificates are public and pass). */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
/** Separates the words of a name: `_`, `-`, `.`. */
const isSeparator = (c: number): boolean => c === 95 || c === 45 || c === 46;

/**
 * The last `count` words of a name, lowercased, last first: `OAUTH_TOKEN_URL` and `oauthTokenUrl`
 * give `url`, `token`. Words are split at `_`, `-` and `.`, and where camelCase starts a capital
 * (`tokenURL`: `url`, `token`). Reads the name backwards and only as far as those words reach, so
 * it is linear in their length whatever the name's.
 */
function lastWords(name: string, count: number): string[] {
  const words: string[] = [];
  let i = name.length;
  while (words.length < count) {
    while (i > 0 && isSeparator(name.charCodeAt(i - 1))) i--;
    if (i === 0) break;
    const end = i;
    if (isUpper(name.charCodeAt(i - 1))) {
      // an all-capitals word (`URL`, `KEY`): back to the start of the run of capitals
      while (i > 0 && isUpper(name.charCodeAt(i - 1))) i--;
    } else {
      // a lowercase word, or a capitalised one (`Url`): its lowercase letters and digits, then one capital
      while (i > 0 && !isUpper(name.charCodeAt(i - 1)) && !isSeparator(name.charCodeAt(i - 1))) i--;
      if (i > 0 && isUpper(name.charCodeAt(i - 1))) i--;
    }
    words.push(name.slice(i, end).toLowerCase());
  }
  return words;
}

/**
 * Last words that make a name say where a credential is, or which one, rather than hold it:
 * `DB_PASSWORD_FILE` (a path to a mounted Secret file), `OAUTH_TOKEN_URL` and `TOKEN_ENDPOINT`
 * (where tokens are issued), `SECRETS_DIR`, `API_KEY_NAME`, `AWS_ACCESS_KEY_ID` (the identifier of a
 * key pair, not a credential by itself; the secret half, `AWS_SECRET_ACCESS_KEY`, still ends in a
 * secret word). Their values are still scanned: a URL with credentials in it is refused whatever its name.
 */
const REFERENCE_SUFFIXES: readonly (readonly string[])[] = [
  ['file'],
  ['path'],
  ['url'],
  ['uri'],
  ['endpoint'],
  ['dir'],
  ['name'],
  ['id', 'key'],
];

function endsInReference(name: string): boolean {
  const words = lastWords(name, 2);
  return REFERENCE_SUFFIXES.some((suffix) => suffix.every((w, i) => words[i] === w));
}

/**
 * Whether `name` can name an entry of a secret store, by reference: what AWS Secrets Manager allows
 * (letters, digits and `/ _ + = . @ -`, starting with a letter or digit, at most 256), which also
 * covers a Kubernetes Secret name. Every key or prop that names such an entry is checked with it.
 */
export function isStoreEntryName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9/_+=.@-]{0,255}$/.test(name);
}

/**
 * True for a name whose value belongs in a Secret (`DATABASE_PASSWORD`, `stripe_secret_key`,
 * `apiToken`), false for references (`secretName`, `DB_PASSWORD_FILE`, `OAUTH_TOKEN_URL`,
 * `ACCESS_KEY_ID`).
 */
export function secretLikeName(name: string): boolean {
  return SECRET_WORDS.test(name) && !REFERENCE_NAME.test(name) && !endsInReference(name);
}

/** Why a string value is itself a secret, whatever its name; undefined when it is not. */
export function secretInValue(value: string): string | undefined {
  if (hasUrlCredentials(value)) return 'a URL with credentials in it';
  if (PEM_PRIVATE_KEY.test(value)) return 'a PEM private key';
  if (value.includes('://')) {
    const lower = value.toLowerCase();
    if (WEBHOOK_PATHS.some((p) => lower.includes(p))) return 'a webhook URL (its path is the credential)';
    if (hasCredentialParameter(lower)) return 'a URL with a credential in its query';
  }
  return undefined;
}

/** Chat webhooks whose URL path is the bearer credential (anyone holding it may post). */
const WEBHOOK_PATHS: readonly string[] = [
  'hooks.slack.com/services/',
  'hooks.slack.com/workflows/',
  'discord.com/api/webhooks/',
  'discordapp.com/api/webhooks/',
  '.webhook.office.com/webhookb2/',
  'outlook.office.com/webhook/',
];

/** Query parameters that carry a credential (OAuth, API keys, signed URLs: S3, GCS, Azure SAS). */
const CREDENTIAL_PARAMETERS: readonly string[] = [
  'token',
  'access_token',
  'id_token',
  'private_token',
  'api_key',
  'apikey',
  'api-key',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'sig',
  'x-amz-signature',
  'x-goog-signature',
];

/**
 * True when a (lowercased) value has `?name=` or `&name=` for a credential parameter with a literal
 * after it (a template such as `{{args.token}}` or `$(TOKEN)` passes). Linear: one indexOf pass per name.
 */
function hasCredentialParameter(lower: string): boolean {
  for (const name of CREDENTIAL_PARAMETERS) {
    for (let at = lower.indexOf(`${name}=`); at >= 0; at = lower.indexOf(`${name}=`, at + 1)) {
      const before = lower.charCodeAt(at - 1);
      const next = lower.charAt(at + name.length + 1);
      if (
        (before === 63 || before === 38) &&
        next !== '' &&
        next !== '&' &&
        next !== '#' &&
        next !== '{' &&
        next !== '$'
      )
        return true;
    }
  }
  return false;
}

/** One place a secret-looking value was found. */
export interface SecretFinding {
  /** Where, e.g. `values.grafana.adminPassword` or `args[2]`. */
  readonly path: string;
  /** Why it looks secret. */
  readonly why: string;
}

/** What to do instead, appended to every finding's message. */
export const SECRET_ADVICE =
  "the value is not shown; reference it instead (a Secret through secretKeyRef or envFrom, an ExternalSecret, or the chart's existingSecret)";

/** A finding as one message: `<path> looks like a secret (<why>): <advice>`. */
export function secretMessage(f: SecretFinding): string {
  return `${f.path} looks like a secret (${f.why}): ${SECRET_ADVICE}`;
}

function literal(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Command-line arguments: `--db-password=…`, `--token …` (the next argument), or a value that is
 * a secret by itself.
 */
export function secretsInArgs(args: readonly unknown[], path: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  args.forEach((arg, i) => {
    if (typeof arg !== 'string') return;
    const inline = /^-{1,2}([\w.-]+)=(.+)$/s.exec(arg);
    if (inline && secretLikeName(inline[1])) out.push({ path: `${path}[${i}]`, why: `a literal for ${inline[1]}` });
    else if (
      /^-{1,2}[\w.-]+$/.test(arg) &&
      secretLikeName(arg.replace(/^-+/, '')) &&
      literal(args[i + 1]) &&
      !(args[i + 1] as string).startsWith('-')
    ) {
      out.push({ path: `${path}[${i + 1}]`, why: `a literal for ${arg}` });
    } else {
      const why = secretInValue(arg);
      if (why) out.push({ path: `${path}[${i}]`, why });
    }
  });
  return out;
}

/**
 * Every secret-looking value in `value` (a values tree, an object, a list): a non-empty string
 * under a secret-like key, a `{ name, value }` pair with a secret-like name (env lists), and any
 * string that is a secret by itself. Booleans and numbers are settings, never secrets.
 */
export function findSecrets(
  value: unknown,
  path: string,
  out: SecretFinding[] = [],
  seen = new WeakSet<object>(),
): SecretFinding[] {
  if (typeof value === 'string') {
    const why = secretInValue(value);
    if (why) out.push({ path, why });
    return out;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => findSecrets(item, `${path}[${i}]`, out, seen));
    return out;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.name === 'string' && literal(record.value) && secretLikeName(record.name)) {
    out.push({ path: `${path}.value`, why: `a literal for ${record.name}` });
  }
  for (const [k, v] of Object.entries(record)) {
    const at = `${path}.${k}`;
    if (literal(v) && secretLikeName(k)) out.push({ path: at, why: `a literal under ${k}` });
    else if ((k === 'args' || k === 'command') && Array.isArray(v)) out.push(...secretsInArgs(v, at));
    else findSecrets(v, at, out, seen);
  }
  return out;
}
