/** Velero's volume data (the node agent) and SSE-KMS encryption of the bucket. */
import { velero, type VeleroProps } from '../../constructs';
import { as } from '../helpers/kinds';
import { validated, validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';

const STORAGE: VeleroProps['storage'] = {
  provider: 'aws',
  bucket: 'backups',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::1:role/velero',
};
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function location(props: Partial<VeleroProps>): Record<string, string> {
  const d = velero({ storage: STORAGE, ...props });
  return as(
    validated([...d.companions]).find((o) => o.kind === 'BackupStorageLocation') ?? d.companions[0],
    'BackupStorageLocation',
  ).spec.config;
}

describe('Velero volume data and encryption', () => {
  test('kmsKeyId reaches the BackupStorageLocation config only when configured', () => {
    expect(location({})).toEqual({ region: 'eu-west-1' });
    expect(location({ kmsKeyId: KEY })).toEqual({ region: 'eu-west-1', kmsKeyId: KEY });
  });

  test('a bad key, or a key on another provider, is refused', () => {
    expect(validationErrorOf(() => velero({ storage: STORAGE, kmsKeyId: 'my key' }))).toContain(
      'kmsKeyId ("my key") must be a KMS key id',
    );
    const gcp = { provider: 'gcp', bucket: 'b', gcpServiceAccount: 'v@p.iam.gserviceaccount.com' } as const;
    expect(validationErrorOf(() => velero({ storage: gcp, kmsKeyId: KEY }))).toContain('storage.provider must be aws');
  });

  test('node agent: kopia file-system backup of every Pod volume, its namespace privileged; off by default', () => {
    const off = velero({ storage: STORAGE });
    expect([v(off, 'deployNodeAgent'), off.podSecurity, off.components.nodeAgent]).toEqual([
      undefined,
      'baseline',
      undefined,
    ]);
    const on = velero({ storage: STORAGE, volumeBackup: 'node-agent' });
    expect([v(on, 'deployNodeAgent'), v(on, 'configuration.uploaderType'), on.podSecurity]).toEqual([
      true,
      'kopia',
      'privileged',
    ]);
    expect(on.components.nodeAgent).toEqual({ cpu: '100m', memory: '256Mi', perNode: true });
    const schedule = as(validated([on.companions[1]])[0], 'Schedule');
    expect(schedule.spec.template).toMatchObject({ defaultVolumesToFsBackup: true });
    expect(validationErrorOf(() => velero({ storage: STORAGE, volumeBackup: 'csi' as never }))).toContain(
      'must be one of none, node-agent',
    );
  });
});
