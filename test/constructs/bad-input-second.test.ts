/**
 * Second hostile-input review: each defect gets a test that failed before its fix, matching the
 * whole message (construct path, field, value, what is allowed).
 */
import { performance } from 'node:perf_hooks';
import {
  AppConfig,
  argoCd,
  certManager,
  flux,
  kubePrometheusStack,
  loki,
  platformAddons,
  type PlatformAddonsProps,
  resolveEnvironment,
  StatefulService,
  WebService,
  WebServiceMonitoring,
  type WebServiceProps,
} from '../../constructs';
import { findSecrets, secretInValue, secretLikeName, secretsInArgs } from '../../constructs/internal/secrets';
import { kind } from '../../environments';
import { loadStack } from '../../stacks/stack-config';
import { container, errorOf, one, synth, validationErrorOf } from '../helpers/synth';
import { rendered } from '../helpers/stacks';
/** A platform with monitoring (the kind stack's contract). */
const monitoringPlatform = () => rendered('kind').contract;

const web: WebServiceProps = { image: 'ghcr.io/acme/api:1.2.3', port: 8080 };
const SECRET = 'hunter2-do-not-print';

describe('1. names that say where a secret is, or which one, are not secrets; their values are still scanned', () => {
  test.each([
    'DB_PASSWORD_FILE',
    'OAUTH_TOKEN_URL',
    'TOKEN_ENDPOINT',
    'OIDC_TOKEN_URI',
    'SECRETS_DIR',
    'CREDENTIALS_PATH',
    'API_KEY_NAME',
    'ACCESS_KEY_ID',
    'AWS_ACCESS_KEY_ID',
    'accessKeyId',
    'oauthTokenURL',
    'db-password-file',
    'github.token.endpoint',
  ])('%s is not a secret-like name', (name) => expect(secretLikeName(name)).toBe(false));

  test.each([
    'AWS_SECRET_ACCESS_KEY',
    'DB_PASSWORD',
    'SECRET_KEY',
    'TOKEN_FILE_CONTENTS',
    'URL_TOKEN',
    'PATH_PASSWORD',
    'apiKey',
    'clientSecret',
  ])('%s still is (its last word is a secret word)', (name) => expect(secretLikeName(name)).toBe(true));

  test('a WebService takes a password file path, a token URL and an access key id as literals', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...web,
          env: [
            { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' },
            { name: 'OAUTH_TOKEN_URL', value: 'https://auth.example.com/oauth/token' },
            { name: 'TOKEN_ENDPOINT', value: 'https://auth.example.com/token' },
            { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
          ],
          args: ['--token-file=/var/run/secrets/tokens/api', '--password-file', '/run/secrets/db/password'],
        }),
    );
    expect(container(one(objs, 'Deployment')).env?.map((e) => e.name)).toEqual([
      'DB_PASSWORD_FILE',
      'OAUTH_TOKEN_URL',
      'TOKEN_ENDPOINT',
      'AWS_ACCESS_KEY_ID',
    ]);
  });

  test('a token URL with credentials in it is refused by its value, without echoing it', () => {
    const text = errorOf(
      (c) =>
        new WebService(c, 'api', {
          ...web,
          env: [{ name: 'OAUTH_TOKEN_URL', value: `https://client:${SECRET}@auth.example.com/token` }],
        }),
    );
    expect(text).toBe(
      `WebService 'test/api': env[0].value ("<redacted>") looks like a secret (a URL with credentials in it): use fromSecret (an existing Secret or an ExternalSecret); the value is not shown`,
    );
    expect(text).not.toContain(SECRET);
    expect(secretsInArgs([`--oauth-token-url=https://client:${SECRET}@auth.example.com/token`], 'args')).toEqual([
      { path: 'args[0]', why: 'a URL with credentials in it' },
    ]);
    expect(
      findSecrets(
        { tokenUrl: `https://client:${SECRET}@auth.example.com/token`, passwordFile: '/run/secrets/pw' },
        'values',
      ),
    ).toEqual([{ path: 'values.tokenUrl', why: 'a URL with credentials in it' }]);
    expect(secretInValue(`https://client:${SECRET}@auth.example.com/token`)).toBe('a URL with credentials in it');
  });

  test('AppConfig takes a token endpoint and a password file path as data', () => {
    const objs = synth(
      (c) =>
        new AppConfig(c, 'cfg', {
          data: { TOKEN_ENDPOINT: 'https://auth.example.com/token', DB_PASSWORD_FILE: '/run/secrets/pw' },
        }),
    );
    expect(one(objs, 'ConfigMap').data).toEqual({
      TOKEN_ENDPOINT: 'https://auth.example.com/token',
      DB_PASSWORD_FILE: '/run/secrets/pw',
    });
  });

  test('the suffix check reads only the last words: 1 MiB names take well under a second', () => {
    const MIB = 2 ** 20;
    for (const name of [
      'TOKEN_'.repeat(MIB / 6) + 'FILE',
      'aB'.repeat(MIB / 2) + 'PasswordUrl',
      'PASSWORD' + 'A'.repeat(MIB),
      'token' + '_'.repeat(MIB) + 'file',
    ]) {
      const t0 = performance.now();
      secretLikeName(name);
      expect(performance.now() - t0).toBeLessThan(250);
    }
  });
});

