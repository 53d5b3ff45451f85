import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  type EnvironmentRendering,
  type GitOpsTarget,
  type ManifestObject,
  parseStackConfig,
  platformAddons,
  type PlatformAddonsProps,
  renderEnvironment,
  renderGitOps,
} from '../../constructs';
import { loadStack } from '../../stacks/stack-config';
import { writeRendering } from '../../stacks/render';
import { validated, validationErrorOf } from '../helpers/synth';

const profile: PlatformAddonsProps = {
  certManager: { selfSignedCa: true },
  externalSecrets: {
    storeName: 'platform-secrets',
    backend: { provider: 'kubernetes', namespace: 'platform-secrets' },
  },
};
const SSH_URL = 'git@github.com:acme/platform.git';
/** Flux takes SSH only as a URL (source-controller's GitRepository url pattern). */
const FLUX_SSH_URL = 'ssh://git@github.com/acme/platform.git';
const HTTPS_URL = 'https://github.com/acme/platform.git';
const ssh = { kind: 'ssh', storeEntry: 'groundwork-git' } as const;
const token = { kind: 'token', storeEntry: 'groundwork-git-token' } as const;

const all = (r: {
  files: readonly { objects: readonly ManifestObject[] }[];
  bootstrap: readonly ManifestObject[];
}): ManifestObject[] => [...r.files.flatMap((f) => f.objects), ...r.bootstrap];
const render = (
  target: GitOpsTarget,
  gitopsEngine: 'argo-cd' | 'flux' = target.engine,
): ReturnType<typeof renderGitOps> =>
  renderGitOps(platformAddons({ ...profile, gitops: { engine: gitopsEngine } }), target, { appsAfterWave: 0 });
const externalSecret = (objects: readonly ManifestObject[]): ManifestObject & { spec: Record<string, unknown> } => {
  const found = objects.filter((o) => o.kind === 'ExternalSecret' && o.metadata?.name === 'groundwork-git-credentials');
  expect(found).toHaveLength(1);
  return found[0] as ManifestObject & { spec: Record<string, unknown> };
};

describe('GitOps: private repository credentials', () => {
  test('Argo CD, SSH: a repository Secret from the platform store (sshPrivateKey, type, url, the repository label), no value in the output', () => {
    const r = render({ engine: 'argo-cd', repoURL: SSH_URL, revision: 'main', path: 'deploy/test', credentials: ssh });
    const objects = validated(all(r));
    const es = externalSecret(objects);
    expect(es.metadata?.namespace).toBe('argocd');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'platform-secrets', kind: 'ClusterSecretStore' },
      target: {
        name: 'groundwork-git-credentials',
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
          data: { type: 'git', url: SSH_URL, sshPrivateKey: '{{ .sshPrivateKey }}' },
        },
      },
      data: [{ secretKey: 'sshPrivateKey', remoteRef: { key: 'groundwork-git', property: 'sshPrivateKey' } }],
    });
    // after the wave that creates the store: the operator and the store are there
    const waveOf = (o: ManifestObject): number => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave']);
    const store = objects.find((o) => o.kind === 'ClusterSecretStore') as ManifestObject;
    expect(waveOf(es)).toBe(waveOf(store) + 1);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  test('Argo CD, token: username and password', () => {
    const r = render({
      engine: 'argo-cd',
      repoURL: HTTPS_URL,
      revision: 'main',
      path: 'deploy/test',
      credentials: token,
    });
    const es = externalSecret(validated(all(r)));
    expect((es.spec.target as { template: { data: unknown } }).template.data).toEqual({
      type: 'git',
      url: HTTPS_URL,
      username: '{{ .username }}',
      password: '{{ .password }}',
    });
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'groundwork-git-token', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'groundwork-git-token', property: 'password' } },
    ]);
  });

  test('Flux, SSH: the GitRepository names the Secret; identity and known_hosts', () => {
    const r = render({
      engine: 'flux',
      repoURL: FLUX_SSH_URL,
      revision: 'main',
      path: 'deploy/test',
      credentials: ssh,
    });
    const objects = validated(all(r));
    const source = r.bootstrap.find((o) => o.kind === 'GitRepository') as ManifestObject & {
      spec: Record<string, unknown>;
    };
    expect(source.spec.secretRef).toEqual({ name: 'groundwork-git-credentials' });
    const es = externalSecret(objects);
    expect(es.metadata?.namespace).toBe('flux-system');
    expect(es.spec.target).toEqual({ name: 'groundwork-git-credentials', creationPolicy: 'Owner' });
    expect(es.spec.data).toEqual([
      { secretKey: 'identity', remoteRef: { key: 'groundwork-git', property: 'sshPrivateKey' } },
      { secretKey: 'known_hosts', remoteRef: { key: 'groundwork-git', property: 'knownHosts' } },
    ]);
  });

  test('Flux, token: username and password; without credentials no secretRef', () => {
    const r = render({ engine: 'flux', repoURL: HTTPS_URL, revision: 'main', path: 'deploy/test', credentials: token });
    expect(externalSecret(validated(all(r))).spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'groundwork-git-token', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'groundwork-git-token', property: 'password' } },
    ]);
    const open = render({ engine: 'flux', repoURL: HTTPS_URL, revision: 'main', path: 'deploy/test' });
    expect(
      (open.bootstrap.find((o) => o.kind === 'GitRepository')?.spec as Record<string, unknown>).secretRef,
    ).toBeUndefined();
    expect(all(open).some((o) => o.metadata?.name === 'groundwork-git-credentials')).toBe(false);
  });

  test('a reference that does not fit the URL, no URL, or no secret store is refused, naming the field', () => {
    const base = { revision: 'main', path: 'deploy/test' };
    expect(
      validationErrorOf(() => render({ engine: 'argo-cd', repoURL: HTTPS_URL, ...base, credentials: ssh })),
    ).toContain('target.credentials.kind ("ssh") needs an ssh:// or git@ repository URL');
    expect(
      validationErrorOf(() => render({ engine: 'flux', repoURL: SSH_URL, ...base, credentials: token })),
    ).toContain('target.credentials.kind ("token") needs an https:// repository URL');
    expect(validationErrorOf(() => render({ engine: 'flux', ...base, credentials: token }))).toContain(
      'target.credentials ("token") needs target.repoURL: credentials are for reading a repository',
    );
    const noStore = platformAddons({ certManager: { selfSignedCa: true }, gitops: { engine: 'argo-cd' } });
    expect(
      validationErrorOf(() =>
        renderGitOps(noStore, { engine: 'argo-cd', repoURL: SSH_URL, ...base, credentials: ssh }),
      ),
    ).toContain('GitOps target.credentials: needs a ClusterSecretStore, which no enabled add-on creates');
  });
});

