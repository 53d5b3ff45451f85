import { GroundworkValidationError, Tenant } from '../../constructs';
import { resolveTenant } from '../../constructs/tenancy/tenant-spec';
import type { TenantProps } from '../../constructs/tenancy/tenant-props';
import { errorOf } from '../helpers/synth';
import { rendered } from '../helpers/stacks';

const kindPlatform = () => rendered('kind').contract;
const base = { name: 'team-a', environment: 'kind', namespaces: [{ name: 'team-a' }] };

/** What `resolveTenant` throws for `props` (named as the construct `test/t` is). */
function resolveError(props: TenantProps): string {
  try {
    resolveTenant(props, 'test/t');
  } catch (e) {
    expect(e).toBeInstanceOf(GroundworkValidationError);
    return (e as Error).message;
  }
  throw new Error('expected resolveTenant to throw');
}

describe('resolveTenant (no construct tree)', () => {
  test('minimal props: every default resolved, the rest read from the platform', () => {
    const platform = kindPlatform();
    const store = platform.secretStoreBackends[0].value.provider as {
      kubernetes: Record<string, unknown> & { remoteNamespace: string };
    };
    expect(resolveTenant({ ...base, platform }, 'test/t')).toEqual({
      name: 'team-a',
      environment: 'kind',
      labels: { environment: 'kind', 'groundwork.io/tenant': 'team-a' },
      namespaces: [{ name: 'team-a', podSecurity: 'restricted' }],
      quota: {
        cpu: '4',
        memory: '8Gi',
        memoryLimit: '16384Mi',
        ephemeralStorage: '20Gi',
        ephemeralStorageLimit: '40Gi',
        pods: 50,
        services: 20,
        configMaps: 50,
        secrets: 50,
        persistentVolumeClaims: 10,
        storage: '100Gi',
        loadBalancers: 0,
        nodePorts: 0,
      },
      limits: {
        cpuRequest: '100m',
        memoryRequest: '128Mi',
        cpuLimit: '1',
        memoryLimit: '256Mi',
        ephemeralStorageRequest: '100Mi',
        ephemeralStorageLimit: '1Gi',
      },
      network: {
        sameNamespace: false,
        gatewayProxies: platform.defaultGateway()?.proxies,
        prometheus: platform.monitoring?.value.prometheus,
        metricsPorts: ['metrics', 'http-metrics'],
        egressToNamespaces: [],
        egressToCidrs: [],
      },
      access: { admins: [], editors: [], viewers: [], delegate: [], ciDeployer: true },
      secretStore: {
        name: 'tenant-team-a',
        provider: {
          kubernetes: { ...store.kubernetes, remoteNamespace: `${store.kubernetes.remoteNamespace}-team-a` },
        },
        remoteNamespace: `${store.kubernetes.remoteNamespace}-team-a`,
      },
      hostnames: ['*.team-a.groundwork.localhost'],
      certificateController: platform.certificates?.value.controller,
      prometheusUrl: platform.monitoring?.value.prometheusUrl,
    });
    // the platform has both: the defaults admit its Gateway's proxies and its Prometheus
    expect(platform.defaultGateway()).toBeDefined();
    expect(platform.monitoring).toBeDefined();
  });

  test('mesh membership without a mesh: the message the construct gives', () => {
    const props = { ...base, platform: kindPlatform(), mesh: true };
    const message =
      "Tenant 'test/t': mesh (true) needs a service mesh in the platform (enable mesh in the add-on profile)";
    expect(resolveError(props)).toBe(message);
    expect(errorOf((c) => new Tenant(c, 't', props))).toBe(message);
  });

  test('bad metrics ports: every problem, in order, as the construct gives them', () => {
    const props = { ...base, platform: kindPlatform(), network: { metricsPorts: ['Metrics!', 70000] } };
    const message = [
      `Tenant 'test/t': network.metricsPorts[0] ("Metrics!") must be an IANA service name: 1-15 lowercase alphanumerics or "-", with at least one letter and no "--" or leading/trailing "-"`,
      "Tenant 'test/t': network.metricsPorts[1] (70000) must be an integer between 1 and 65535",
    ].join('\n');
    expect(resolveError(props)).toBe(message);
    expect(errorOf((c) => new Tenant(c, 't', props))).toBe(message);
  });

  test('a delegation that is not delegable', () => {
    const props: TenantProps = { ...base, platform: kindPlatform(), access: { delegate: ['secrets' as never] } };
    expect(resolveError(props)).toBe(
      `Tenant 'test/t': access.delegate[0] ("secrets") must be one of externalSecrets, analysis`,
    );
  });

  test("the tree's checks record their problems in their place: after the namespaces, after the hostnames", () => {
    const props = { ...base, platform: kindPlatform(), quota: { cpu: 'lots' } };
    const seen: string[] = [];
    const message = (() => {
      try {
        resolveTenant(props, 'test/t', {
          namespaces: (v, names) => {
            seen.push(...names);
            v.fail('namespaces[0].name', names[0], 'is held');
          },
          hostnames: (v, hostnames) => {
            seen.push(...hostnames);
            v.fail('hostnames[0]', hostnames[0], 'is held');
          },
        });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(seen).toEqual(['team-a', '*.team-a.groundwork.localhost']);
    expect(message.split('\n')).toEqual([
      `Tenant 'test/t': namespaces[0].name ("team-a") is held`,
      `Tenant 'test/t': quota.cpu ("lots") must be a positive CPU quantity such as "250m" or "1"`,
      `Tenant 'test/t': hostnames[0] ("*.team-a.groundwork.localhost") is held`,
    ]);
  });
});