describe('2. every volume mount of the container has a directory of its own (ValidateVolumeMounts: mountPath must be unique)', () => {
  const ws = (props: Partial<WebServiceProps>) => errorOf((c) => new WebService(c, 'api', { ...web, ...props }));

  test.each([
    [
      'a repeated writable path',
      { writablePaths: ['/tmp', '/var/cache', '/tmp'] },
      'writablePaths[2] ("/tmp") must not repeat a mount path: writablePaths[0] mounts "/tmp" already (each volume mount of a container needs a path of its own)',
    ],
    [
      'two spellings of one directory',
      { writablePaths: ['/var/cache', '/var//cache/./'] },
      'writablePaths[1] ("/var//cache/./") must not repeat a mount path: writablePaths[0] mounts "/var/cache" already, the same directory (each volume mount of a container needs a path of its own)',
    ],
    [
      'a file mount on a writable path',
      { writablePaths: ['/etc/app'], fileMounts: [{ mountPath: '/etc/app/', configMap: 'app-config' }] },
      'fileMounts[0].mountPath ("/etc/app/") must not repeat a mount path: writablePaths[0] mounts "/etc/app" already, the same directory (each volume mount of a container needs a path of its own)',
    ],
    [
      'a file mount on the default writable /tmp',
      { fileMounts: [{ mountPath: '/tmp', secret: 'scratch' }] },
      'fileMounts[0].mountPath ("/tmp") must not repeat a mount path: writablePaths (default ["/tmp"]) mounts "/tmp" already (each volume mount of a container needs a path of its own; set writablePaths to make another directory writable)',
    ],
    [
      'two file mounts at one path',
      {
        fileMounts: [
          { mountPath: '/etc/app', configMap: 'a' },
          { mountPath: '/etc/app', secret: 'b' },
        ],
      },
      'fileMounts[1].mountPath ("/etc/app") must not repeat a mount path: fileMounts[0].mountPath mounts "/etc/app" already (each volume mount of a container needs a path of its own)',
    ],
  ])('WebService: %s', (_what, props, message) => {
    expect(ws(props)).toBe(`WebService 'test/api': ${message}`);
  });

  test('StatefulService: a volume on a writable path', () => {
    const text = errorOf(
      (c) =>
        new StatefulService(c, 'db', {
          image: 'ghcr.io/acme/db:1.0.0',
          port: 5432,
          volumes: [{ name: 'scratch', mountPath: '/tmp', size: '1Gi' }],
        }),
    );
    expect(text).toBe(
      'StatefulService \'test/db\': volumes[0].mountPath ("/tmp") must not repeat a mount path: writablePaths (default ["/tmp"]) mounts "/tmp" already (each volume mount of a container needs a path of its own; set writablePaths to make another directory writable)',
    );
  });

  test('nested mounts are distinct directories and pass', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...web,
          writablePaths: ['/etc/app', '/tmp'],
          fileMounts: [{ mountPath: '/etc/app/conf.d', configMap: 'conf' }],
        }),
    );
    expect(container(one(objs, 'Deployment')).volumeMounts?.map((m) => m.mountPath)).toEqual([
      '/etc/app',
      '/tmp',
      '/etc/app/conf.d',
    ]);
  });
});

describe('3. a WebService needs its port', () => {
  const ws = (props: Record<string, unknown>) =>
    errorOf((c) => new WebService(c, 'api', props as unknown as WebServiceProps));

  test('left out by a JavaScript caller', () => {
    expect(ws({ image: 'ghcr.io/acme/api:1.2.3' })).toBe(
      "WebService 'test/api': port (undefined) is required: the port the container listens on, an integer between 1 and 65535",
    );
  });

  test.each([
    [8080.5, "WebService 'test/api': port (8080.5) must be an integer between 1 and 65535"],
    [0, "WebService 'test/api': port (0) must be an integer between 1 and 65535"],
    [65536, "WebService 'test/api': port (65536) must be an integer between 1 and 65535"],
    ['8080', "WebService 'test/api': port (a string) must be a number"],
  ])('port %p', (port, message) => {
    expect(ws({ image: 'ghcr.io/acme/api:1.2.3', port })).toBe(message);
  });
});

