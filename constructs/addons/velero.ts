import * as rules from '../internal/rules';
import { type AddonDeclaration, type AddonProps, addonValidator, companion, type ComponentSize, declareAddon, requestsOf, SIZE_SPEC } from './addon';
import { ownAddon } from './register';

/** Object storage for backups, and the credentials reference. */
export type BackupStorage =
  | {
      readonly provider: 'aws';
      readonly bucket: string;
      readonly region: string;
      /** IRSA role: the credentials reference. */ readonly roleArn: string;
      /**
       * S3-compatible endpoint (path-style requests).
       * @default - AWS S3 in `region`
       */
      readonly s3Url?: string;
    }
  | { readonly provider: 'gcp'; readonly bucket: string; /** Workload Identity service account. */ readonly gcpServiceAccount: string }
  | {
      readonly provider: 'azure';
      readonly bucket: string;
      readonly resourceGroup: string;
      readonly storageAccount: string;
      readonly managedIdentityClientId: string;
    };

/** Props of the Velero add-on. */
export interface VeleroProps extends AddonProps {
  /** Where backups go. */
  readonly storage: BackupStorage;
  /**
   * Cron schedule of the daily backup.
   * @default '0 3 * * *'
   */
  readonly schedule?: string;
  /**
   * How long backups are kept (Go duration).
   * @default '720h' (30 days)
   */
  readonly ttl?: string;
  /**
   * Namespaces the schedule backs up.
   * @default ['*']
   */
  readonly includedNamespaces?: readonly string[];
  /**
   * Server requests.
   * @default { cpu: '100m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
}

const PLUGINS = {
  aws: 'velero/velero-plugin-for-aws:v1.13.1',
  gcp: 'velero/velero-plugin-for-gcp:v1.13.1',
  azure: 'velero/velero-plugin-for-microsoft-azure:v1.13.1',
} as const;

/** Velero with a BackupStorageLocation and a daily Schedule. */
export function velero(props: VeleroProps): AddonDeclaration {
  const v = addonValidator('velero', props, { storage: 'object', schedule: 'string', ttl: 'string', includedNamespaces: 'strings', size: SIZE_SPEC });
  const s = props.storage;
  if (!(s.provider in PLUGINS)) v.fail('storage.provider', s.provider, `must be one of ${Object.keys(PLUGINS).join(', ')}`);
  v.check('storage.bucket', s.bucket, rules.dns1123Subdomain);
  const credential =
    s.provider === 'aws' ? s.roleArn : s.provider === 'gcp' ? s.gcpServiceAccount : s.provider === 'azure' ? s.managedIdentityClientId : undefined;
  if (!credential) v.fail('storage', s.provider, 'must reference credentials (roleArn, gcpServiceAccount or managedIdentityClientId)');
  const schedule = props.schedule ?? '0 3 * * *';
  v.check('schedule', schedule, rules.cronSchedule);
  const ttl = props.ttl ?? '720h';
  v.check('ttl', ttl, (d) => (/^(\d+(h|m|s))+$/.test(d) ? undefined : 'must be a Go duration such as "720h"'));
  const size = { cpu: '100m', memory: '128Mi', ...props.size };
  const saAnnotations: Record<string, string> =
    s.provider === 'aws'
      ? { 'eks.amazonaws.com/role-arn': s.roleArn }
      : s.provider === 'gcp'
        ? { 'iam.gke.io/gcp-service-account': s.gcpServiceAccount }
        : { 'azure.workload.identity/client-id': s.managedIdentityClientId };
  const config: Record<string, string> =
    s.provider === 'aws'
      ? { region: s.region, ...(s.s3Url ? { s3Url: s.s3Url, s3ForcePathStyle: 'true' } : {}) }
      : s.provider === 'gcp'
        ? {}
        : { resourceGroup: s.resourceGroup, storageAccount: s.storageAccount, useAAD: 'true' };
  return declareAddon({
    id: 'velero',
    props,
    validator: v,
    defaultNamespace: 'velero',
    values: {
      upgradeCRDs: true,
      initContainers: [{ name: `velero-plugin-for-${s.provider}`, image: PLUGINS[s.provider], volumeMounts: [{ mountPath: '/target', name: 'plugins' }] }],
      credentials: { useSecret: false },
      serviceAccount: { server: { annotations: saAnnotations } },
      configuration: { backupStorageLocation: [], volumeSnapshotLocation: [] },
      resources: requestsOf(size),
      metrics: { enabled: true },
    },
    providesCrds: ['velero.io'],
    components: { server: size },
    companions: (namespace) => [
      companion('velero.io/v1', 'BackupStorageLocation', 'default', namespace, {
        spec: { provider: s.provider === 'azure' ? 'azure' : s.provider, default: true, accessMode: 'ReadWrite', objectStorage: { bucket: s.bucket }, config },
      }),
      companion('velero.io/v1', 'Schedule', 'daily', namespace, {
        spec: {
          schedule,
          useOwnerReferencesInBackup: false,
          template: { ttl, includedNamespaces: [...(props.includedNamespaces ?? ['*'])], storageLocation: 'default', snapshotMoveData: false },
        },
      }),
    ],
  });
}

/** Its registry entry: the profile's `backup` key. */
export const veleroAddon = ownAddon({
  id: 'velero',
  profileKey: 'backup',
  defaultProps: false,
  declare: velero,
  example: { storage: { provider: 'aws', bucket: 'b', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/v' } },
});
