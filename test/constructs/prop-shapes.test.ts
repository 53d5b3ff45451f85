/**
 * JavaScript and JSON callers: props of the wrong JavaScript type are validation errors that name
 * the field and the type received (never the value: it may be a secret), at any depth; nothing
 * crashes with a TypeError and nothing invalid is rendered.
 */
import { Chart, Testing } from 'cdk8s';
import {
  type AddonDeclaration,
  AppConfig,
  BatchJob,
  CATALOG,
  checkManifests,
  ExternalSecret,
  externalDns,
  GroundworkValidationError,
  loki,
  type ManifestObject,
  REGISTERED_ADDONS,
  ScheduledJob,
  StatefulService,
  Tenant,
  validateTree,
  velero,
  WebService,
  Worker,
} from '../../constructs';
import { schemaErrors } from '../helpers/schema';
import { rendered } from '../helpers/stacks';
import { errorOf, synth, validationErrorOf } from '../helpers/synth';

const web = { image: 'ghcr.io/acme/api:1.0.0', port: 8080 };
const build = (props: unknown) => (c: Chart) => new WebService(c, 'api', props as never);

describe('props of the wrong JavaScript type', () => {
  test('props that are not an object', () => {
    expect(errorOf(build(null))).toBe("WebService 'test/api': props (null) must be an object");
    expect(errorOf(build('api'))).toBe("WebService 'test/api': props (a string) must be an object");
  });

  test('a prop of the wrong type names the type received and the type wanted', () => {
    expect(errorOf(build({ ...web, env: { A: 'b' } }))).toBe(
      "WebService 'test/api': env (an object) must be a list of objects",
    );
    expect(errorOf(build({ ...web, port: '8080' }))).toBe("WebService 'test/api': port (a string) must be a number");
    expect(errorOf(build({ ...web, command: ['serve', 8080] }))).toBe(
      "WebService 'test/api': command (a list) must be a list of strings",
    );
    expect(errorOf(build({ ...web, labels: { tier: 1 } }))).toBe(
      "WebService 'test/api': labels (an object) must be a map of strings",
    );
  });

  test('a prop that is an object or false (an opt-out) says both', () => {
    expect(errorOf(build({ ...web, networkPolicy: true }))).toBe(
      "WebService 'test/api': networkPolicy (a boolean) must be an object or false",
    );
  });

  test('nested objects: wrong types, unknown fields and missing required fields, with their path', () => {
    expect(errorOf(build({ ...web, autoscaling: { minReplicas: 2, maxReplicas: '4' } }))).toBe(
      "WebService 'test/api': autoscaling.maxReplicas (a string) must be a number",
    );
    expect(errorOf(build({ ...web, autoscaling: { minReplicas: 2, maxReplica: 4 } }))).toBe(
      [
        "WebService 'test/api': autoscaling.maxReplica (4) is not a field here; known: minReplicas, maxReplicas, cpuUtilization, memoryUtilization, scaleDownStabilizationSeconds",
        "WebService 'test/api': autoscaling.maxReplicas (undefined) is required",
      ].join('\n'),
    );
    expect(errorOf(build({ ...web, probes: { readiness: { type: 'http', paht: '/healthz' } } }))).toContain(
      "WebService 'test/api': probes.readiness.paht (a string) is not a field here; known: type, path, port,",
    );
  });

  test('lists of objects: each item is checked, named by its index', () => {
    expect(
      errorOf(
        (c) =>
          new StatefulService(c, 'db', {
            image: 'ghcr.io/acme/db:1.0.0',
            port: 5432,
            volumes: [{ name: 'data', mountpath: '/data', size: '1Gi' }],
          } as never),
      ),
    ).toBe(
      [
        "StatefulService 'test/db': volumes[0].mountpath (a string) is not a field here; known: name, mountPath, size, storageClassName, accessMode",
        "StatefulService 'test/db': volumes[0].mountPath (undefined) is required",
      ].join('\n'),
    );
  });

  test('an env value that is not a string (Kubernetes takes strings only)', () => {
    expect(errorOf(build({ ...web, env: [{ name: 'WORKERS', value: 4 }] }))).toBe(
      "WebService 'test/api': env[0].value (a number) must be a string (quote numbers and booleans)",
    );
  });

  test('the value itself is never echoed: it may be a secret', () => {
    const message = errorOf(
      build({ ...web, env: 'DB_PASSWORD=hunter2', enviroment: [{ name: 'TOKEN', value: 'hunter2' }] }),
    );
    expect(message).not.toContain('hunter2');
    expect(message).toContain('env (a string) must be a list of objects');
    expect(message).toContain('enviroment (a list) is not a prop of this construct');
  });

  test("offers from the platform contract pass as they are (a GatewayOffer carries more than route.gateway's fields)", () => {
    const gateway = rendered('kind').contract.gateway('test');
    const objs = synth((c) => new WebService(c, 'api', { ...web, route: { gateway, hostnames: ['api.example.com'] } }));
    expect(objs.some((o) => o.kind === 'HTTPRoute')).toBe(true);
  });

  test('a Tenant needs the platform contract itself, not an object that looks like it', () => {
    expect(
      errorOf(
        (c) =>
          new Tenant(c, 't', {
            name: 'team-a',
            environment: 'kind',
            namespaces: [{ name: 'team-a' }],
            platform: {},
          } as never),
      ),
    ).toBe("Tenant 'test/t': platform (an object) must be the PlatformContract of platformAddons(...).contract");
  });

  test('add-ons check their options the same way', () => {
    expect(validationErrorOf(() => velero({ storage: null } as never))).toBe(
      "Addon 'velero': storage (null) must be an object",
    );
    expect(
      validationErrorOf(() =>
        externalDns({ dns: { provider: 'route53' }, domainFilters: 'example.com', txtOwnerId: 'x' } as never),
      ),
    ).toBe("Addon 'external-dns': domainFilters (a string) must be a list of strings");
    expect(validationErrorOf(() => loki({ size: { cpu: 1 } } as never))).toBe(
      "Addon 'loki': size.cpu (a number) must be a string",
    );
  });
});

