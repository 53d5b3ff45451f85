import type { ManifestObject } from '../policy/check-manifests';
import { MANAGED_BY } from '../internal/labels';
import { isStoreEntryName, secretInValue } from '../internal/secrets';
import type { GitCredentialsRef, GitOpsTarget } from './gitops-types';

// The Secret a GitOps engine reads a private repository with, made by an ExternalSecret from the
// platform's secret store: the rendering holds only the store entry's name, never a value.

/** Name of the ExternalSecret and of the Secret it makes, in the engine's namespace. */
export const GIT_CREDENTIALS_SECRET = 'groundwork-git-credentials';

/**
 * Argo CD's repository Secret, secret key to store property: argoproj/argo-cd v3.4.4
 * docs/operator-manual/declarative-setup.md "Repositories" (label
 * `argocd.argoproj.io/secret-type: repository`; `type: git`, `url`, and `sshPrivateKey` for SSH or
 * `username` and `password` for HTTPS). Known hosts are no repository field there: Argo CD reads
 * them from the argocd-ssh-known-hosts-cm ConfigMap (same file, "SSH known host public keys").
 */
const ARGO_KEYS: Readonly<Record<GitCredentialsRef['kind'], Readonly<Record<string, string>>>> = {
  ssh: { sshPrivateKey: 'sshPrivateKey' },
  token: { username: 'username', password: 'password' },
};

/**
 * Flux's GitRepository `secretRef` Secret, secret key to store property: fluxcd/source-controller
 * v1.7.4 (flux2 chart 2.17.2) docs/spec/v1/gitrepositories.md "Secret reference": `identity` and
 * `known_hosts` for SSH, `username` and `password` for basic access over HTTPS.
 */
const FLUX_KEYS: Readonly<Record<GitCredentialsRef['kind'], Readonly<Record<string, string>>>> = {
  ssh: { identity: 'sshPrivateKey', known_hosts: 'knownHosts' },
  token: { username: 'username', password: 'password' },
};

/** Whether a repository URL is read over SSH (`ssh://` or scp-like `git@host:path`). */
export const isSshUrl = (url: string): boolean => url.startsWith('ssh://') || url.startsWith('git@');

/**
 * The ExternalSecret that makes the engine's repository Secret from `credentials.storeEntry` in
 * `store` (the ClusterSecretStore of the External Secrets add-on). For Argo CD its template adds the
 * repository label and the non-secret `type` and `url` to the keys read from the store (external-secrets
 * v2.9.0 pkg/controllers/externalsecret/externalsecret_controller_template.go ApplyTemplate: with a
 * data template and no `mergePolicy: Merge`, the Secret holds the template's keys only, so each is listed).
 * `creationPolicy: Owner` adopts a Secret the bootstrap created before the store could be read
 * (pkg/controllers/externalsecret/externalsecret_controller.go: an unowned target is updated and
 * given the ExternalSecret as its controller).
 */
export function gitCredentialsExternalSecret(
  engine: GitOpsTarget['engine'],
  credentials: GitCredentialsRef,
  repoURL: string,
  namespace: string,
  store: string,
): ManifestObject {
  const keys = (engine === 'argo-cd' ? ARGO_KEYS : FLUX_KEYS)[credentials.kind];
  const template =
    engine === 'argo-cd'
      ? {
          template: {
            engineVersion: 'v2',
            metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
            // each key read from the store as it is (`{{ .key }}`), with the non-secret `type` and `url`
            data: {
              type: 'git',
              url: repoURL,
              ...Object.fromEntries(Object.keys(keys).map((k) => [k, `{{ .${k} }}`])),
            },
          },
        }
      : {};
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: GIT_CREDENTIALS_SECRET, namespace, labels: MANAGED_BY },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: store, kind: 'ClusterSecretStore' },
      target: { name: GIT_CREDENTIALS_SECRET, creationPolicy: 'Owner', ...template },
      data: Object.entries(keys).map(([secretKey, property]) => ({
        secretKey,
        remoteRef: { key: credentials.storeEntry, property },
      })),
    },
  };
}

/**
 * Adds the credentials' ExternalSecret to the wave file after the one creating `store` (the store
 * and the operator's CRDs exist by then), or to the last file when no file creates it.
 */
export function withCredentialsObject(
  files: readonly { readonly objects: ManifestObject[] }[],
  store: string,
  make: (fileIndex: number) => ManifestObject,
): void {
  const storeFile = files.findIndex((f) =>
    f.objects.some((o) => o.kind === 'ClusterSecretStore' && o.metadata?.name === store),
  );
  const index = storeFile === -1 ? files.length - 1 : Math.min(storeFile + 1, files.length - 1);
  if (index >= 0) files[index].objects.push(make(index));
}

/** Problems of a credentials reference for `repoURL`: field, value shown and what is allowed. */
export function credentialsProblems(
  credentials: GitCredentialsRef,
  repoURL: string | undefined,
): [string, unknown, string][] {
  const problems: [string, unknown, string][] = [];
  if (credentials.kind !== 'ssh' && credentials.kind !== 'token')
    problems.push(['target.credentials.kind', credentials.kind, 'must be "ssh" or "token"']);
  const entry = credentials.storeEntry;
  if (!isStoreEntryName(entry))
    problems.push([
      'target.credentials.storeEntry',
      secretInValue(entry) === undefined ? entry : '<redacted>',
      'must be the name of a secret-store entry: letters, digits and "/ _ + = . @ -", at most 256',
    ]);
  if (repoURL === undefined)
    problems.push([
      'target.credentials',
      credentials.kind,
      'needs target.repoURL: credentials are for reading a repository',
    ]);
  else if (credentials.kind === 'ssh' && !isSshUrl(repoURL))
    problems.push(['target.credentials.kind', 'ssh', 'needs an ssh:// or git@ repository URL']);
  else if (credentials.kind === 'token' && isSshUrl(repoURL))
    problems.push(['target.credentials.kind', 'token', 'needs an https:// repository URL']);
  return problems;
}
