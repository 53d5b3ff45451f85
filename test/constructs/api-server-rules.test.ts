import { ScheduledJob, StatefulService, WebService, Worker } from '../../constructs';
import { errorOf, one, synth } from '../helpers/synth';

/** Input the API server or a controller would refuse later is refused at construction, with the rule's message. */
describe('what the API server would refuse, refused first', () => {
  const web = { image: 'ghcr.io/acme/api:1.4.2', port: 8080 };

  test("a WebService named with a leading digit (its Service name must be a DNS-1035 label)", () => {
    expect(errorOf((c) => new WebService(c, '1api', web))).toContain("WebService 'test/1api': name (\"1api\") must be a DNS-1035 label (it names a Service)");
  });

  test('a StatefulService name over 52 characters (its Pods would never be created: controller-revision-hash adds 11)', () => {
    const name = `db-${'x'.repeat(50)}`;
    const text = errorOf((c) => new StatefulService(c, 'db', { name, image: 'docker.io/library/postgres:17.2', port: 5432, volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '1Gi' }] }));
    expect(text).toContain(`StatefulService 'test/db': name (${JSON.stringify(name)}) must be at most 52 characters (its Pods' controller-revision-hash label adds 11 characters and must fit in 63), got 53`);
  });

  test.each([
    ['GHCR.io/Acme/API:1.0', 'must name a repository in lowercase letters, digits and separators'],
    [':1.0', 'must name a repository in lowercase letters, digits and separators'],
    ['Acme/app@sha256:' + 'a'.repeat(64), 'must name a repository in lowercase letters'],
  ])('image %s', (image, message) => {
    expect(errorOf((c) => new Worker(c, 'w', { image, replicas: 1 }))).toContain(`Worker 'test/w': image (${JSON.stringify(image)}) ${message}`);
  });

  test('replicas beyond a 32-bit integer', () => {
    expect(errorOf((c) => new Worker(c, 'w', { image: 'ghcr.io/acme/w:1', replicas: 2 ** 31 }))).toContain("Worker 'test/w': replicas (2147483648) must be at most 2147483647 (a 32-bit integer field)");
  });

  test.each([
    ['0 0 * * 7', 'the day of week field "7" is out of range 0-6'],
    ['0 0 * * 5-7', 'the day of week field "5-7" is out of range 0-6'],
  ])('cron %s: the CronJob controller (robfig/cron) takes day of week 0-6', (schedule, message) => {
    expect(errorOf((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule }))).toContain(message);
  });

  test.each(['Local', 'Mars/Olympus_Mons', 'Europe/'])('time zone %s is refused', (timeZone) => {
    expect(errorOf((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule: '@daily', timeZone }))).toContain(`ScheduledJob 'test/j': timeZone (${JSON.stringify(timeZone)}) must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC" ("Local" is refused by the API server)`);
  });

  test.each(['Europe/Berlin', 'Etc/UTC', 'America/Argentina/Buenos_Aires'])('time zone %s is accepted', (timeZone) => {
    expect(one(synth((c) => new ScheduledJob(c, 'j', { image: 'ghcr.io/acme/j:1', schedule: '@daily', timeZone })), 'CronJob').spec.timeZone).toBe(timeZone);
  });
});
