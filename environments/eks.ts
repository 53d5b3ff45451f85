import type {
  AlertRouting,
  AppsBuilder,
  CLUSTER_ISSUERS,
  ConfigValues,
  Environment,
  EnvironmentDefinition,
  GitOpsProfile,
  GrafanaSso,
  OidcSso,
  PlatformAddonsProps,
} from '../constructs';
import { parseEmailReceiver, parseGroupList } from '../constructs';
import { APP_VERSION, awsRole, baseLabels, gitopsTarget } from './base';

/** What differs between the EKS environments: sizing and choices, never user values. */
export interface EksProfile {
  readonly name: string;
  readonly nodes: number;
  readonly enforcePolicies: boolean;
  readonly mesh: PlatformAddonsProps['mesh'];
  readonly gitopsEngine: 'argo-cd' | 'flux';
  readonly telepresence: boolean;
  readonly prometheusStorage: string;
  /** Jaeger's trace storage: in memory, or Badger on a volume of this size (kept across restarts). */
  readonly traceStorage: 'memory' | { readonly badger: string };
  readonly web: Environment['web'];
  readonly workerReplicas: number;
  /** Let's Encrypt issuer of the Gateway's certificate (staging: untrusted, generous limits). */
  readonly issuer: typeof CLUSTER_ISSUERS.letsEncryptStaging | typeof CLUSTER_ISSUERS.letsEncryptProd;
  /** The weekly Velero restore drill (a marked namespace restored into `restore-drill` and checked). */
  readonly restoreDrill: boolean;
  /**
   * The apps the environment runs (its definition's `apps`).
   * @default - none: add-ons only
   */
  readonly apps?: readonly AppsBuilder[];
}

/** Prerequisites every EKS environment assumes (the IAM roles are derived from the add-ons by preflight). */
const EKS_PREREQUISITES: Environment['prerequisites'] = [
  {
    id: 'cni-network-policy',
    description:
      'the Amazon VPC CNI enforces NetworkPolicies (vpc-cni add-on configuration enableNetworkPolicy: "true"); otherwise every NetworkPolicy is ignored',
  },
  {
    id: 'ebs-csi',
    description:
      'the EKS managed add-on aws-ebs-csi-driver is not installed too (this profile installs the chart and its gp3 StorageClass), and no other StorageClass is marked default',
  },
  {
    id: 'load-balancer',
    description: "Services of type LoadBalancer get a load balancer (the Gateway's proxies are exposed through one)",
  },
  { id: 'dns-zone', description: 'the Route 53 hosted zone of the domain exists and is delegated' },
];

/**
 * What `groundwork:cluster: create` makes true of the prerequisites (constructs/pulumi/aws): the
 * cluster's VPC CNI runs with `enableNetworkPolicy`, no managed EBS CSI add-on is installed beside
 * the chart, and the subnets carry the ELB role tags load balancers are placed by. The zone stays
 * assumed: the stack looks it up, it does not create it.
 */
const MET_BY_CREATE: Readonly<Record<string, string>> = {
  'cni-network-policy': 'groundwork:cluster create (the VPC CNI runs with enableNetworkPolicy)',
  'ebs-csi': 'groundwork:cluster create (the cluster gets no managed aws-ebs-csi-driver add-on)',
  'load-balancer': 'groundwork:cluster create (public subnets tagged kubernetes.io/role/elb)',
};

/** The prerequisites of an EKS stack: with `create`, those the stack makes true are met. */
function eksPrerequisites(cluster: string | undefined): Environment['prerequisites'] {
  if (cluster !== 'create') return EKS_PREREQUISITES;
  return EKS_PREREQUISITES.map((p) => (MET_BY_CREATE[p.id] !== undefined ? { ...p, metBy: MET_BY_CREATE[p.id] } : p));
}

/** The ClusterSecretStore of the EKS environments (AWS Secrets Manager). */
const SECRET_STORE = 'platform-secrets';

/**
 * Single sign-on from stack config (`oidcIssuerUrl`, `oidcClientId`, `oidcClientSecret`: the
 * store entry): Argo CD at `https://argocd.<domain>`, Grafana at `https://grafana.<domain>` once
 * `oidcEndpoints` names its OAuth endpoints; `oidcAdminGroups` administer both, `oidcEditorGroups` edit
 * in Grafana (everyone else a Viewer). Without the keys: none.
 */