/** Values of every JavaScript type a caller could pass by mistake. */
const WRONG: readonly unknown[] = [
  null,
  'x',
  '',
  -1,
  0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1.5,
  2 ** 40,
  {},
  [],
  true,
  { foo: 1 },
  ['a'],
  [{}],
  ' main ',
];

describe('no input crashes or renders something invalid', () => {
  const constructs: [string, (c: Chart, props: object) => unknown, Record<string, unknown>][] = [
    [
      'WebService',
      (c, p) => new WebService(c, 'api', p as never),
      {
        ...web,
        autoscaling: { minReplicas: 2, maxReplicas: 4 },
        ingress: { host: 'a.example.com', clusterIssuer: 'x' },
        env: [{ name: 'A', value: 'b' }],
      },
    ],
    ['Worker', (c, p) => new Worker(c, 'w', p as never), { image: 'ghcr.io/acme/w:1.0.0', replicas: 2 }],
    [
      'StatefulService',
      (c, p) => new StatefulService(c, 'db', p as never),
      { image: 'ghcr.io/acme/db:1.0.0', port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] },
    ],
    [
      'ScheduledJob',
      (c, p) => new ScheduledJob(c, 'cj', p as never),
      { image: 'ghcr.io/acme/cj:1.0.0', schedule: '@daily' },
    ],
    ['BatchJob', (c, p) => new BatchJob(c, 'bj', p as never), { image: 'ghcr.io/acme/bj:1.0.0' }],
    ['AppConfig', (c, p) => new AppConfig(c, 'cfg', p as never), { data: { A: 'b' } }],
    [
      'ExternalSecret',
      (c, p) => new ExternalSecret(c, 'es', p as never),
      { store: { name: 'platform-secrets' }, data: [{ secretKey: 'password', remoteKey: 'db', property: 'password' }] },
    ],
    [
      'Tenant',
      (c, p) => new Tenant(c, 't', p as never),
      { name: 'team-a', environment: 'kind', namespaces: [{ name: 'team-a' }], platform: rendered('kind').contract },
    ],
  ];
  const EXTRA_KEYS = [
    'replicas',
    'namespace',
    'labels',
    'command',
    'args',
    'env',
    'resources',
    'probes',
    'security',
    'serviceAccount',
    'networkPolicy',
    'priorityClassName',
  ];

  test('constructs: every prop given every wrong type throws a validation error or renders objects that pass strict schema and hardening checks', () => {
    const crashes: string[] = [];
    const invalid: string[] = [];
    let tried = 0;
    for (const [name, make, base] of constructs) {
      for (const key of new Set([...Object.keys(base), ...EXTRA_KEYS])) {
        for (const wrong of WRONG) {
          tried++;
          const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
          try {
            make(chart, { ...base, [key]: wrong });
            validateTree(chart);
            const objs = chart.toJson() as ManifestObject[];
            const problems = [...schemaErrors(objs), ...checkManifests(objs).map((v) => `${v.rule}: ${v.message}`)];
            if (problems.length > 0) invalid.push(`${name} ${key}=${JSON.stringify(wrong)}: ${problems[0]}`);
          } catch (e) {
            if (!(e instanceof GroundworkValidationError))
              crashes.push(`${name} ${key}=${JSON.stringify(wrong)}: ${String(e)}`);
          }
        }
      }
    }
    expect(crashes).toEqual([]);
    expect(invalid).toEqual([]);
    expect(tried).toBeGreaterThan(1500);
  });

  test('add-ons: every option given every wrong type throws a validation error, never a TypeError', () => {
    // every add-on function of every registered entry, from the registry (engine choices list each engine)
    const addons: [string, (p: object) => unknown, Record<string, unknown>][] = REGISTERED_ADDONS.flatMap((e) =>
      e.parts.map((p): [string, (props: object) => unknown, Record<string, unknown>] => [
        p.id,
        (props) => (p.declare as (props: object) => unknown)(props),
        p.example as Record<string, unknown>,
      ]),
    );
    // every add-on is covered: together they declare every chart of the catalog
    const declared = addons.flatMap(([, make, base]) => [make(base)].flat() as AddonDeclaration[]).map((d) => d.id);
    expect([...new Set(declared)].sort()).toEqual(Object.keys(CATALOG).sort());
    const crashes: string[] = [];
    for (const [name, make, base] of addons) {
      for (const key of new Set([...Object.keys(base), 'namespace', 'version', 'values', 'size', 'replicas'])) {
        for (const wrong of WRONG) {
          try {
            make({ ...base, [key]: wrong });
          } catch (e) {
            if (!(e instanceof GroundworkValidationError))
              crashes.push(`${name} ${key}=${JSON.stringify(wrong)}: ${String(e)}`);
          }
        }
      }
    }
    expect(crashes).toEqual([]);
  });
});
