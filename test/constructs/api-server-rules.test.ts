import { Chart, Testing } from 'cdk8s';
import {
  AppConfig,
  AppNamespace,
  ExternalSecret,
  ScheduledJob,
  StatefulService,
  WebService,
  Worker,
} from '../../constructs';
import { errorOf, one, synth } from '../helpers/synth';

/** Input the API server or a controller would refuse later is refused at construction, with the rule's message. */
describe('what the API server would refuse, refused first', () => {
  const web = { image: 'ghcr.io/acme/api:1.4.2', port: 8080 };

  test('a WebService named with a leading digit (its Service name must be a DNS-1035 label)', () => {
    expect(errorOf((c) => new WebService(c, '1api', web))).toContain(
      'WebService \'test/1api\': name ("1api") must be a DNS-1035 label (it names a Service)',
    );
  });

  test('a StatefulService name over 52 characters (its Pods would never be created: controller-revision-hash adds 11)', () => {
    const name = `db-${'x'.repeat(50)}`;
    const text = errorOf(
      (c) =>
        new StatefulService(c, 'db', {
          name,
          image: 'docker.io/library/postgres:17.2',
          port: 5432,
          volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '1Gi' }],
        }),
    );
    expect(text).toContain(
      `StatefulService 'test/db': name (${JSON.stringify(name)}) must be at most 52 characters (its Pods' controller-revision-hash label adds 11 characters and must fit in 63), got 53`,
    );
  });

  test.each([
    ['GHCR.io/Acme/API:1.0', 'must name a repository in lowercase letters, digits and separators'],
    [':1.0', 'must name a repository in lowercase letters, digits and separators'],
    ['Acme/app@sha256:' + 'a'.repeat(64), 'must name a repository in lowercase letters'],
  ])('image %s', (image, message) => {
    expect(errorOf((c) => new Worker(c, 'w', { image, replicas: 1 }))).toContain(
      `Worker 'test/w': image (${JSON.stringify(image)}) ${message}`,
    );
  });

  test('replicas beyond a 32-bit integer', () => {
    expect(errorOf((c) => new Worker(c, 'w', { image: 'ghcr.io/acme/w:1', replicas: 2 ** 31 }))).toContain(
      "Worker 'test/w': replicas (2147483648) must be at most 2147483647 (a 32-bit integer field)",
    );
  });

  test.each([
    ['0 0 * * 7', 'the day of week field "7" is out of range 0-6'],
    ['0 0 * * 5-7', 'the day of week field "5-7" is out of range 0-6'],
  ])('cron %s: the CronJob controller (robfig/cron) takes day of week 0-6', (schedule, message) => {
    expect(errorOf((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule }))).toContain(message);
  });

  test.each(['Local', 'Mars/Olympus_Mons', 'Europe/'])('time zone %s is refused', (timeZone) => {
    expect(
      errorOf((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule: '@daily', timeZone })),
    ).toContain(
      `ScheduledJob 'test/j': timeZone (${JSON.stringify(timeZone)}) must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC" ("Local" is refused by the API server)`,
    );
  });

  test.each(['Europe/Berlin', 'Etc/UTC', 'America/Argentina/Buenos_Aires'])('time zone %s is accepted', (timeZone) => {
    expect(
      one(
        synth((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule: '@daily', timeZone })),
        'CronJob',
      ).spec.timeZone,
    ).toBe(timeZone);
  });
});

describe('JavaScript callers get the same errors as typed ones', () => {
  const web = { image: 'ghcr.io/acme/api:1.4.2', port: 8080 };
  const untyped = (props: Record<string, unknown>) => props as never;

  test('a typo in a prop name is refused, not ignored', () => {
    expect(errorOf((c) => new WebService(c, 'api', untyped({ ...web, replcas: 3 })))).toContain(
      "WebService 'test/api': replcas (3) is not a prop of this construct; known: name, namespace,",
    );
    expect(errorOf((c) => new Worker(c, 'w', untyped({ image: 'ghcr.io/acme/w:1', replica: 2 })))).toContain(
      "Worker 'test/w': replica (2) is not a prop of this construct",
    );
  });

  test('a missing image is a validation error before any object exists (no TypeError, no orphan ServiceAccount)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    expect(() => new WebService(chart, 'api', untyped({ port: 8080 }))).toThrow(
      'WebService \'test/api\': image (undefined) is required: an image reference such as "ghcr.io/org/app:1.2.3"',
    );
    expect(chart.toJson()).toEqual([]);
  });

  test("a probe type outside 'http', 'tcp', 'exec', 'grpc'", () => {
    expect(
      errorOf((c) => new WebService(c, 'api', untyped({ ...web, probes: { readiness: { type: 'bogus' } } }))),
    ).toContain(
      "WebService 'test/api': probes.readiness.type (\"bogus\") must be one of 'http', 'tcp', 'exec', 'grpc'",
    );
  });

  test('a probe on a port name the workload does not declare', () => {
    expect(
      errorOf(
        (c) =>
          new WebService(c, 'api', {
            ...web,
            probes: { readiness: { type: 'http', path: '/ready', port: 'metrics' } },
          }),
      ),
    ).toContain(
      "WebService 'test/api': probes.readiness.port (\"metrics\") must name one of the workload's ports (http)",
    );
  });

  test('label keys and values the API server refuses', () => {
    const text = errorOf((c) => new WebService(c, 'api', { ...web, labels: { 'Bad Key': 'ok', team: 'has spaces' } }));
    expect(text).toContain('WebService \'test/api\': labels key ("Bad Key") must be');
    expect(text).toContain('WebService \'test/api\': labels["team"] ("has spaces") must be');
  });
});

describe('defaults that would break the API server rule request <= limit', () => {
  test('a memory or CPU limit given alone lowers the default request to it', () => {
    const objects = synth(
      (c) =>
        new WebService(c, 'api', {
          image: 'ghcr.io/acme/api:1.4.2',
          port: 8080,
          resources: { memoryLimit: '32Mi', cpuLimit: '50m' },
        }),
    );
    const resources = one(objects, 'Deployment').spec.template.spec.containers[0].resources;
    expect(resources.requests).toMatchObject({ memory: '32Mi', cpu: '50m' });
    expect(resources.limits).toMatchObject({ memory: '32Mi', cpu: '50m' });
  });
});

describe('every construct refuses props it does not know', () => {
  test.each<[string, (c: Chart) => unknown, string]>([
    [
      'AppConfig',
      (c) => new AppConfig(c, 'cfg', { data: {}, imutable: true } as never),
      "AppConfig 'test/cfg': imutable (true) is not a prop of this construct; known: name, namespace, data, labels, immutable",
    ],
    [
      'ExternalSecret',
      (c) => new ExternalSecret(c, 'es', { store: { name: 's' }, data: [], refresh: '1h' } as never),
      "ExternalSecret 'test/es': refresh (a string) is not a prop of this construct",
    ],
    [
      'AppNamespace',
      (c) => new AppNamespace(c, 'ns', { name: 'team', podsecurity: 'baseline' } as never),
      "AppNamespace 'test/ns': podsecurity (a string) is not a prop of this construct",
    ],
  ])('%s', (_what, build, message) => {
    expect(errorOf(build, null)).toContain(message);
  });
});