describe('4. a WebServiceMonitoring scrapes a port the Service exposes', () => {
  test('a port the Service does not expose is refused, naming the ones it does', () => {
    const text = errorOf((c) => {
      const api = new WebService(c, 'api', { ...web, extraPorts: [{ name: 'admin', containerPort: 9000 }] });
      new WebServiceMonitoring(c, 'mon', { platform: monitoringPlatform(), service: api, port: 'metrics' });
    });
    expect(text).toBe(
      "WebServiceMonitoring 'test/mon': port (\"metrics\") must name a port Service 'apps/api' exposes (http, admin)",
    );
  });

  test('an extra port of the Service is accepted', () => {
    const objs = synth((c) => {
      const api = new WebService(c, 'api', { ...web, extraPorts: [{ name: 'metrics', containerPort: 9090 }] });
      new WebServiceMonitoring(c, 'mon', { platform: monitoringPlatform(), service: api, port: 'metrics' });
    });
    expect(one(objs, 'ServiceMonitor').spec.endpoints[0].port).toBe('metrics');
  });

  test('a service that is not a WebService is refused by type', () => {
    const text = errorOf(
      (c) =>
        new WebServiceMonitoring(c, 'mon', {
          platform: monitoringPlatform(),
          service: { name: 'api', namespace: 'apps' } as unknown as WebService,
        }),
    );
    expect(text).toBe(
      "WebServiceMonitoring 'test/mon': service (an object) must be a WebService (its Service and ports are read from it)",
    );
  });
});

describe('5. ingress.className is an IngressClass name (ValidateIngressSpec: ValidateIngressClassName, a DNS-1123 subdomain)', () => {
  test.each(['Nginx', 'nginx_public', 'nginx.', ''])('%p is refused', (className) => {
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            ...web,
            ingress: { host: 'api.example.com', className, clusterIssuer: 'letsencrypt' },
          }),
      ),
    ).toBe(
      `WebService 'test/api': ingress.className (${JSON.stringify(className)}) must be a DNS-1123 subdomain: at most 253 lowercase alphanumerics, "-" or ".", each part starting and ending with an alphanumeric`,
    );
  });

  test('a DNS-1123 subdomain is rendered as the ingressClassName', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...web,
          ingress: { host: 'api.example.com', className: 'nginx.internal', clusterIssuer: 'letsencrypt' },
        }),
    );
    expect(one(objs, 'Ingress').spec?.ingressClassName).toBe('nginx.internal');
  });
});

describe('6. add-on sizes are named as the caller wrote them', () => {
  test.each([
    [
      'cert-manager size.cpu',
      () => certManager({ size: { cpu: 'lots', memory: '128Mi' } }),
      'Addon \'cert-manager\': size.cpu ("lots") must be a positive CPU quantity such as "250m" or "1"',
    ],
    [
      'flux size.memory (one size for four controllers, reported once)',
      () => flux({ size: { cpu: '50m', memory: '512m' } }),
      'Addon \'flux\': size.memory ("512m") means 0.512 bytes ("m" is milli): did you mean 512Mi?',
    ],
    [
      'argo-cd size.replicas',
      () => argoCd({ size: { cpu: '50m', memory: '128Mi', replicas: -1 } }),
      "Addon 'argo-cd': size.replicas (-1) must be an integer >= 0",
    ],
    [
      'kube-prometheus-stack sizes.grafana.cpu',
      () => kubePrometheusStack({ sizes: { grafana: { cpu: '0', memory: '128Mi' } } }),
      'Addon \'kube-prometheus-stack\': sizes.grafana.cpu ("0") must be a positive CPU quantity such as "250m" or "1"',
    ],
    [
      'loki collectorSize.memoryLimit below its memory',
      () => loki({ collectorSize: { cpu: '25m', memory: '256Mi', memoryLimit: '128Mi' } }),
      'Addon \'loki\': collectorSize.memory ("256Mi") must be <= the limit (128Mi)',
    ],
    [
      "a memory limit below the add-on's default request",
      () => certManager({ size: { memoryLimit: '64Mi' } as never }),
      "Addon 'cert-manager': size.memoryLimit (\"64Mi\") must be >= the memory request (128Mi, the add-on's default for size.memory)",
    ],
  ])('%s', (_what, build, message) => {
    expect(validationErrorOf(build)).toBe(message);
  });

  test('in a profile, the error names the size the profile sets', () => {
    const profile: PlatformAddonsProps = {
      certManager: { selfSignedCa: true, size: { cpu: 'a lot', memory: '96Mi' } },
    };
    expect(validationErrorOf(() => platformAddons(profile))).toBe(
      'Addon \'cert-manager\': size.cpu ("a lot") must be a positive CPU quantity such as "250m" or "1"',
    );
  });
});

