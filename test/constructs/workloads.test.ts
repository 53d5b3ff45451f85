import { Chart, Testing } from 'cdk8s';
import {
  AppConfig,
  AppNamespace,
  BatchJob,
  ExternalSecret,
  type ManifestObject,
  ScheduledJob,
  StatefulService,
  Worker,
} from '../../constructs';
import { as } from '../helpers/kinds';
import { all, container, one, podSpec, synth } from '../helpers/synth';

const busybox = 'busybox:1.37.0';
const execProbes = {
  readiness: { type: 'exec' as const, command: ['true'] },
  liveness: { type: 'exec' as const, command: ['true'] },
};

describe('Worker', () => {
  test('Deployment with no Service, exec probes, PDB, spread and a deny-all NetworkPolicy', () => {
    const objs = synth((c) => new Worker(c, 'queue', { image: busybox, probes: execProbes, replicas: 3 }));
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'ServiceAccount',
    ]);
    const dep = one(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(3);
    expect(container(dep).readinessProbe.exec).toEqual({ command: ['true'] });
    expect(container(dep).ports).toBeUndefined();
    expect(podSpec(dep).topologySpreadConstraints).toHaveLength(2);
    expect(one(objs, 'NetworkPolicy').spec.ingress).toEqual([]);
    expect(dep.metadata.labels['app.kubernetes.io/component']).toBe('worker');
  });

  test('with a metrics port it gets TCP probes by default and admits named peers on that port', () => {
    const objs = synth(
      (c) =>
        new Worker(c, 'queue', {
          image: busybox,
          ports: [{ name: 'metrics', containerPort: 9100 }],
          networkPolicy: { allowFrom: [{ namespace: 'monitoring' }] },
        }),
    );
    const c = container(one(objs, 'Deployment'));
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'metrics' });
    expect(one(objs, 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
  });

  test('probes opted out explicitly are absent, and the opt-out is recorded for the hardening check', () => {
    // synth() runs checkManifests with every rule: the recorded opt-out is what lets it pass
    const objs = synth(
      (c) => new Worker(c, 'queue', { image: busybox, probes: { readiness: false, liveness: false } }),
    );
    expect(container(one(objs, 'Deployment')).livenessProbe).toBeUndefined();
    expect(one(objs, 'Deployment').metadata.annotations).toEqual({
      'groundwork.io/allow-probes': 'a probe set to false in props.probes',
    });
  });
});

describe('StatefulService', () => {
  test('StatefulSet with headless Service, volume claim templates, PDB and retained volumes', () => {
    const objs = synth(
      (c) =>
        new StatefulService(c, 'db', {
          image: 'postgres:17.2',
          port: 5432,
          portName: 'postgres',
          replicas: 3,
          volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi', storageClassName: 'gp3' }],
          probes: { readiness: { type: 'exec', command: ['pg_isready'] } },
        }),
    );
    const sts = one(objs, 'StatefulSet');
    expect(sts.spec.serviceName).toBe('db');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'db' } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } }, storageClassName: 'gp3' },
      },
    ]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(container(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(container(sts).readinessProbe.exec.command).toEqual(['pg_isready']);
    expect(container(sts).livenessProbe.tcpSocket).toEqual({ port: 'postgres' });
    const svc = one(objs, 'Service');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
    expect(one(objs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('a single replica by default, volumes deleted with the set when asked', () => {
    const sts = one(
      synth(
        (c) =>
          new StatefulService(c, 'cache', {
            image: 'redis:7.4.1-alpine',
            port: 6379,
            retainVolumes: false,
            volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
          }),
      ),
      'StatefulSet',
    );
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
  });
});

describe('ScheduledJob and BatchJob', () => {
  test('CronJob: schedule, time zone, Forbid concurrency, bounded history and run time, Never restart', () => {
    const objs = synth(
      (c) => new ScheduledJob(c, 'report', { image: busybox, schedule: '30 2 * * 1-5', timeZone: 'Europe/Berlin' }),
    );
    const cj = one(objs, 'CronJob');
    expect(cj.spec).toMatchObject({
      schedule: '30 2 * * 1-5',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
    });
    expect(cj.spec.jobTemplate.spec).toMatchObject({
      backoffLimit: 2,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
    });
    expect(podSpec(cj).restartPolicy).toBe('Never');
    expect(container(cj).readinessProbe).toBeUndefined();
    expect(one(objs, 'NetworkPolicy').spec.ingress).toEqual([]);
  });

  test('macros and named months and days are accepted', () => {
    for (const schedule of ['@hourly', '0 0 1 jan *', '*/15 9-17 * * mon-fri', '0 0 * * 0']) {
      expect(
        one(
          synth((c) => new ScheduledJob(c, 'j', { image: busybox, schedule })),
          'CronJob',
        ).spec.schedule,
      ).toBe(schedule);
    }
  });

  test('Job with its own settings', () => {
    const job = one(
      synth(
        (c) =>
          new BatchJob(c, 'migrate', {
            image: busybox,
            backoffLimit: 0,
            restartPolicy: 'OnFailure',
            parallelism: 2,
            completions: 4,
          }),
      ),
      'Job',
    );
    expect(job.spec).toMatchObject({ backoffLimit: 0, parallelism: 2, completions: 4 });
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
  });
});

describe('config, secrets and namespaces', () => {
  test('AppConfig renders typed data as strings', () => {
    const cm = one(
      synth(
        (c) => new AppConfig(c, 'settings', { data: { LOG_LEVEL: 'info', RETRIES: 3, DEBUG: false }, immutable: true }),
      ),
      'ConfigMap',
    );
    expect(cm.data).toEqual({ LOG_LEVEL: 'info', RETRIES: '3', DEBUG: 'false' });
    expect(cm.immutable).toBe(true);
  });

  test('ExternalSecret holds references only and names the Secret it creates', () => {
    let secretName = '';
    const objs = synth((c) => {
      secretName = new ExternalSecret(c, 'db', {
        store: { name: 'vault' },
        data: [{ secretKey: 'password', remoteKey: 'prod/db', property: 'password' }],
      }).secretName;
    });
    const es = one(objs, 'ExternalSecret');
    expect(secretName).toBe('db');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'db', creationPolicy: 'Owner' },
      data: [{ secretKey: 'password', remoteRef: { key: 'prod/db', property: 'password' } }],
    });
    expect(all(objs, 'Secret')).toEqual([]);
  });

  test('AppNamespace enforces, audits and warns at the restricted level by default', () => {
    const chart = new Chart(Testing.app(), 'cluster');
    new AppNamespace(chart, 'team-a', { labels: { team: 'a' } });
    const ns = as(chart.toJson()[0] as ManifestObject, 'Namespace');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      team: 'a',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });
});
