import { GroundworkValidationError, platformAddons, PlatformAddonsProps, renderGitOps } from '../../constructs';
import { environments } from '../../environments';
import { validated } from '../helpers/synth';

const repo = { repoURL: 'https://git.example.com/platform.git', revision: 'main', path: 'dist/test/addons' };
const profile: PlatformAddonsProps = {
  ingress: { envoyGateway: { default: true } },
  certManager: { selfSignedCa: true, serviceMonitor: true },
  policy: { engine: 'gatekeeper' },
  logs: {},
};

describe('GitOps rendering', () => {
  test('Argo CD: one Application per add-on, sync-wave from the graph, SSA and CreateNamespace, companions after', () => {
    const addons = platformAddons(profile);
    const r = renderGitOps(addons, { engine: 'argo-cd', ...repo });
    const apps = r.files[0].objects as any[];
    validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
    expect(apps.map((a) => a.metadata.name).sort()).toEqual([...addons.plan.addons.keys()].sort());
    for (const a of apps) {
      expect(a.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(addons.plan.waveOf.get(a.metadata.name)));
      expect(a.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    }
    const wave = (name: string): number => Number(apps.find((a) => a.metadata.name === name).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('cert-manager')).toBeGreaterThan(wave('kube-prometheus-stack'));
    expect(wave('cert-manager')).toBeGreaterThan(wave('envoy-gateway'));
    expect(wave('alloy')).toBeGreaterThan(wave('loki'));
    const cm = apps.find((a) => a.metadata.name === 'cert-manager');
    expect(cm.spec.source).toMatchObject({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.19.1' });
    expect(cm.spec.source.helm.valuesObject.crds).toEqual({ enabled: true, keep: true });
    expect(apps.find((a) => a.metadata.name === 'envoy-gateway').spec.source.repoURL).toBe('docker.io/envoyproxy');
    // companions: each after its own chart; ConstraintTemplates before the constraints that use them
    expect(r.files.map((f) => f.name)).toEqual(['10-applications', '20-addon-resources']);
    const waveOfObject = (kind: string): number[] => r.files[1].objects.filter((o) => o.kind === kind).map((o) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave']));
    for (const w of waveOfObject('ClusterIssuer')) expect(w).toBeGreaterThan(wave('cert-manager'));
    for (const w of waveOfObject('GroundworkProbes')) expect(w).toBeGreaterThan(Math.max(...waveOfObject('ConstraintTemplate')));
    for (const w of waveOfObject('ConstraintTemplate')) expect(w).toBeGreaterThan(wave('gatekeeper'));
    expect(r.bootstrap[0]).toMatchObject({ kind: 'Application', spec: { source: { path: 'dist/test/addons' } } });
  });

  test('Flux: HelmRepository per repository, HelmRelease per add-on with dependsOn, companions after all releases', () => {
    const trustAnchorsPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const addons = platformAddons({ ...profile, gitops: { engine: 'flux' }, mesh: { engine: 'linkerd', linkerd: { trustAnchorsPem } }, telepresence: {} });
    const r = renderGitOps(addons, { engine: 'flux', ...repo });
    validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
    const sources = r.files[0].objects as any[];
    const releases = r.files.flatMap((f) => f.objects).filter((o) => o.kind === 'HelmRelease') as any[];
    expect(sources.find((x) => x.spec.url === 'oci://docker.io/envoyproxy').spec.type).toBe('oci');
    expect(new Set(sources.map((x) => x.metadata.name)).size).toBe(sources.length);
    const cm = releases.find((x) => x.metadata.name === 'cert-manager');
    expect(cm.spec.dependsOn).toEqual([{ name: 'kube-prometheus-stack', namespace: 'flux-system' }, { name: 'envoy-gateway', namespace: 'flux-system' }]);
    expect(cm.spec.chart.spec).toMatchObject({ chart: 'cert-manager', version: 'v1.19.1', sourceRef: { kind: 'HelmRepository' } });
    expect(cm.spec.install).toMatchObject({ createNamespace: true, crds: 'CreateReplace' });
    // one directory and one Kustomization per wave, each waiting for the one before
    expect(r.files.map((f) => f.name)).toEqual(['sources/helm-repositories', ...addons.plan.waves.map((_, i) => `wave-${i}/addons`)]);
    expect(r.bootstrap.map((k: any) => [k.metadata.name, (k.spec.dependsOn ?? []).map((d: any) => d.name), k.spec.wait])).toEqual([
      ['groundwork-addons-sources', [], true],
      ...addons.plan.waves.map((_, i) => [`groundwork-addons-wave-${i}`, [i === 0 ? 'groundwork-addons-sources' : `groundwork-addons-wave-${i - 1}`], true]),
    ]);
    const fileOf = (pred: (o: any) => boolean): number => r.files.findIndex((f) => f.objects.some(pred));
    // Linkerd's identity issuer certificate is applied before the control plane that needs it
    expect(fileOf((o) => o.kind === 'Certificate' && o.metadata.name === 'linkerd-identity-issuer'))
      .toBeLessThan(fileOf((o) => o.kind === 'HelmRelease' && o.metadata.name === 'linkerd-control-plane'));
    expect(fileOf((o) => o.kind === 'ClusterIssuer')).toBeGreaterThan(fileOf((o) => o.kind === 'HelmRelease' && o.metadata.name === 'cert-manager'));
  });

  test('every environment renders schema-valid add-on YAML for its engine', () => {
    for (const env of Object.values(environments)) {
      const r = renderGitOps(platformAddons(env.addons), env.gitops);
      validated([...r.files.flatMap((f) => f.objects), ...r.bootstrap]);
    }
  });

  test('the engine must be an enabled add-on', () => {
    expect(() => renderGitOps(platformAddons({ ...profile, gitops: false }), { engine: 'argo-cd', ...repo }))
      .toThrow(new GroundworkValidationError(["GitOpsTarget: engine ('argo-cd') must be an enabled add-on (enable it in the gitops profile)"]));
  });
});