describe('6. platformAddons without cert-manager', () => {
  const kindAddons = (): PlatformAddonsProps =>
    resolveEnvironment(kind, loadStack('kind').config, 'kind', 'Pulumi.kind.yaml').addons;
  const without = (): Record<string, unknown> => {
    const { certManager: _left, ...rest } = kindAddons();
    return rest;
  };

  test('left out by a JavaScript caller: a validation error, not a TypeError', () => {
    expect(validationErrorOf(() => platformAddons(without() as unknown as PlatformAddonsProps))).toBe(
      'PlatformAddons: certManager (undefined) is required: its props ({} for the defaults), or false to install no cert-manager',
    );
  });

  test('false on the kind profile: refused, naming the add-on that asks cert-manager for a certificate', () => {
    expect(
      validationErrorOf(() => platformAddons({ ...(without() as unknown as PlatformAddonsProps), certManager: false })),
    ).toBe(
      `PlatformAddons: certManager (false) installs no cert-manager, which envoy-gateway needs: its Gateway 'gateway-system/public' asks ClusterIssuer 'selfsigned-ca' for a certificate (metadata.annotations["cert-manager.io/cluster-issuer"])`,
    );
  });

  test('false with a Linkerd mesh and an acting VPA: each add-on that needs it is named', () => {
    const text = validationErrorOf(() =>
      platformAddons({
        certManager: false,
        mesh: {
          engine: 'linkerd',
          linkerd: { trustAnchorsPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
        },
        verticalPodAutoscaler: { updater: true },
      }),
    );
    expect(text).toContain(
      "PlatformAddons: certManager (false) installs no cert-manager, which linkerd-control-plane needs: its Issuer 'linkerd/linkerd-trust-anchor' is a cert-manager object",
    );
    expect(text).toContain(
      'PlatformAddons: certManager (false) installs no cert-manager, which vertical-pod-autoscaler needs: its chart needs the cert-manager.io CRDs',
    );
  });

  test('false where nothing needs it: no cert-manager is installed', () => {
    const addons = platformAddons({ certManager: false });
    expect(addons.declarations.map((d) => d.id)).not.toContain('cert-manager');
    expect(addons.contract.clusterIssuers).toEqual([]);
  });
});

describe('canary and blue-green props', () => {
  const gateway = { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } };
  const route = { gateway, hostnames: ['api.example.com'] };

  test('a misspelt field of a strategy is refused, naming the known ones', () => {
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            image: 'ghcr.io/acme/api:1.0.0',
            port: 8080,
            route,
            delivery: { strategy: 'canary', stepz: [] } as never,
          }),
      ),
    ).toBe("WebService 'test/api': delivery.stepz (a list) is not a field here; known: strategy, steps, analysis");
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            image: 'ghcr.io/acme/api:1.0.0',
            port: 8080,
            route,
            delivery: { strategy: 'canary', steps: [{ weight: 10, pause: 60 }] } as never,
          }),
      ),
    ).toContain('delivery.steps[0].pause (60) is not a field here; known: weight, pauseSeconds');
  });

  test('a name whose derived canary or preview Service name would pass 63 characters is refused', () => {
    const name = 'a'.repeat(60);
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            name,
            image: 'ghcr.io/acme/api:1.0.0',
            port: 8080,
            route,
            delivery: { strategy: 'canary' },
          }),
      ),
    ).toContain(`name ("${name}") derives the Service name "${name}-canary", which must be`);
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            name,
            image: 'ghcr.io/acme/api:1.0.0',
            port: 8080,
            delivery: { strategy: 'blue-green', controller: 'argo-rollouts' },
          }),
      ),
    ).toContain(`derives the Service name "${name}-preview"`);
  });

  test("a workload named like another's canary Service is refused: two constructs would render one object", () => {
    expect(
      errorOf((c) => {
        new WebService(c, 'api', {
          image: 'ghcr.io/acme/api:1.0.0',
          port: 8080,
          route,
          delivery: { strategy: 'canary' },
        });
        new WebService(c, 'other', { name: 'api-canary', image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
      }),
    ).toContain(
      "Service apps/api-canary is rendered twice, by 'test/api/CanaryService' and 'test/other/Service': the API server keeps one of them; rename one",
    );
  });
});

test('an analysis URL with credentials is refused without echoing them', () => {
  const gateway = { name: 'public', namespace: 'gateway-system', proxies: { namespace: 'envoy-gateway-system' } };
  const message = errorOf(
    (c) =>
      new WebService(c, 'api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        route: { gateway, hostnames: ['api.example.com'] },
        delivery: {
          strategy: 'canary',
          analysis: { prometheusUrl: 'http://admin:hunter2@prometheus.monitoring.svc:9090', query: 'up' },
        },
      }),
  );
  expect(message).toBe(
    "WebService 'test/api': delivery.analysis.prometheusUrl (\"<not shown>\") is a URL with credentials in it: the analysis run would store it where the tenant reads it; query the platform's Prometheus",
  );
  expect(message).not.toContain('hunter2');
});
