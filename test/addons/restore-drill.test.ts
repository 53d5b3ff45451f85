/** The Velero restore drill: in staging and prod only, hardened, least-privilege RBAC, its alert. */
import { checkManifests, type ManifestObject, velero } from '../../constructs';
import { RESTORE_DRILL } from '../../constructs/addons/velero-restore-drill';
import { alertRuleProblems } from '../monitoring/alert-rules';
import { renderedWithDemo } from '../helpers/stacks';
import { validated } from '../helpers/synth';

const STORAGE = {
  provider: 'aws',
  bucket: 'backups',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::1:role/velero',
} as const;

function addonObjects(stack: string): ManifestObject[] {
  return renderedWithDemo(stack).gitops.files.flatMap((f) => f.objects);
}

function drillOf(objects: readonly ManifestObject[]): ManifestObject[] {
  return objects.filter(
    (o) => (o.metadata?.name ?? '').startsWith(RESTORE_DRILL) || o.metadata?.namespace === RESTORE_DRILL,
  );
}

describe('restore drill', () => {
  test.each(['staging', 'prod'])(
    '%s renders the drill, its alert and runbook; the output passes the hardening checks',
    (stack) => {
      const objects = addonObjects(stack);
      const kinds = drillOf(objects).map((o) => o.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'Namespace',
          'CronJob',
          'ServiceAccount',
          'Role',
          'RoleBinding',
          'ClusterRole',
          'ClusterRoleBinding',
          'NetworkPolicy',
        ]),
      );
      expect(checkManifests(objects)).toEqual([]);
      const rules = objects.filter((o) => o.kind === 'PrometheusRule');
      expect(JSON.stringify(rules)).toContain('RestoreDrillFailed');
      expect(alertRuleProblems(rules)).toEqual([]);
    },
  );

  test.each(['kind', 'dev'])('%s has no drill and no drill alert', (stack) => {
    const objects = addonObjects(stack);
    expect(drillOf(objects)).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('RestoreDrillFailed');
  });

  test('the companions are schema-valid and hardened; RBAC names no wildcard and is namespaced but for listing namespaces', () => {
    const objects = validated([...velero({ storage: STORAGE, restoreDrill: true }).companions]);
    const rbac = objects.filter((o) => ['Role', 'ClusterRole'].includes(o.kind)) as (ManifestObject & {
      rules: { verbs: string[]; resources: string[] }[];
    })[];
    expect(JSON.stringify(rbac)).not.toContain('*');
    const cluster = rbac.filter((r) => r.kind === 'ClusterRole');
    expect(cluster.map((r) => r.rules)).toEqual([[{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }]]);
    // no Secret is read or restored
    expect(rbac.flatMap((r) => r.rules.flatMap((x) => x.resources))).not.toContain('secrets');
    const job = objects.find((o) => o.kind === 'CronJob') as ManifestObject & {
      spec: { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } };
    };
    const pod = job.spec.jobTemplate.spec.template.spec as {
      securityContext: object;
      containers: { image: string; securityContext: object }[];
    };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.containers[0].image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(velero({ storage: STORAGE }).companions.filter((o) => o.kind === 'CronJob')).toEqual([]);
  });
});
