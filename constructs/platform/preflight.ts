/**
 * Preflight: what must be set before an environment can be deployed for real, and what it assumes
 * but does not install. Values still at the shipped examples and missing required keys fail; the
 * prerequisites are listed (met by the cluster, or for the user to confirm).
 */
import type { AddonDeclaration } from '../addons/addon';
import type { ManifestObject } from '../policy/check-manifests';
import { isSshUrl } from '../addons/gitops-credentials';
import { exampleValueReason, type StackConfig, type StackConfigKey, STACK_CONFIG_KEYS } from './config';
import type { Environment, EnvironmentDefinition } from './environment';
import { secretStoreEntries } from './secret-store-entries';

/** One preflight line. */
export interface PreflightFinding {
  /** `must-set`: blocks a deployment; `assumed`: confirm it exists; `met`: already satisfied. */
  readonly severity: 'must-set' | 'assumed' | 'met';
  /** The stack config key concerned, if any. */
  readonly key?: StackConfigKey;
  readonly message: string;
}

/** The preflight result of one stack. */
export interface PreflightReport {
  readonly stack: string;
  readonly environment: string;
  readonly findings: readonly PreflightFinding[];
  /** No `must-set` finding. */
  readonly ok: boolean;
}

/** What preflight looks at beyond the config (absent when the environment could not be built). */
export interface PreflightInput {
  readonly env?: Environment;
  /** Every rendered object (apps and add-on objects), for the secrets they expect in the store. */
  readonly objects?: readonly ManifestObject[];
  /** The enabled add-ons, for the cloud identities they assume. */
  readonly addons?: readonly AddonDeclaration[];
}

function collectStrings(x: unknown, into: Set<string>, match: RegExp): void {
  if (typeof x === 'string') {
    if (match.test(x)) into.add(x);
  } else if (Array.isArray(x)) x.forEach((v) => collectStrings(v, into, match));
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach((v) => collectStrings(v, into, match));
}

/** The repository's credentials: an SSH URL needs them; an https URL without them is assumed public. */
function gitFindings(config: StackConfig, source: string): PreflightFinding[] {
  const url = config.gitRepoUrl;
  if (url === undefined || config.gitCredentials !== undefined) return [];
  if (isSshUrl(url)) {
    const message = `groundwork:gitRepoUrl (${JSON.stringify(url)}) in ${source} is read over SSH, and nothing supplies a key: set groundwork:gitCredentials to "ssh:<entry>", the secret-store entry holding the deploy key`;
    return [{ severity: 'must-set', key: 'gitCredentials', message }];
  }
  const message = `groundwork:gitRepoUrl (${JSON.stringify(url)}) is read without credentials: the repository is assumed public (for a private one set groundwork:gitCredentials to "token:<entry>")`;
  return [{ severity: 'assumed', key: 'gitCredentials', message }];
}

/**
 * The entries ExternalSecrets read, per store; a store kept in the cluster itself (Kubernetes
 * backend) is filled by scripts/bootstrap.sh from bootstrap/local-secrets.tsv. Every entry is named
 * with the properties read from it (what it must hold); on such a store the bootstrap fills it from the
 * files GIT_SSH_KEY_FILE (and GIT_KNOWN_HOSTS_FILE for Flux), or GIT_TOKEN_FILE (and GIT_USERNAME).
 */
function storeFindings(input: PreflightInput): PreflightFinding[] {
  const credentials = input.env?.gitops.credentials;
  return secretStoreEntries(input.objects ?? []).map((s) => {
    const git = credentials !== undefined && s.keys.has(credentials.storeEntry) ? credentials : undefined;
    // each entry with the properties read from it: what a team must put there
    const entries = [...s.keys].map(([key, props]) => (props.length > 0 ? `${key} (${props.join(', ')})` : key));
    const message = `secret store ${s.store} holds the entries ExternalSecrets read: ${entries.join(', ')}`;
    if (s.localNamespace === undefined) return { severity: 'assumed', message };
    const sshFiles =
      input.env?.gitops.engine === 'flux' ? 'GIT_SSH_KEY_FILE, GIT_KNOWN_HOSTS_FILE' : 'GIT_SSH_KEY_FILE';
    const files =
      git === undefined
        ? ''
        : `; ${git.storeEntry} from ${git.kind === 'ssh' ? sshFiles : 'GIT_TOKEN_FILE, GIT_USERNAME'}`;
    return { severity: 'met', message: `${message} (met by scripts/bootstrap.sh: random values${files})` };
  });
}

/** Runs the preflight checks of `definition` against `config` (pure). */
export function preflight(
  definition: EnvironmentDefinition,
  config: StackConfig,
  stack: string,
  source: string,
  input: PreflightInput = {},
): PreflightReport {
  const findings: PreflightFinding[] = [];
  const cfg = config as unknown as Record<string, string | undefined>;
  for (const key of definition.requires) {
    if (cfg[key] === undefined)
      findings.push({
        severity: 'must-set',
        key,
        message: `groundwork:${key} is not set in ${source} (${STACK_CONFIG_KEYS[key].description})`,
      });
  }
  for (const key of Object.keys(STACK_CONFIG_KEYS) as StackConfigKey[]) {
    const value = cfg[key];
    const reason = value === undefined ? undefined : exampleValueReason(key, value);
    if (reason !== undefined)
      findings.push({
        severity: 'must-set',
        key,
        message: `groundwork:${key} (${JSON.stringify(value)}) in ${source} ${reason}: set your own value`,
      });
  }
  for (const p of input.env?.prerequisites ?? []) {
    findings.push(
      p.metBy !== undefined
        ? { severity: 'met', message: `${p.id}: ${p.description} (met by ${p.metBy})` }
        : { severity: 'assumed', message: `${p.id}: ${p.description}` },
    );
  }
  const roles = new Set<string>();
  const stores = (input.objects ?? []).filter((o) => o.kind === 'ClusterSecretStore');
  for (const d of input.addons ?? [])
    collectStrings([d.values, d.companions, d.prerequisites], roles, /^arn:aws[a-z-]*:iam::\d{12}:role\//);
  collectStrings(stores, roles, /^arn:aws[a-z-]*:iam::\d{12}:role\//);
  if (roles.size > 0) {
    // with groundwork:cluster create the program makes them (constructs/cloud derives each role's trust and policy)
    const created = config.cluster === 'create';
    const message = `workload identity: ${created ? '' : 'these IAM roles exist and '}trust the cluster's OIDC provider for their ServiceAccounts: ${[...roles].sort().join(', ')}`;
    findings.push(
      created
        ? { severity: 'met', message: `${message} (met by groundwork:cluster create: the stack creates them)` }
        : { severity: 'assumed', message },
    );
  }
  findings.push(...gitFindings(config, source), ...storeFindings(input));
  return { stack, environment: definition.name, findings, ok: !findings.some((f) => f.severity === 'must-set') };
}

/** Human-readable lines of a report (the synth CLI prints them as warnings). */
export function formatPreflight(r: PreflightReport): string[] {
  const mark = { 'must-set': 'MUST SET', assumed: 'assumed', met: 'ok' } as const;
  return [
    `preflight ${r.stack} (environment ${r.environment}): ${r.ok ? 'nothing to set' : `${r.findings.filter((f) => f.severity === 'must-set').length} value(s) to set`}`,
    ...r.findings.map((f) => `  [${mark[f.severity]}] ${f.message}`),
  ];
}