function ssoOf(c: ConfigValues, domain: string): { argoCd?: OidcSso; grafana?: GrafanaSso } {
  const { oidcIssuerUrl, oidcClientId, oidcClientSecret, oidcEndpoints, oidcAdminGroups, oidcEditorGroups } = c.config;
  if (oidcIssuerUrl === undefined || oidcClientId === undefined || oidcClientSecret === undefined) return {};
  const base = {
    issuerUrl: oidcIssuerUrl,
    clientId: oidcClientId,
    clientSecret: { secretStore: SECRET_STORE, remoteKey: oidcClientSecret },
    ...(oidcAdminGroups !== undefined ? { adminGroups: parseGroupList(oidcAdminGroups) } : {}),
  };
  const argoCd: OidcSso = { ...base, url: `https://argocd.${domain}` };
  if (oidcEndpoints === undefined) return { argoCd };
  const [authUrl, tokenUrl, apiUrl] = oidcEndpoints.split(' ');
  const editors = oidcEditorGroups !== undefined ? { editorGroups: parseGroupList(oidcEditorGroups) } : {};
  const endpoints = { authUrl, tokenUrl, apiUrl };
  return { argoCd, grafana: { ...base, ...editors, url: `https://grafana.${domain}`, endpoints } };
}

/**
 * Alert receivers from stack config (`alertsSlack`, `alertsPagerDuty`, `alertsWebhook`,
 * `alertsHeartbeat`: store entries; `alertsEmail`): undefined without any of them.
 */
function alertingOf(c: ConfigValues): AlertRouting | undefined {
  const { alertsSlack, alertsPagerDuty, alertsWebhook, alertsHeartbeat, alertsEmail } = c.config;
  const routing: AlertRouting = {
    ...(alertsSlack !== undefined ? { slack: alertsSlack } : {}),
    ...(alertsPagerDuty !== undefined ? { pagerDuty: alertsPagerDuty } : {}),
    ...(alertsWebhook !== undefined ? { webhook: alertsWebhook } : {}),
    ...(alertsHeartbeat !== undefined ? { heartbeat: alertsHeartbeat } : {}),
    ...(alertsEmail !== undefined ? { email: parseEmailReceiver(alertsEmail) } : {}),
  };
  return Object.keys(routing).length > 0 ? routing : undefined;
}

/** What the EKS add-on profile is built from besides the profile and the stack config. */
interface EksAddonInputs {
  readonly domain: string;
  readonly region: string;
  /** The IAM role ARN of a platform component. */
  readonly role: (component: string) => string;
  readonly dns: {
    readonly provider: 'route53';
    readonly region: string;
    readonly roleArn: string;
    readonly hostedZoneId?: string;
  };
  readonly gitops: GitOpsProfile;
  readonly sso: ReturnType<typeof ssoOf>;
  readonly alerting: ReturnType<typeof alertingOf>;
}

