import { CATALOG, platformAddons, reloader } from '../../constructs';
import { shippedEnv, STACKS } from '../helpers/stacks';
import { validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

const CERTS = {
  letsEncrypt: {
    email: 'ops@acme.io',
    solver: { type: 'http01' as const, gateway: { name: 'public', namespace: 'gateway-system' } },
  },
};

describe('Reloader', () => {
  test('default: pinned chart, every namespace watched, annotated workloads only, restricted Pods with requests and limits', () => {
    // GIVEN / WHEN
    const d = reloader();
    // THEN
    expect(d.chart).toEqual(CATALOG.reloader);
    expect(d.namespace).toBe('reloader');
    expect(v(d, 'reloader')).toMatchObject({
      watchGlobally: true,
      namespaces: [],
      ignoreNamespaces: '',
      reloadStrategy: 'env-vars',
      autoReloadAll: false,
      isArgoRollouts: false,
      readOnlyRootFileSystem: true,
    });
    expect(v(d, 'reloader.deployment.securityContext')).toEqual({
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(v(d, 'reloader.deployment.containerSecurityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(v(d, 'reloader.deployment.resources')).toEqual({
      requests: { cpu: '10m', memory: '64Mi' },
      limits: { memory: '128Mi' },
    });
    expect(d.podSecurity).toBe('restricted');
    expect(d.components).toEqual({ controller: { cpu: '10m', memory: '64Mi' } });
  });

  test('namespaces narrow what it watches; ignoreNamespaces, the strategy and autoReloadAll reach the chart', () => {
    expect(v(reloader({ namespaces: ['team-a', 'team-b'] }), 'reloader')).toMatchObject({
      watchGlobally: false,
      namespaces: ['team-a', 'team-b'],
    });
    const d = reloader({
      ignoreNamespaces: ['kube-system', 'monitoring'],
      reloadStrategy: 'annotations',
      autoReloadAll: true,
      size: { cpu: '20m', memory: '96Mi' },
    });
    expect(v(d, 'reloader')).toMatchObject({
      watchGlobally: true,
      ignoreNamespaces: 'kube-system,monitoring',
      reloadStrategy: 'annotations',
      autoReloadAll: true,
    });
    expect(v(d, 'reloader.deployment.resources')).toEqual({
      requests: { cpu: '20m', memory: '96Mi' },
      limits: { memory: '192Mi' },
    });
  });

  test('in the profile: off unless asked (every environment leaves it off), and it rolls Argo Rollouts when they are declared', () => {
    for (const stack of STACKS)
      expect(platformAddons(shippedEnv(stack).addons).declarations.map((d) => d.id)).not.toContain('reloader');
    const on = platformAddons({ certManager: CERTS, reloader: {} }).declarations;
    expect(on.map((d) => d.id)).toContain('reloader');
    expect(
      v(
        on.find((d) => d.id === 'reloader'),
        'reloader.isArgoRollouts',
      ),
    ).toBe(true);
    const withoutRollouts = platformAddons({ certManager: CERTS, rollouts: false, reloader: {} }).declarations;
    expect(
      v(
        withoutRollouts.find((d) => d.id === 'reloader'),
        'reloader.isArgoRollouts',
      ),
    ).toBe(false);
    // the policy baseline, declared after it, exempts its namespace like every add-on's
    const kyverno = on.find((d) => d.id === 'kyverno')!;
    expect(JSON.stringify(kyverno.companions)).toContain('"reloader"');
  });

  test('bad input names the add-on, the field, the value and what is allowed', () => {
    expect(validationErrorOf(() => reloader({ reloadStrategy: 'restart' as never }))).toBe(
      'Addon \'reloader\': reloadStrategy ("restart") must be one of env-vars, annotations',
    );
    expect(validationErrorOf(() => reloader({ namespaces: ['Team_A'] }))).toContain(
      'Addon \'reloader\': namespaces[0] ("Team_A") must be',
    );
    expect(validationErrorOf(() => reloader({ namespaces: ['team-a'], ignoreNamespaces: ['team-b'] }))).toBe(
      'Addon \'reloader\': ignoreNamespaces ("team-b") applies only while Reloader watches every namespace: leave out namespaces, or this',
    );
    expect(
      validationErrorOf(() => platformAddons({ certManager: CERTS, reloader: { autoReloadAll: 'yes' } as never })),
    ).toBe("Addon 'reloader': autoReloadAll (a string) must be true or false");
  });
});
