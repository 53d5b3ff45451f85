/** Worker, StatefulService, ScheduledJob and BatchJob resolved and rendered without a construct tree (where = a path). */
import { Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  BatchJob,
  type BatchJobProps,
  GroundworkValidationError,
  ScheduledJob,
  type ScheduledJobProps,
  StatefulService,
  type StatefulServiceProps,
  Worker,
  type WorkerProps,
} from '../../constructs';
import {
  renderBatchJob,
  renderScheduledJob,
  resolveBatchJob,
  resolveScheduledJob,
} from '../../constructs/workloads/job-spec';
import { renderStatefulService, resolveStatefulService } from '../../constructs/workloads/stateful-service-spec';
import { renderWorker, resolveWorker } from '../../constructs/workloads/worker-spec';
import { type Workload } from '../../constructs/workloads/workload';

const image = 'ghcr.io/acme/app:1.4.2';

/** What `resolve` throws, checked to be a GroundworkValidationError. */
function thrown(resolve: () => unknown): string {
  try {
    resolve();
  } catch (e) {
    expect(e).toBeInstanceOf(GroundworkValidationError);
    return (e as Error).message;
  }
  throw new Error('expected the props to be refused');
}

/** What the construct made by `make` at `test/<id>` throws, and that it created no object. */
function constructError(make: (chart: Construct) => Workload): string {
  const chart = new Chart(Testing.app(), 'test');
  try {
    make(chart);
  } catch (e) {
    expect(Testing.synth(chart)).toEqual([]);
    return (e as Error).message;
  }
  throw new Error('expected the construct to throw');
}

describe('resolveWorker / renderWorker', () => {
  const base: WorkerProps = { image, namespace: 'apps', ports: [{ name: 'metrics', containerPort: 9090 }] };

  test('defaults: 2 replicas, the ports resolved, TCP probes because the worker has a port', () => {
    const spec = resolveWorker(base, 'test/worker');
    expect(spec.workload).toMatchObject({
      name: 'worker',
      namespace: 'apps',
      labels: { 'app.kubernetes.io/component': 'worker' },
    });
    expect(spec.replicas).toBe(2);
    expect(spec.ports).toEqual([{ name: 'metrics', containerPort: 9090, servicePort: 9090, protocol: 'TCP' }]);
    expect(spec.probes).toEqual({ readiness: { type: 'tcp' }, liveness: { type: 'tcp', periodSeconds: 20 } });
  });

  test('without a port the probes stay exactly as given (no TCP default)', () => {
    const probes = { readiness: { type: 'exec' as const, command: ['true'] }, liveness: false as const };
    expect(resolveWorker({ image, namespace: 'apps', probes }, 'test/worker').probes).toBe(probes);
  });

  test('invalid props: every problem, in the order the construct reports them', () => {
    const bad: WorkerProps = { image, namespace: 'apps', replicas: -1 };
    const message = thrown(() => resolveWorker(bad, 'test/worker'));
    expect(message.split('\n')).toEqual([
      "Worker 'test/worker': replicas (-1) must be an integer >= 0",
      "Worker 'test/worker': probes.readiness (undefined) must be given (e.g. an exec probe) or set to false explicitly: the workload has no port to check",
      "Worker 'test/worker': probes.liveness (undefined) must be given (e.g. an exec probe) or set to false explicitly: the workload has no port to check",
    ]);
    expect(constructError((c) => new Worker(c, 'worker', bad))).toBe(message);
  });

  test('render: Deployment, Pdb, NetworkPolicy under their role ids, as the construct creates them', () => {
    const parts = renderWorker(resolveWorker(base, 'test/worker'));
    expect(parts.map((p) => [p.id, p.role])).toEqual([
      ['Deployment', 'deployment'],
      ['Pdb', 'pdb'],
      ['NetworkPolicy', 'networkPolicy'],
    ]);
    expect(parts[0].manifest.spec).toMatchObject({
      replicas: 2,
      template: { spec: { containers: [{ ports: [{ name: 'metrics', containerPort: 9090 }] }] } },
    });
    const w = new Worker(new Chart(Testing.app(), 'test'), 'worker', base);
    expect(w.node.children.map((c) => c.node.id)).toEqual(['ServiceAccount', 'Deployment', 'Pdb', 'NetworkPolicy']);
    expect(w.deployment.toJson()).toEqual(parts[0].manifest);
    expect(w.serviceAccount.name).toBe('worker');
  });

  test('opted out of the PodDisruptionBudget and the NetworkPolicy: only the Deployment', () => {
    const parts = renderWorker(
      resolveWorker({ ...base, disruptionBudget: false, networkPolicy: false }, 'test/worker'),
    );
    expect(parts.map((p) => p.id)).toEqual(['Deployment']);
  });
});

