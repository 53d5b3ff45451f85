import { StatefulService, WebService } from '../../constructs';
import { one, synth } from '../helpers/synth';

describe('topology spread that cannot deadlock a rollout', () => {
  test('WebService: every constraint honours taints and counts only Pods of the same revision', () => {
    const spec = one(
      synth((c) => new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, replicas: 3 })),
      'Deployment',
    ).spec.template.spec;
    expect(spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        nodeTaintsPolicy: 'Honor',
        matchLabelKeys: ['pod-template-hash', 'rollouts-pod-template-hash'],
      },
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        nodeTaintsPolicy: 'Honor',
        matchLabelKeys: ['pod-template-hash', 'rollouts-pod-template-hash'],
      },
    ]);
  });

  test('StatefulService: taints honoured; no revision keys (its Pods roll one at a time)', () => {
    const spec = one(
      synth(
        (c) =>
          new StatefulService(c, 'db', {
            image: 'docker.io/library/postgres:17.2',
            port: 5432,
            replicas: 3,
            volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
          }),
      ),
      'StatefulSet',
    ).spec.template.spec;
    for (const c of spec.topologySpreadConstraints) {
      expect(c.nodeTaintsPolicy).toBe('Honor');
      expect(c.matchLabelKeys).toBeUndefined();
    }
  });
});
