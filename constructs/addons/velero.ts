import * as rules from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { PROMETHEUS_SELECTOR_LABELS } from './kube-prometheus-stack';
import type { MetricsServiceOffer } from './offers';
import { ownAddon } from './register';
import { restoreDrill } from './velero-restore-drill';

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
  | {
      readonly provider: 'gcp';
      readonly bucket: string;
      /** Workload Identity service account. */ readonly gcpServiceAccount: string;
    }
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
  /**
   * How volume data is backed up. `node-agent`: file-system backup with kopia by the node agent
   * DaemonSet (every Pod volume of the scheduled backups; its Pods mount the kubelet's host paths,
   * so Velero's namespace gets Pod Security `privileged`). `none`: Kubernetes objects only. CSI
   * snapshots need the snapshot CRDs and controller, which no add-on here installs.
   * @default 'none'
   */
  readonly volumeBackup?: 'none' | 'node-agent';
  /**
   * Node agent requests, per node.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly nodeAgentSize?: ComponentSize;
  /**
   * AWS KMS key the backups are encrypted with in the bucket (SSE-KMS): a key id, `alias/<name>`
   * or an ARN (velero-plugin-for-aws v1.13.1 backupstoragelocation.md `config.kmsKeyId`). AWS only.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
  /**
   * The weekly restore drill (Mondays 06:00): restores the latest completed backup of the namespace
   * labelled `groundwork.io/restore-drill: "true"` into `restore-drill` and checks it
   * (velero-restore-drill.ts).
   * @default false
   */
  readonly restoreDrill?: boolean;
  /**
   * The chart's ServiceMonitor for the server's metrics (needs the monitoring CRDs before Velero
   * installs): the platform's VeleroBackupFailed and VeleroBackupMissing alerts read them. Off, the
   * add-on offers its metrics Service and the monitoring add-on's own ServiceMonitor scrapes it
   * (platform-monitors.ts).
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

const PLUGINS = {
  aws: 'velero/velero-plugin-for-aws:v1.13.1',
  gcp: 'velero/velero-plugin-for-gcp:v1.13.1',
  azure: 'velero/velero-plugin-for-microsoft-azure:v1.13.1',
} as const;

/** A KMS key id, alias or ARN, as the AWS plugin accepts it (backupstoragelocation.md `kmsKeyId`). */
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|(mrk-)?[0-9a-f-]{32,36})$/;

function checkVelero(props: VeleroProps): PropsValidator {
  const v = addonValidator('velero', props, {
    storage: 'object',
    schedule: 'string',
    ttl: 'string',
    includedNamespaces: 'strings',
    size: SIZE_SPEC,
    volumeBackup: 'string',
    nodeAgentSize: SIZE_SPEC,
    kmsKeyId: 'string',
    restoreDrill: 'boolean',
    serviceMonitor: 'boolean',
  });
  const s = props.storage;
  if (!(s.provider in PLUGINS))
    v.fail('storage.provider', s.provider, `must be one of ${Object.keys(PLUGINS).join(', ')}`);
  v.check('storage.bucket', s.bucket, rules.dns1123Subdomain);
  const credential =
    s.provider === 'aws'
      ? s.roleArn
      : s.provider === 'gcp'
        ? s.gcpServiceAccount
        : s.provider === 'azure'
          ? s.managedIdentityClientId
          : undefined;
  if (!credential)
    v.fail('storage', s.provider, 'must reference credentials (roleArn, gcpServiceAccount or managedIdentityClientId)');
  v.check('schedule', props.schedule ?? DEFAULT_SCHEDULE, rules.cronSchedule);
  v.check('ttl', props.ttl ?? '720h', (d) =>
    /^(\d+(h|m|s))+$/.test(d) ? undefined : 'must be a Go duration such as "720h"',
  );
  const volumeBackup = props.volumeBackup ?? 'none';
  if (volumeBackup !== 'none' && volumeBackup !== 'node-agent')
    v.fail('volumeBackup', volumeBackup, 'must be one of none, node-agent');
  if (props.kmsKeyId !== undefined) {
    if (s.provider !== 'aws') v.fail('kmsKeyId', props.kmsKeyId, 'is an AWS KMS key: storage.provider must be aws');
    else if (!KMS_KEY.test(props.kmsKeyId))
      v.fail('kmsKeyId', props.kmsKeyId, 'must be a KMS key id, alias/<name> or a key or alias ARN');
  }
  return v;
}

const DEFAULT_SCHEDULE = '0 3 * * *';

/** The credentials reference on Velero's ServiceAccount (IRSA, Workload Identity). */
function serviceAccountAnnotations(s: BackupStorage): Record<string, string> {
  if (s.provider === 'aws') return { 'eks.amazonaws.com/role-arn': s.roleArn };
  if (s.provider === 'gcp') return { 'iam.gke.io/gcp-service-account': s.gcpServiceAccount };
  return { 'azure.workload.identity/client-id': s.managedIdentityClientId };
}

