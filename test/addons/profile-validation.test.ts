import { certManager, metricsServer, platformAddons, type PlatformAddonsProps, requestsOf } from '../../constructs';
import { validationErrorOf } from '../helpers/synth';

const base: PlatformAddonsProps = {
  certManager: {
    letsEncrypt: {
      email: 'ops@acme.io',
      solver: { type: 'http01', gateway: { name: 'public', namespace: 'gateway-system' } },
    },
  },
};

/** A profile as a JavaScript or JSON caller could write it: no types to stop a typo. */
const untyped = (extra: Record<string, unknown>): PlatformAddonsProps => ({ ...base, ...extra });

describe('platformAddons refuses what a typed caller could not write', () => {
  test('an unknown profile key (a typo would silently drop an add-on)', () => {
    expect(validationErrorOf(() => platformAddons(untyped({ backups: { storage: {} } })))).toContain(
      'PlatformAddons: backups is not an add-on profile key; allowed: cluster, nodes, ingress, awsEbsCsi,',
    );
  });

  test.each([
    ['gitops', { engine: 'foo' }, 'PlatformAddons: gitops.engine ("foo") must be one of argo-cd, flux'],
    ['mesh', { engine: 'foo' }, 'PlatformAddons: mesh.engine ("foo") must be one of istio, linkerd'],
    ['policy', { engine: 'foo' }, 'PlatformAddons: policy.engine ("foo") must be one of kyverno, gatekeeper'],
  ])('an unknown %s engine is refused, not defaulted to the other one', (key, value, message) => {
    expect(validationErrorOf(() => platformAddons(untyped({ [key]: value })))).toBe(message);
  });

  test.each([-1, 0, 2.5])('nodes (%p): a footprint needs at least one whole node', (nodes) => {
    expect(validationErrorOf(() => platformAddons({ ...base, nodes }))).toBe(
      `PlatformAddons: nodes (${nodes}) must be a whole number >= 1 (per-node agents are counted once per node)`,
    );
  });
});

describe('cert-manager solvers', () => {
  test.each([
    [{ namespace: 'gateway-system' }, 'letsEncrypt.solver.gateway.name ("") must be a DNS-1123 subdomain'],
    [{ name: 'public' }, 'letsEncrypt.solver.gateway.namespace ("") must be a DNS-1123 label'],
  ])('an HTTP-01 Gateway solver without its Gateway name or namespace: %j', (gateway, message) => {
    const props = { gatewayApi: true, letsEncrypt: { email: 'ops@acme.io', solver: { type: 'http01', gateway } } };
    expect(validationErrorOf(() => certManager(props as never))).toContain(`Addon 'cert-manager': ${message}`);
  });

  test('an unknown solver type', () => {
    expect(
      validationErrorOf(() =>
        certManager({ letsEncrypt: { email: 'ops@acme.io', solver: { type: 'tls-alpn01' } } } as never),
      ),
    ).toContain("Addon 'cert-manager': letsEncrypt.solver.type (\"tls-alpn01\") must be 'http01' or 'dns01'");
  });
});

describe('add-on memory limits', () => {
  test('default to twice the request (a webhook at its request OOM-kills and fails closed); an explicit limit wins; a limit below the request is refused', () => {
    expect(requestsOf({ cpu: '50m', memory: '192Mi' })).toEqual({
      requests: { cpu: '50m', memory: '192Mi' },
      limits: { memory: '384Mi' },
    });
    expect(requestsOf({ cpu: '50m', memory: '1Gi' }).limits.memory).toBe('2048Mi');
    expect(requestsOf({ cpu: '50m', memory: '128Mi', memoryLimit: '1Gi' }).limits.memory).toBe('1Gi');
    expect(
      validationErrorOf(() => metricsServer({ size: { cpu: '50m', memory: '256Mi', memoryLimit: '128Mi' } })),
    ).toContain('Addon \'metrics-server\': size.memory ("256Mi") must be');
  });
});