describe('resolveStatefulService / renderStatefulService', () => {
  const base: StatefulServiceProps = {
    image,
    namespace: 'data',
    port: 5432,
    volumes: [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi' }],
  };

  test('defaults: 1 replica, port named tcp, TCP probes, ReadWriteOnce volumes retained, OrderedReady', () => {
    const spec = resolveStatefulService(base, 'test/db');
    expect(spec.workload).toMatchObject({
      name: 'db',
      namespace: 'data',
      labels: { 'app.kubernetes.io/component': 'database' },
    });
    expect(spec).toMatchObject({
      replicas: 1,
      ports: [{ name: 'tcp', containerPort: 5432, servicePort: 5432, protocol: 'TCP' }],
      probes: { readiness: { type: 'tcp' }, liveness: { type: 'tcp', periodSeconds: 20 } },
      volumes: [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi', accessMode: 'ReadWriteOnce' }],
      podManagementPolicy: 'OrderedReady',
      volumeRetention: 'Retain',
    });
    expect(resolveStatefulService({ ...base, retainVolumes: false }, 'test/db').volumeRetention).toBe('Delete');
  });

  test('invalid props: every problem, in the order the construct reports them', () => {
    const bad: StatefulServiceProps = { ...base, name: `d${'b'.repeat(52)}`, volumes: [] };
    const message = thrown(() => resolveStatefulService(bad, 'test/db'));
    expect(message.split('\n')).toEqual([
      `StatefulService 'test/db': name ("d${'b'.repeat(52)}") must be at most 52 characters (its Pods' controller-revision-hash label adds 11 characters and must fit in 63), got 53`,
      "StatefulService 'test/db': volumes ([]) must list at least one volume (use a WebService or Worker for stateless Pods)",
    ]);
    expect(constructError((c) => new StatefulService(c, 'db', bad))).toBe(message);
  });

  test('render: the headless Service, then the StatefulSet with one claim per volume', () => {
    const parts = renderStatefulService(
      resolveStatefulService({ ...base, volumes: [{ ...base.volumes[0], storageClassName: 'fast' }] }, 'test/db'),
    );
    expect(parts.map((p) => [p.id, p.role])).toEqual([
      ['Service', 'service'],
      ['StatefulSet', 'statefulSet'],
      ['Pdb', 'pdb'],
      ['NetworkPolicy', 'networkPolicy'],
    ]);
    expect(parts[0].manifest.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(parts[1].manifest.spec).toMatchObject({
      serviceName: 'db',
      replicas: 1,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast' } },
      ],
    });
    const s = new StatefulService(new Chart(Testing.app(), 'test'), 'db', base);
    expect(s.node.children.map((c) => c.node.id)).toEqual([
      'ServiceAccount',
      'Service',
      'StatefulSet',
      'Pdb',
      'NetworkPolicy',
    ]);
    expect(s.statefulSet.toJson()).toEqual(renderStatefulService(resolveStatefulService(base, 'test/db'))[1].manifest);
  });
});

describe('resolveScheduledJob / renderScheduledJob', () => {
  const base: ScheduledJobProps = { image, namespace: 'jobs', schedule: '0 3 * * *' };

  test('defaults: Forbid, a 300 s starting deadline, not suspended, the Job settings resolved', () => {
    const spec = resolveScheduledJob(base, 'test/nightly');
    expect(spec.workload).toMatchObject({ name: 'nightly', labels: { 'app.kubernetes.io/component': 'cronjob' } });
    expect(spec).toMatchObject({
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      suspend: false,
    });
    expect(spec.timeZone).toBeUndefined();
    expect(spec.job).toEqual({
      backoffLimit: 2,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
      restartPolicy: 'Never',
      parallelism: 1,
      completions: 1,
    });
  });

  test('invalid props: every problem, in the order the construct reports them', () => {
    const bad: ScheduledJobProps = { ...base, startingDeadlineSeconds: 5, backoffLimit: -1 };
    const message = thrown(() => resolveScheduledJob(bad, 'test/nightly'));
    expect(message.split('\n')).toEqual([
      "ScheduledJob 'test/nightly': startingDeadlineSeconds (5) must be an integer >= 10",
      "ScheduledJob 'test/nightly': backoffLimit (-1) must be an integer >= 0",
    ]);
    expect(constructError((c) => new ScheduledJob(c, 'nightly', bad))).toBe(message);
  });

  test('render: the CronJob (time zone only when given) and the deny-all NetworkPolicy', () => {
    const parts = renderScheduledJob(
      resolveScheduledJob({ ...base, timeZone: 'Europe/Berlin', restartPolicy: 'OnFailure' }, 'test/nightly'),
    );
    expect(parts.map((p) => [p.id, p.role])).toEqual([
      ['CronJob', 'cronJob'],
      ['NetworkPolicy', 'networkPolicy'],
    ]);
    expect(parts[0].manifest.spec).toMatchObject({
      timeZone: 'Europe/Berlin',
      jobTemplate: { spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure' } } } },
    });
    expect(parts[1].manifest.spec).toMatchObject({ ingress: [] });
    expect(renderScheduledJob(resolveScheduledJob(base, 'test/nightly'))[0].manifest.spec).not.toHaveProperty(
      'timeZone',
    );
    const j = new ScheduledJob(new Chart(Testing.app(), 'test'), 'nightly', base);
    expect(j.node.children.map((c) => c.node.id)).toEqual(['ServiceAccount', 'CronJob', 'NetworkPolicy']);
  });
});

describe('resolveBatchJob / renderBatchJob', () => {
  const base: BatchJobProps = { image, namespace: 'jobs' };

  test('defaults: the Job settings resolved once', () => {
    const spec = resolveBatchJob({ ...base, parallelism: 3 }, 'test/migrate');
    expect(spec.workload).toMatchObject({ name: 'migrate', labels: { 'app.kubernetes.io/component': 'job' } });
    expect(spec.job).toEqual({
      backoffLimit: 2,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
      restartPolicy: 'Never',
      parallelism: 3,
      completions: 1,
    });
  });

  test('invalid props: every problem, in the order the construct reports them', () => {
    const bad: BatchJobProps = { ...base, image: 'ghcr.io/acme/app:latest', parallelism: 0 };
    const message = thrown(() => resolveBatchJob(bad, 'test/migrate'));
    expect(message.split('\n')).toHaveLength(2);
    expect(message.split('\n')[0]).toMatch(/^BatchJob 'test\/migrate': image \("ghcr.io\/acme\/app:latest"\) /);
    expect(message.split('\n')[1]).toBe("BatchJob 'test/migrate': parallelism (0) must be an integer >= 1");
    expect(constructError((c) => new BatchJob(c, 'migrate', bad))).toBe(message);
  });

  test('a path without a Chart needs its namespace in props', () => {
    expect(() => resolveBatchJob({ image }, 'test/migrate')).toThrow(
      'BatchJob \'test/migrate\': namespace (undefined) must be set to a namespace other than "default" (in props or on the Chart)',
    );
  });

  test('render: the Job and the deny-all NetworkPolicy, as the construct creates them', () => {
    const parts = renderBatchJob(resolveBatchJob(base, 'test/migrate'));
    expect(parts.map((p) => [p.id, p.role])).toEqual([
      ['Job', 'job'],
      ['NetworkPolicy', 'networkPolicy'],
    ]);
    expect(parts[0].manifest.spec).toMatchObject({
      backoffLimit: 2,
      completions: 1,
      template: { spec: { restartPolicy: 'Never' } },
    });
    const j = new BatchJob(new Chart(Testing.app(), 'test'), 'migrate', base);
    expect(j.job.toJson()).toEqual(parts[0].manifest);
    expect(renderBatchJob(resolveBatchJob({ ...base, networkPolicy: false }, 'test/migrate')).map((p) => p.id)).toEqual(
      ['Job'],
    );
  });
});
