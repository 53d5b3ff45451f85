import { Chart, Testing } from 'cdk8s';
/** One test per validation rule, each matching the message (construct path, field, value, what is allowed). */
import {
  AppConfig,
  AppNamespace,
  BatchJob,
  ExternalSecret,
  ScheduledJob,
  StatefulService,
  WebService,
  type WebServiceProps,
  Worker,
} from '../../constructs';
import { errorOf } from '../helpers/synth';

const web: WebServiceProps = { image: 'ghcr.io/acme/api:1.2.3', port: 8080 };
const ws = (props: Partial<WebServiceProps>) => errorOf((c) => new WebService(c, 'api', { ...web, ...props }));

describe('validation rules', () => {
  test.each([
    ['negative replicas', { replicas: -1 }, "WebService 'test/api': replicas (-1) must be an integer >= 0"],
    ['non-integer replicas', { replicas: 1.5 }, "WebService 'test/api': replicas (1.5) must be an integer >= 0"],
    [
      'min > max replicas',
      { autoscaling: { minReplicas: 5, maxReplicas: 3 } },
      "WebService 'test/api': minReplicas (5) must be <= maxReplicas (3)",
    ],
    [
      'minReplicas below 1',
      { autoscaling: { minReplicas: 0, maxReplicas: 3 } },
      "WebService 'test/api': autoscaling.minReplicas (0) must be an integer >= 1",
    ],
    [
      'utilization out of range',
      { autoscaling: { minReplicas: 1, maxReplicas: 3, cpuUtilization: 0 } },
      "WebService 'test/api': autoscaling.cpuUtilization (0) must be an integer between 1 and 100",
    ],
    ['port above 65535', { port: 70000 }, "WebService 'test/api': port (70000) must be an integer between 1 and 65535"],
    ['port 0', { port: 0 }, "WebService 'test/api': port (0) must be an integer between 1 and 65535"],
    [
      'service port out of range',
      { servicePort: 65536 },
      "WebService 'test/api': servicePort (65536) must be an integer between 1 and 65535",
    ],
    [
      'port name over 15 characters',
      { portName: 'very-long-port-name' },
      'portName ("very-long-port-name") must be an IANA service name',
    ],
    ['port name not IANA-style', { portName: 'Http_Port' }, 'portName ("Http_Port") must be an IANA service name'],
    ['port name of digits only', { portName: '8080' }, 'portName ("8080") must be an IANA service name'],
    [
      'duplicate port names',
      { extraPorts: [{ name: 'http', containerPort: 9090 }] },
      'ports (names) (["http", "http"]) must not repeat port names (repeated: http)',
    ],
    [
      'duplicate port numbers',
      { extraPorts: [{ name: 'metrics', containerPort: 8080 }] },
      'must not repeat container port numbers (repeated: 8080/TCP)',
    ],
    [
      'duplicate service ports',
      { extraPorts: [{ name: 'metrics', containerPort: 9090, servicePort: 80 }] },
      'must not repeat service port numbers (repeated: 80/TCP)',
    ],
    ['name not DNS-1123', { name: 'Bad_Name!' }, 'name ("Bad_Name!") must be a DNS-1123 label'],
    ['name too long', { name: 'a'.repeat(64) }, 'must be a DNS-1123 label: 1-63 lowercase'],
    [
      'image with no tag',
      { image: 'ghcr.io/acme/api' },
      'image ("ghcr.io/acme/api") must be pinned by a tag or digest',
    ],
    [
      'registry port but no tag',
      { image: 'registry:5000/app' },
      'image ("registry:5000/app") must be pinned by a tag or digest',
    ],
    ['latest tag', { image: 'nginx:latest' }, 'image ("nginx:latest") must not use the mutable ":latest" tag'],
    ['malformed digest', { image: 'nginx@sha256:abc' }, 'must have a digest of the form sha256:<64 hex characters>'],
    [
      'CPU quantity that does not parse',
      { resources: { cpuRequest: 'lots' } },
      'resources.cpuRequest ("lots") must be a positive CPU quantity',
    ],
    [
      'memory quantity that does not parse',
      { resources: { memoryRequest: '1GB' } },
      'resources.memoryRequest ("1GB") must be a positive byte quantity',
    ],
    [
      '512m memory',
      { resources: { memoryRequest: '512m', memoryLimit: '1Gi' } },
      'resources.memoryRequest ("512m") means 0.512 bytes ("m" is milli): did you mean 512Mi?',
    ],
    [
      'memory request above limit',
      { resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } },
      'resources.memoryRequest ("1Gi") must be <= the limit (512Mi)',
    ],
    [
      'CPU request above limit',
      { resources: { cpuRequest: '2', cpuLimit: '500m' } },
      'resources.cpuRequest ("2") must be <= the limit (500m)',
    ],
    [
      'uppercase ingress host',
      { ingress: { host: 'API.example.com' } },
      'ingress.host ("API.example.com") must be a lowercase DNS name',
    ],
    [
      'ingress host with a port',
      { ingress: { host: 'api.example.com:8443' } },
      'ingress.host ("api.example.com:8443") must be a lowercase DNS name',
    ],
    [
      'wildcard not leftmost',
      { ingress: { host: 'api.*.example.com' } },
      'ingress.host ("api.*.example.com") must be a lowercase DNS name',
    ],
    [
      'ingress host that is an IP',
      { ingress: { host: '10.0.0.1' } },
      'ingress.host ("10.0.0.1") must be a lowercase DNS name',
    ],
    [
      'ingress and route together',
      {
        ingress: { host: 'a.example.com', clusterIssuer: 'x' },
        route: { gateway: { name: 'g', namespace: 'gw' }, hostnames: ['a.example.com'] },
      },
      'must not be combined with route',
    ],
    [
      'route without hostnames',
      { route: { gateway: { name: 'g', namespace: 'gw' }, hostnames: [] } },
      'route.hostnames ([]) must list at least one host name',
    ],
    [
      'probe period 0',
      { probes: { readiness: { type: 'tcp', periodSeconds: 0 } } },
      'probes.readiness.periodSeconds (0) must be an integer >= 1',
    ],
    [
      'probe failureThreshold negative',
      { probes: { liveness: { type: 'tcp', failureThreshold: -3 } } },
      'probes.liveness.failureThreshold (-3) must be an integer >= 1',
    ],
    [
      'probe timeout 0',
      { probes: { readiness: { type: 'tcp', timeoutSeconds: 0 } } },
      'probes.readiness.timeoutSeconds (0) must be an integer >= 1',
    ],
    [
      'negative initial delay',
      { probes: { readiness: { type: 'tcp', initialDelaySeconds: -1 } } },
      'probes.readiness.initialDelaySeconds (-1) must be an integer >= 0',
    ],
    [
      'liveness successThreshold above 1',
      { probes: { liveness: { type: 'tcp', successThreshold: 2 } } },
      'probes.liveness.successThreshold (2) must be 1 for liveness and startup probes',
    ],
    [
      'exec probe without command',
      { probes: { liveness: { type: 'exec' } } },
      'probes.liveness.command (undefined) must be a non-empty command for an exec probe',
    ],
    [
      'grpc probe on a named port',
      { probes: { liveness: { type: 'grpc' } } },
      'probes.liveness.port (undefined) must be a port number for a grpc probe',
    ],
    [
      'duplicate env names',
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
      'env (names) (["A", "A"]) must not repeat environment variable names (repeated: A)',
    ],
    [
      'secret-looking env literal (*_PASSWORD)',
      { env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] },
      'env[0].value ("<redacted>") looks like a secret (a literal for DB_PASSWORD): use fromSecret (an existing Secret or an ExternalSecret); the value is not shown',
    ],
    [
      'secret-looking env literal (*_TOKEN)',
      { env: [{ name: 'GITHUB_TOKEN', value: 'ghp_x' }] },
      'looks like a secret (a literal for GITHUB_TOKEN)',
    ],
    [
      'invalid env name',
      { env: [{ name: '1BAD', value: 'x' }] },
      'env[0].name ("1BAD") must start with a letter or "_"',
    ],
    [
      'PDB that blocks evictions',
      { disruptionBudget: { maxUnavailable: 0 } },
      'disruptionBudget.maxUnavailable (0) must be an integer >= 1 or a percentage such as "25%" so that node drains can evict Pods',
    ],
    [
      'PDB above replicas',
      { replicas: 2, disruptionBudget: { maxUnavailable: 3 } },
      'disruptionBudget.maxUnavailable (3) must be <= the replica count (2)',
    ],
    [
      'rolling update that cannot progress',
      { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      'rollingUpdate ("maxSurge 0, maxUnavailable 0") must allow progress',
    ],
    [
      'egress CIDR that is not a CIDR',
      { networkPolicy: { egress: { allowCidrs: ['10.0.0.0/33'] } } },
      'networkPolicy.egress.allowCidrs[0] ("10.0.0.0/33") must be a CIDR such as "10.0.0.0/16"',
    ],
    [
      'egress peer that is not DNS-1123',
      { networkPolicy: { egress: { allowTo: [{ app: 'Redis' }] } } },
      'networkPolicy.egress.allowTo[0].app ("Redis") must be a DNS-1123 label',
    ],
    ['root UID', { security: { runAsUser: 0 } }, 'security.runAsUser (0) must be an integer >= 1'],
    ['relative writable path', { writablePaths: ['tmp'] }, 'writablePaths[0] ("tmp") must be an absolute path'],
    [
      'file mount with two sources',
      { fileMounts: [{ mountPath: '/etc/x', configMap: 'a', secret: 'b' }] },
      'fileMounts[0] ("/etc/x") must name exactly one of configMap or secret',
    ],
  ] as Array<[string, Partial<WebServiceProps>, string]>)('%s', (_rule, props, message) => {
    expect(ws(props)).toContain(message);
  });

  test('every problem is reported at once, one per line, each naming the construct path', () => {
    const lines = ws({ port: 0, image: 'nginx', replicas: -2 }).split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.startsWith("WebService 'test/api': ")).toBe(true);
  });

  test('invalid props create no objects', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    expect(() => new WebService(chart, 'api', { ...web, port: 0 })).toThrow('port (0)');
    expect(chart.toJson()).toEqual([]);
  });

  test('namespace missing or default', () => {
    expect(errorOf((c) => new WebService(c, 'api', web), null)).toContain(
      'namespace (undefined) must be set to a namespace other than "default"',
    );
    expect(errorOf((c) => new WebService(c, 'api', { ...web, namespace: 'default' }))).toContain(
      'namespace ("default") must be set to a namespace other than "default"',
    );
  });

  test('CronJob name over 52 characters', () => {
    expect(
      errorOf((c) => new ScheduledJob(c, 'job', { name: 'n'.repeat(53), image: 'busybox:1.37.0', schedule: '@daily' })),
    ).toContain(
      `ScheduledJob 'test/job': name ("${'n'.repeat(53)}") must be at most 52 characters (the generated Job names add 11 characters and must fit in 63), got 53`,
    );
  });

  test.each([
    ['too few fields', '* * * *'],
    ['minute out of range', '61 * * * *'],
    ['unknown macro', '@fortnightly'],
    ['garbage', 'every day'],
    ['bad step', '*/0 * * * *'],
    ['reversed range', '30-10 * * * *'],
  ])('invalid cron expression: %s', (_why, schedule) => {
    expect(errorOf((c) => new ScheduledJob(c, 'job', { image: 'busybox:1.37.0', schedule }))).toContain(
      `ScheduledJob 'test/job': schedule (${JSON.stringify(schedule)}) must be a 5-field cron expression`,
    );
  });

  test('embedded TZ in a cron expression', () => {
    expect(
      errorOf((c) => new ScheduledJob(c, 'job', { image: 'busybox:1.37.0', schedule: 'TZ=UTC 0 * * * *' })),
    ).toContain('must not embed TZ= or CRON_TZ=: use the timeZone field');
  });

  test('job settings', () => {
    expect(errorOf((c) => new BatchJob(c, 'job', { image: 'busybox:1.37.0', backoffLimit: -1 }))).toContain(
      "BatchJob 'test/job': backoffLimit (-1) must be an integer >= 0",
    );
    expect(errorOf((c) => new BatchJob(c, 'job', { image: 'busybox:1.37.0', parallelism: 0 }))).toContain(
      'parallelism (0) must be an integer >= 1',
    );
  });

  test('worker without a port must declare its probes or opt out', () => {
    expect(errorOf((c) => new Worker(c, 'w', { image: 'busybox:1.37.0' }))).toContain(
      "Worker 'test/w': probes.readiness (undefined) must be given (e.g. an exec probe) or set to false explicitly: the workload has no port to check",
    );
  });

  test('stateful service volumes', () => {
    expect(errorOf((c) => new StatefulService(c, 'db', { image: 'postgres:17.2', port: 5432, volumes: [] }))).toContain(
      'volumes ([]) must list at least one volume',
    );
    expect(
      errorOf(
        (c) =>
          new StatefulService(c, 'db', {
            image: 'postgres:17.2',
            port: 5432,
            volumes: [{ name: 'data', mountPath: '/data', size: '10GB' }],
          }),
      ),
    ).toContain('volumes[0].size ("10GB") must be a positive byte quantity');
  });

  test('config keys that look secret are refused in a ConfigMap', () => {
    expect(errorOf((c) => new AppConfig(c, 'cfg', { data: { API_TOKEN: 'x' } }))).toContain(
      'AppConfig \'test/cfg\': data["API_TOKEN"] ("<redacted>") looks like a secret',
    );
  });

  test('external secret needs keys and a Go duration', () => {
    expect(errorOf((c) => new ExternalSecret(c, 's', { store: { name: 'vault' }, data: [] }))).toContain(
      "ExternalSecret 'test/s': data ([]) must list at least one key",
    );
    expect(
      errorOf(
        (c) =>
          new ExternalSecret(c, 's', {
            store: { name: 'vault' },
            data: [{ secretKey: 'a', remoteKey: 'k' }],
            refreshInterval: '1 hour',
          }),
      ),
    ).toContain('refreshInterval ("1 hour") must be a Go duration');
  });

  test('namespaces Kubernetes manages are refused', () => {
    expect(errorOf((c) => new AppNamespace(c, 'ns', { name: 'kube-system' }))).toContain(
      'AppNamespace \'test/ns\': name ("kube-system") must not be a namespace Kubernetes manages',
    );
  });
});