/** The BackupStorageLocation's `config` (velero-plugin-for-aws v1.13.1 backupstoragelocation.md). */
function locationConfig(s: BackupStorage, kmsKeyId: string | undefined): Record<string, string> {
  if (s.provider === 'aws')
    return {
      region: s.region,
      ...(s.s3Url ? { s3Url: s.s3Url, s3ForcePathStyle: 'true' } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    };
  if (s.provider === 'gcp') return {};
  return { resourceGroup: s.resourceGroup, storageAccount: s.storageAccount, useAAD: 'true' };
}

/**
 * The chart's `metrics` values: the metrics Service on, and with `serviceMonitor` the chart's
 * ServiceMonitor (chart 12.1.0 values.yaml metrics.serviceMonitor, templates/servicemonitor.yaml: port
 * http-monitoring; autodetect off, so helm template renders it without the cluster's API list).
 */
function metricsValues(serviceMonitor: boolean): Record<string, unknown> {
  if (!serviceMonitor) return { enabled: true };
  return {
    enabled: true,
    serviceMonitor: { enabled: true, autodetect: false, additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } },
  };
}

/**
 * The server's metrics Service (chart 12.1.0 templates/service.yaml, rendered while values.yaml
 * `metrics.enabled`, on by default and in our values): `<fullname>` (templates/_helpers.tpl
 * velero.fullname: the release name when it contains the chart name; our values set no
 * nameOverride or fullnameOverride), labelled name `velero`, instance `<release>` (the chart's only
 * Service), port `http-monitoring` (8085) onto the server container's `http-monitoring` port
 * (templates/deployment.yaml), metrics on `/metrics` (values.yaml `metrics.podAnnotations`
 * `prometheus.io/path`; templates/servicemonitor.yaml names no path either). The platform scrapes it
 * when the chart's own ServiceMonitor (`serviceMonitor`) is off.
 */
export function veleroMetricsService(namespace: string, release = 'velero'): MetricsServiceOffer {
  return {
    name: release.includes('velero') ? release : `${release}-velero`,
    namespace,
    matchLabels: { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': release },
    port: 'http-monitoring',
    path: '/metrics',
  };
}

/**
 * Velero with a BackupStorageLocation and a daily Schedule; with `volumeBackup: 'node-agent'`,
 * the node agent and file-system backup of every Pod volume (chart 12.1.0 values.yaml
 * `deployNodeAgent`, `nodeAgent.resources`, `configuration.uploaderType`; velero v1.18.1 BackupSpec
 * `defaultVolumesToFsBackup`).
 */
export function velero(props: VeleroProps): AddonDeclaration {
  const v = checkVelero(props);
  const s = props.storage;
  const size = { cpu: '100m', memory: '128Mi', ...props.size };
  const nodeAgent =
    props.volumeBackup === 'node-agent'
      ? { cpu: '100m', memory: '256Mi', ...props.nodeAgentSize, perNode: true }
      : undefined;
  const fsBackup = nodeAgent !== undefined ? { defaultVolumesToFsBackup: true } : {};
  return declareAddon({
    id: 'velero',
    props,
    validator: v,
    defaultNamespace: 'velero',
    values: {
      upgradeCRDs: true,
      initContainers: [
        {
          name: `velero-plugin-for-${s.provider}`,
          image: PLUGINS[s.provider],
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        },
      ],
      credentials: { useSecret: false },
      serviceAccount: { server: { annotations: serviceAccountAnnotations(s) } },
      configuration: {
        backupStorageLocation: [],
        volumeSnapshotLocation: [],
        ...(nodeAgent !== undefined ? { uploaderType: 'kopia' } : {}),
      },
      resources: requestsOf(size),
      metrics: metricsValues(props.serviceMonitor === true),
      ...(nodeAgent !== undefined ? { deployNodeAgent: true, nodeAgent: { resources: requestsOf(nodeAgent) } } : {}),
    },
    providesCrds: ['velero.io'],
    ...(props.serviceMonitor === true ? { requiresCrds: ['monitoring.coreos.com'] } : {}),
    // without the chart's ServiceMonitor, the platform's scrapes the metrics Service (platform-monitors.ts)
    ...(props.serviceMonitor === true
      ? {}
      : { provides: (namespace: string) => ({ metricsServices: [veleroMetricsService(namespace)] }) }),
    components: { server: size, ...(nodeAgent !== undefined ? { nodeAgent } : {}) },
    // the node agent mounts the kubelet's host paths (chart templates/node-agent-daemonset.yaml)
    ...(nodeAgent !== undefined ? { podSecurity: 'privileged' as const } : {}),
    companions: (namespace) => [
      companion('velero.io/v1', 'BackupStorageLocation', 'default', namespace, {
        spec: {
          provider: s.provider === 'azure' ? 'azure' : s.provider,
          default: true,
          accessMode: 'ReadWrite',
          objectStorage: { bucket: s.bucket },
          config: locationConfig(s, props.kmsKeyId),
        },
      }),
      companion('velero.io/v1', 'Schedule', 'daily', namespace, {
        spec: {
          schedule: props.schedule ?? DEFAULT_SCHEDULE,
          useOwnerReferencesInBackup: false,
          template: {
            ttl: props.ttl ?? '720h',
            includedNamespaces: [...(props.includedNamespaces ?? ['*'])],
            storageLocation: 'default',
            snapshotMoveData: false,
            ...fsBackup,
          },
        },
      }),
      ...(props.restoreDrill === true ? restoreDrill(namespace, '0 6 * * 1') : []),
    ],
  });
}

/** Its registry entry: the profile's `backup` key. */
export const veleroAddon = ownAddon({
  id: 'velero',
  profileKey: 'backup',
  defaultProps: false,
  declare: velero,
  example: {
    storage: { provider: 'aws', bucket: 'b', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/v' },
  },
});