describe('groundwork:gitCredentials', () => {
  const parse = (value: unknown): ReturnType<typeof parseStackConfig> =>
    parseStackConfig(
      { 'groundwork:environment': 'kind', 'groundwork:gitCredentials': value },
      'kind',
      'Pulumi.kind.yaml',
    );

  test('a reference is read; a value that is no reference is refused and never echoed', () => {
    expect(parse('ssh:groundwork/git').gitCredentials).toBe('ssh:groundwork/git');
    const message = validationErrorOf(() => parse('-----BEGIN OPENSSH PRIVATE KEY-----'));
    expect(message).toContain(
      'Pulumi.kind.yaml: groundwork:gitCredentials (<redacted>) must be "ssh:<entry>" or "token:<entry>": the kind of credentials and the secret-store entry holding them (letters, digits and "/ _ + = . @ -"), never a key or token itself',
    );
    expect(message).not.toContain('BEGIN');
  });

  /** The kind stack with a repository and, when given, credentials. */
  const kindWith = (config: Record<string, string>): EnvironmentRendering => {
    const { definition, config: shipped, source } = loadStack('kind');
    return renderEnvironment(definition, { ...shipped, ...config }, { stack: 'kind', source });
  };

  test('preflight: a git@ URL without credentials must be set; with them nothing, and the store entry is listed with its properties', () => {
    const bare = kindWith({ gitRepoUrl: SSH_URL }).checks.preflight;
    expect(bare.ok).toBe(false);
    expect(bare.findings.filter((f) => f.severity === 'must-set')).toEqual([
      {
        severity: 'must-set',
        key: 'gitCredentials',
        message: `groundwork:gitRepoUrl ("${SSH_URL}") in Pulumi.kind.yaml is read over SSH, and nothing supplies a key: set groundwork:gitCredentials to "ssh:<entry>", the secret-store entry holding the deploy key`,
      },
    ]);
    const r = kindWith({ gitRepoUrl: SSH_URL, gitCredentials: 'ssh:groundwork-git' });
    expect(r.checks.preflight.ok).toBe(true);
    const store = r.checks.preflight.findings.find((f) => f.message.startsWith('secret store platform-secrets'));
    expect(store?.message).toMatch(/groundwork-git \(sshPrivateKey\)/);
    expect(store?.message).toContain('groundwork-git from GIT_SSH_KEY_FILE)');
    expect(r.ok).toBe(true);
  });

  test('preflight: an https URL without credentials is assumed public', () => {
    const findings = kindWith({ gitRepoUrl: HTTPS_URL }).checks.preflight.findings;
    expect(findings.filter((f) => f.key === 'gitCredentials')).toEqual([
      {
        severity: 'assumed',
        key: 'gitCredentials',
        message: `groundwork:gitRepoUrl ("${HTTPS_URL}") is read without credentials: the repository is assumed public (for a private one set groundwork:gitCredentials to "token:<entry>")`,
      },
    ]);
  });

  test('kind: the bootstrap inputs name the credentials and the local store entry; without them engine.env is unchanged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-git-'));
    try {
      writeRendering(kindWith({ gitRepoUrl: SSH_URL, gitCredentials: 'ssh:groundwork-git' }), dir);
      const env = fs.readFileSync(path.join(dir, 'bootstrap/engine.env'), 'utf8');
      expect(env).toContain(
        [
          `GIT_REPO_URL='${SSH_URL}'`,
          "GIT_CREDENTIALS_KIND='ssh'",
          "GIT_CREDENTIALS_SECRET='groundwork-git-credentials'",
          "GIT_CREDENTIALS_ENTRY='groundwork-git'",
          "GIT_CREDENTIALS_STORE_NAMESPACE='platform-secrets'",
        ].join('\n'),
      );
      // the bootstrap fills the entry from the files, not with random values
      expect(fs.readFileSync(path.join(dir, 'bootstrap/local-secrets.tsv'), 'utf8')).not.toContain('groundwork-git');
      writeRendering(kindWith({ gitRepoUrl: HTTPS_URL }), dir);
      expect(fs.readFileSync(path.join(dir, 'bootstrap/engine.env'), 'utf8')).not.toContain('GIT_CREDENTIALS');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
