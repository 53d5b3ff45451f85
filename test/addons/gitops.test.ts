import {
  CATALOG,
  GroundworkValidationError,
  type ManifestObject,
  platformAddons,
  type PlatformAddonsProps,
  renderGitOps,
} from '../../constructs';
import { as, named, ofKind } from '../helpers/kinds';
import { validated, validationErrorOf } from '../helpers/synth';
import { rendered, STACKS } from '../helpers/stacks';

const repo = { repoURL: 'https://git.example.com/platform.git', revision: 'main', path: 'deploy/test' };
const profile: PlatformAddonsProps = {
  ingress: { envoyGateway: { default: true } },
  certManager: { selfSignedCa: true, serviceMonitor: true },
  policy: { engine: 'gatekeeper' },
  logs: {},
};
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** The Argo CD sync wave of an object (its annotation as a number). */
const waveAnnotation = (o: {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
}): number => Number(o.metadata?.annotations?.[SYNC_WAVE]);

describe('GitOps rendering', () => {
  test('Argo CD: one file per wave, an Application per add-on with its sync-wave, SSA, CreateNamespace and retry', () => {
    const addons = platformAddons(profile);
    const r = renderGitOps(addons, { engine: 'argo-cd', ...repo });
    validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
    expect(r.files.map((f) => f.name)).toEqual(addons.plan.waves.map((_, i) => `wave-${String(i).padStart(2, '0')}`));
    const apps = ofKind(
      r.files.flatMap((f) => f.objects),
      'Application',
    );
    expect(apps.map((a) => a.metadata.name).sort()).toEqual([...addons.plan.addons.keys()].sort());
    for (const a of apps) {
      expect(waveAnnotation(a)).toBe(addons.plan.waveOf.get(a.metadata.name));
      expect(a.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
      expect(a.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    }
    const wave = (name: string): number => waveAnnotation(named(apps, name));
    expect(wave('cert-manager')).toBeGreaterThan(wave('kube-prometheus-stack'));
    expect(wave('cert-manager')).toBeGreaterThan(wave('envoy-gateway'));
    expect(wave('alloy')).toBeGreaterThan(wave('loki'));
    const cm = named(apps, 'cert-manager');
    expect(cm.spec.source).toMatchObject({
      repoURL: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      targetRevision: CATALOG['cert-manager'].version,
    });
    expect(named(apps, 'envoy-gateway').spec.source.repoURL).toBe('docker.io/envoyproxy');
    // objects: each after the chart serving its kind; ConstraintTemplates before the constraints that use them
    const objs = r.files.flatMap((f) => f.objects).filter((o) => o.kind !== 'Application');
    const wavesOf = (kind: string): number[] => objs.filter((o) => o.kind === kind).map(waveAnnotation);
    for (const w of wavesOf('ClusterIssuer')) expect(w).toBeGreaterThan(wave('cert-manager'));
    for (const w of wavesOf('GroundworkProbes')) expect(w).toBeGreaterThan(Math.max(...wavesOf('ConstraintTemplate')));
    for (const w of wavesOf('ConstraintTemplate')) expect(w).toBeGreaterThan(wave('gatekeeper'));
    for (const o of objs)
      expect(o.metadata?.annotations?.['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
  });

  test('Argo CD root app: survives custom resources whose CRDs a child installs, and retries (defect 1)', () => {
    // argo-cd v3.2 docs/user-guide/sync-options.md: SkipDryRunOnMissingResource=true skips the dry run of
    // kinds not yet known; without it the first sync fails before anything is created, and automated
    // sync does not retry a failed revision without syncPolicy.retry
    const r = renderGitOps(platformAddons(profile), { engine: 'argo-cd', ...repo }, { appsAfterWave: 1 });
    const root = as(
      r.bootstrap.find((o) => o.kind === 'Application'),
      'Application',
    );
    expect(root.spec.source).toEqual({ repoURL: repo.repoURL, targetRevision: 'main', path: 'deploy/test/addons' });
    expect(root.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    expect(root.spec.syncPolicy.retry).toMatchObject({ limit: 10, backoff: { duration: '15s', factor: 2 } });
    // the apps are a child of the root app, synced in the wave after the last one they need
    const appsObject = r.files.flatMap((f) => f.objects).find((o) => o.metadata?.name === 'groundwork-apps');
    const apps = as(appsObject, 'Application');
    expect(waveAnnotation(apps)).toBe(2);
    expect(apps.spec.source.path).toBe('deploy/test');
    expect(apps.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
  });

  test('without a repository nothing points at Git: the wave files are applied by the bootstrap script', () => {
    const r = renderGitOps(
      platformAddons(profile),
      { engine: 'argo-cd', revision: 'main', path: 'deploy/test' },
      { appsAfterWave: 1 },
    );
    expect(r.bootstrap).toEqual([]);
    expect(r.files.flatMap((f) => f.objects).some((o) => o.metadata?.name === 'groundwork-apps')).toBe(false);
    expect(r.engine).toMatchObject({ chart: { chart: 'argo-cd' }, releaseName: 'argo-cd', namespace: 'argocd' });
  });

  test('Flux: no HelmRelease of Flux itself over the bootstrap install (defect 2); a Kustomization per wave', () => {
    // helm v3.19 pkg/action/validate.go checkOwnership refuses to adopt objects without its ownership
    // metadata ("invalid ownership metadata"): a HelmRelease of flux2 over an install made by other
    // means never becomes Ready, and every later wave waits for it
    const trustAnchorsPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const addons = platformAddons({
      ...profile,
      gitops: { engine: 'flux' },
      mesh: { engine: 'linkerd', linkerd: { trustAnchorsPem } },
      telepresence: {},
    });
    const r = renderGitOps(addons, { engine: 'flux', ...repo }, { appsAfterWave: 2 });
    validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
    const releases = ofKind(
      r.files.flatMap((f) => f.objects),
      'HelmRelease',
    );
    expect(releases.map((x) => x.metadata.name)).not.toContain('flux');
    expect(releases.map((x) => x.metadata.name).sort()).toEqual(
      [...addons.plan.addons.keys()].filter((id) => id !== 'flux').sort(),
    );
    for (const x of releases) expect(x.spec.dependsOn.map((d) => d.name)).not.toContain('flux');
    expect(r.engine).toMatchObject({ chart: { chart: 'flux2' }, namespace: 'flux-system' });
    const sources = ofKind(r.files[0].objects, 'HelmRepository');
    expect(sources.find((x) => x.spec.url === 'oci://docker.io/envoyproxy')?.spec.type).toBe('oci');
    const cm = named(releases, 'cert-manager');
    expect(cm.spec.dependsOn.map((d) => d.name).sort()).toEqual(['envoy-gateway', 'kube-prometheus-stack']);
    expect(cm.spec.install).toMatchObject({ createNamespace: true, crds: 'CreateReplace' });
    // the bootstrap: our own GitRepository (no `flux bootstrap` ownership), one Kustomization per
    // non-empty wave, each waiting for the previous, and the apps after the wave they need
    const [git, ...rest] = r.bootstrap;
    const ks = rest.filter((k) => k.kind === 'Kustomization').map((k) => as(k, 'Kustomization'));
    expect(git).toMatchObject({
      kind: 'GitRepository',
      metadata: { name: 'groundwork' },
      spec: { url: repo.repoURL, ref: { branch: 'main' } },
    });
    const waves = ks.filter((k) => k.metadata.name !== 'groundwork-apps');
    for (let i = 1; i < waves.length; i++)
      expect(waves[i].spec.dependsOn).toEqual([{ name: waves[i - 1].metadata.name }]);
    for (const k of ks) expect([k.spec.wait, k.spec.sourceRef.name]).toEqual([true, 'groundwork']);
    const appsK = named(ks, 'groundwork-apps');
    expect(appsK.spec.path).toBe('./deploy/test');
    expect(appsK.spec.dependsOn).toEqual([{ name: 'groundwork-addons-wave-02' }]);
    const fileOf = (pred: (o: ManifestObject) => boolean): number => r.files.findIndex((f) => f.objects.some(pred));
    // Linkerd's identity issuer certificate is applied before the control plane that mounts it
    expect(fileOf((o) => o.kind === 'Certificate' && o.metadata?.name === 'linkerd-identity-issuer')).toBeLessThan(
      fileOf((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'linkerd-control-plane'),
    );
    expect(fileOf((o) => o.kind === 'ClusterIssuer')).toBeGreaterThan(
      fileOf((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'cert-manager'),
    );
  });

  test.each(STACKS)('%s: renders schema-valid add-on YAML for its engine', (stack) => {
    const r = rendered(stack).gitops;
    validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
  });

  test('the engine must be an enabled add-on', () => {
    expect(() => renderGitOps(platformAddons({ ...profile, gitops: false }), { engine: 'argo-cd', ...repo })).toThrow(
      new GroundworkValidationError([
        'GitOps \'renderGitOps\': target.engine ("argo-cd") must be an enabled add-on (enable it in the gitops profile)',
      ]),
    );
  });

  // JavaScript callers and typos: every field of the target is checked, never defaulted or dropped
  const addons = platformAddons(profile);
  test.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      'an engine that is not a GitOps engine (an enabled add-on all the same)',
      { engine: 'loki' },
      {},
      'GitOps \'renderGitOps\': target.engine ("loki") must be one of argo-cd, flux',
    ],
    [
      'an unknown engine',
      { engine: 'foo' },
      {},
      'GitOps \'renderGitOps\': target.engine ("foo") must be one of argo-cd, flux',
    ],
    [
      'a typo in a field name',
      { repoUrl: 'https://github.com/acme/platform.git' },
      {},
      "GitOps 'renderGitOps': target.repoUrl (a string) is not a field here; known: engine, repoURL, revision, path",
    ],
    [
      'credentials in the repository URL',
      { repoURL: 'https://bot:hunter2@github.com/acme/platform.git' },
      {},
      'GitOps \'renderGitOps\': target.repoURL ("<redacted>") must be an https://, ssh:// or git@ repository URL without credentials in it',
    ],
    [
      'a revision with a space',
      { revision: 'main branch' },
      {},
      'GitOps \'renderGitOps\': target.revision ("main branch") must be a branch, tag or commit such as "main", "v1.2.0" or a commit hash',
    ],
    [
      'a revision with ..',
      { revision: 'release..x' },
      {},
      'GitOps \'renderGitOps\': target.revision ("release..x") must be a branch',
    ],
    ['no revision', { revision: undefined }, {}, "GitOps 'renderGitOps': target.revision (undefined) is required"],
    [
      'an absolute path',
      { path: '/deploy/test' },
      {},
      'GitOps \'renderGitOps\': target.path ("/deploy/test") must be a relative path inside the repository, e.g. "deploy/prod"',
    ],
    [
      'a path leaving the repository',
      { path: 'deploy/../../etc' },
      {},
      'GitOps \'renderGitOps\': target.path ("deploy/../../etc") must be a relative path',
    ],
    [
      'apps after a wave the plan does not have',
      {},
      { appsAfterWave: 99 },
      `GitOps 'renderGitOps': options.appsAfterWave (99) must be a plan wave from -1 (the apps need no add-on) to ${addons.plan.waves.length - 1}`,
    ],
    [
      'apps after a fractional wave',
      {},
      { appsAfterWave: 1.5 },
      "GitOps 'renderGitOps': options.appsAfterWave (1.5) must be a plan wave",
    ],
    [
      'an unknown option',
      {},
      { appsAfter: 2 },
      "GitOps 'renderGitOps': options.appsAfter (2) is not a field here; known: appsAfterWave",
    ],
  ])('refused: %s', (_what, target, options, message) => {
    const error = validationErrorOf(() =>
      renderGitOps(addons, { engine: 'argo-cd', ...repo, ...target } as never, options),
    );
    expect(error).toContain(message);
    // a credential in the repository URL is never echoed
    expect(error).not.toContain('hunter2');
  });
});