/** The EKS add-on profile: every add-on with its AWS identity, bucket or zone, sized by the profile. */
function eksAddons(p: EksProfile, c: ConfigValues, x: EksAddonInputs): PlatformAddonsProps {
  const { domain, region, role, dns, gitops, sso, alerting } = x;
  return {
    cluster: { systemNamespaces: ['kube-system'] },
    nodes: p.nodes,
    awsEbsCsi: { roleArn: role('ebs-csi') },
    ingress: {
      envoyGateway: {
        default: true,
        gateway: {
          name: 'public',
          namespace: 'gateway-system',
          httpsHostname: `*.${domain}`,
          clusterIssuer: p.issuer,
        },
      },
      ingressNginx: false,
    },
    certManager: {
      serviceMonitor: true,
      letsEncrypt: { email: c.value('acmeEmail'), solver: { type: 'dns01', dns } },
    },
    externalDns: {
      dns,
      domainFilters: [c.config.dnsZone ?? domain],
      txtOwnerId: `groundwork-${p.name}`,
      policy: 'sync',
      sources: ['service', 'gateway-httproute'],
    },
    gitops,
    mesh: p.mesh,
    backup: {
      storage: { provider: 'aws', bucket: c.value('backupBucket'), region, roleArn: role('velero') },
      // volume data too: the node agent's kopia file-system backup (no add-on installs the CSI
      // snapshot CRDs and controller that EBS snapshots would need)
      volumeBackup: 'node-agent',
      ...(c.config.backupKmsKeyId !== undefined ? { kmsKeyId: c.config.backupKmsKeyId } : {}),
      ...(p.restoreDrill ? { restoreDrill: true } : {}),
      serviceMonitor: true,
    },
    policy: { engine: 'kyverno', settings: { enforce: p.enforcePolicies, replicas: p.enforcePolicies ? 3 : 1 } },
    monitoring: {
      retention: '15d',
      storageSize: p.prometheusStorage,
      ...(sso.grafana !== undefined ? { sso: sso.grafana } : {}),
      ...(alerting !== undefined ? { alerting } : {}),
    },
    logs: { storage: { type: 's3', bucket: c.value('logsBucket'), region, roleArn: role('loki') } },
    tracing: { replicas: 2 },
    tracingBackend: {
      storage:
        p.traceStorage === 'memory'
          ? { type: 'memory' }
          : { type: 'badger', size: p.traceStorage.badger, retention: '168h' },
    },
    verticalPodAutoscaler: {},
    clusterAutoscaler: { clusterName: c.value('eksClusterName'), region, roleArn: role('cluster-autoscaler') },
    metricsServer: {},
    telepresence: p.telepresence ? {} : false,
    rollouts: {},
    externalSecrets: {
      storeName: SECRET_STORE,
      backend: { provider: 'aws-secrets-manager', region, roleArn: role('external-secrets') },
    },
  };
}

/** The keys every EKS stack must set. */
const EKS_REQUIRES: EnvironmentDefinition['requires'] = [
  'kubeContext',
  'domain',
  'acmeEmail',
  'gitRepoUrl',
  'awsAccountId',
  'awsRegion',
  'eksClusterName',
  'backupBucket',
  'logsBucket',
];

/** An EKS environment: its add-on profile built from the stack config and the profile's choices. */
export function eksEnvironment(p: EksProfile): EnvironmentDefinition {
  return {
    name: p.name,
    ...(p.apps !== undefined ? { apps: p.apps } : {}),
    requires: EKS_REQUIRES,
    requiresToCreate: ['awsAccountId', 'awsRegion', 'vpcCidr', 'eksClusterName', 'backupBucket', 'logsBucket'],
    build: (c: ConfigValues, stack: string): Environment => {
      const account = c.value('awsAccountId');
      const region = c.value('awsRegion');
      const domain = c.value('domain');
      const role = (component: string): string => awsRole(account, p.name, component);
      const hostedZoneId = c.config.route53HostedZoneId;
      const dns = {
        provider: 'route53' as const,
        region,
        roleArn: role('dns'),
        ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
      };
      const sso = ssoOf(c, domain);
      const alerting = alertingOf(c);
      // the engine, stated once: the add-on profile installs it and the GitOps target applies through it
      const gitops: GitOpsProfile =
        sso.argoCd !== undefined && p.gitopsEngine === 'argo-cd'
          ? { engine: 'argo-cd', argoCd: { sso: sso.argoCd } }
          : { engine: p.gitopsEngine };
      return {
        name: p.name,
        stack,
        cluster: {
          provider: 'eks',
          kubeContext: c.value('kubeContext'),
          region,
          ...(c.config.kubeconfig ? { kubeconfig: c.config.kubeconfig } : {}),
        },
        domain,
        appVersion: APP_VERSION,
        demo: c.config.demo === 'true',
        web: p.web,
        workerReplicas: p.workerReplicas,
        labels: baseLabels(p.name),
        gitops: gitopsTarget(gitops.engine, c.config),
        prerequisites: eksPrerequisites(c.config.cluster),
        tlsIssuer: p.issuer,
        tenantSecretRolePrefix: role('secrets-'),
        addons: eksAddons(p, c, { domain, region, role, dns, gitops, sso, alerting }),
      };
    },
  };
}
