/**
 * The least-privilege IAM statements of each kind of use a rendering makes of an AWS role. Pure.
 * A statement whose action or resource is `*` says why AWS requires it (`awsRequires`: the
 * service's page of the Service Authorization Reference, where the action lists no resource type).
 */

/** One IAM policy statement (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html). */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A statement, and for one granting `*` the AWS documentation that requires it. */
export interface Grant {
  readonly statement: PolicyStatement;
  readonly awsRequires?: string;
}

/** What the policies need beyond the rendering: the partition, account and region, and the hosted zone once known. */
export interface PolicyContext {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** Route 53 hosted zone id of the DNS zone (config, or looked up by the Pulumi program). */
  readonly hostedZoneId: string;
  /** EKS cluster name (Cluster Autoscaler's node groups). */
  readonly clusterName: string;
}

const ROUTE53_ACTIONS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html';

/**
 * External-DNS on the one zone (kubernetes-sigs/external-dns docs/tutorials/aws.md, "IAM Policy"):
 * it changes and lists the zone's records and reads its tags; it finds the zone by listing zones.
 */
export function externalDnsGrants(c: PolicyContext): Grant[] {
  const zone = `arn:${c.partition}:route53:::hostedzone/${c.hostedZoneId}`;
  return [
    {
      statement: {
        Sid: 'ExternalDnsRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: [zone],
      },
    },
    {
      statement: { Sid: 'ExternalDnsListZones', Effect: 'Allow', Action: ['route53:ListHostedZones'], Resource: ['*'] },
      awsRequires: `${ROUTE53_ACTIONS}: ListHostedZones has no resource type (resource-level permissions unsupported)`,
    },
  ];
}

/**
 * cert-manager's DNS-01 solver on the one zone (cert-manager.io/docs/configuration/acme/dns01/route53/,
 * "Set up an IAM Policy"): it writes the challenge record, polls the change, and looks the zone up
 * by name only when the issuer names no hostedZoneID.
 */
export function acmeDnsGrants(c: PolicyContext, zoneIdInIssuer: boolean): Grant[] {
  const zone = `arn:${c.partition}:route53:::hostedzone/${c.hostedZoneId}`;
  const grants: Grant[] = [
    {
      statement: {
        Sid: 'AcmeChallengeRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        Resource: [zone],
      },
    },
    // change ids are made by Route 53 per request: the ARN pattern is the narrowest there is
    {
      statement: {
        Sid: 'AcmeChallengeChanges',
        Effect: 'Allow',
        Action: ['route53:GetChange'],
        Resource: [`arn:${c.partition}:route53:::change/*`],
      },
    },
  ];
  if (!zoneIdInIssuer) {
    grants.push({
      statement: { Sid: 'AcmeFindZone', Effect: 'Allow', Action: ['route53:ListHostedZonesByName'], Resource: ['*'] },
      awsRequires: `${ROUTE53_ACTIONS}: ListHostedZonesByName has no resource type (resource-level permissions unsupported)`,
    });
  }
  return grants;
}

/**
 * Velero's object storage (vmware-tanzu/velero-plugin-for-aws README, "Set permissions for
 * Velero"): the backups in its bucket. No EC2 rights: the rendering configures no
 * VolumeSnapshotLocation (`configuration.volumeSnapshotLocation: []`), so the plugin takes no EBS snapshots.
 */
export function veleroGrants(c: PolicyContext, buckets: readonly string[]): Grant[] {
  return [
    {
      statement: {
        Sid: 'VeleroObjects',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:DeleteObject',
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        Resource: buckets.map((b) => `arn:${c.partition}:s3:::${b}/*`),
      },
    },
    {
      statement: {
        Sid: 'VeleroBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: buckets.map((b) => `arn:${c.partition}:s3:::${b}`),
      },
    },
  ];
}

/**
 * Encrypting and decrypting with the KMS keys a backup location names (velero-plugin-for-aws
 * v1.13.1 object_store.go: SSE-KMS on every object it writes needs kms:GenerateDataKey to write and
 * kms:Decrypt to read; docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). A
 * key id or key ARN is the resource; an alias is matched by kms:ResourceAliases on the account's
 * keys (an alias ARN is not a resource key permissions apply to: docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html).
 */
export function kmsGrants(c: PolicyContext, sid: string, keys: readonly string[]): Grant[] {
  const actions = ['kms:GenerateDataKey', 'kms:Decrypt'];
  const keyArn = (k: string): string =>
    k.startsWith('arn:') ? k : `arn:${c.partition}:kms:${c.region}:${c.account}:key/${k}`;
  const aliasOf = (k: string): string | undefined =>
    k.startsWith('alias/') ? k : /:alias\/(.+)$/.exec(k)?.[0]?.slice(1);
  const aliases = keys.map(aliasOf).filter((a): a is string => a !== undefined);
  const direct = keys.filter((k) => aliasOf(k) === undefined).map(keyArn);
  const grants: Grant[] = [];
  if (direct.length > 0) grants.push({ statement: { Sid: sid, Effect: 'Allow', Action: actions, Resource: direct } });
  if (aliases.length > 0) {
    grants.push({
      statement: {
        Sid: `${sid}Aliases`,
        Effect: 'Allow',
        Action: actions,
        Resource: [`arn:${c.partition}:kms:${c.region}:${c.account}:key/*`],
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliases } },
      },
    });
  }
  return grants;
}

/** Loki's chunks, index and ruler objects in its buckets (grafana/loki docs/sources/configure/storage.md, AWS S3 policy). */
export function lokiGrants(c: PolicyContext, buckets: readonly string[]): Grant[] {
  return [
    {
      statement: {
        Sid: 'LokiObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: buckets.map((b) => `arn:${c.partition}:s3:::${b}/*`),
      },
    },
    {
      statement: {
        Sid: 'LokiBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: buckets.map((b) => `arn:${c.partition}:s3:::${b}`),
      },
    },
  ];
}

/**
 * Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md,
 * "Minimal IAM Permissions Policy"): it resizes only Auto Scaling groups tagged as this cluster's
 * (EKS managed node groups carry the tags), and describes the groups, instance types and node groups.
 */
export function clusterAutoscalerGrants(c: PolicyContext): Grant[] {
  return [
    {
      statement: {
        Sid: 'ScaleOwnNodeGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: [`arn:${c.partition}:autoscaling:${c.region}:${c.account}:autoScalingGroup:*:autoScalingGroupName/*`],
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${c.clusterName}`]: 'owned' } },
      },
    },
    {
      statement: {
        Sid: 'DescribeNodeGroups',
        Effect: 'Allow',
        Action: ['eks:DescribeNodegroup'],
        Resource: [`arn:${c.partition}:eks:${c.region}:${c.account}:nodegroup/${c.clusterName}/*/*`],
      },
    },
    {
      statement: {
        Sid: 'DescribeScaling',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: ['*'],
      },
      awsRequires:
        'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html and list_amazonec2.html: these Describe/Get actions have no resource type',
    },
  ];
}

/** The Secrets Manager ARN of a secret by name: AWS appends `-` and six random characters (docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html). */
export function secretArn(c: PolicyContext, name: string): string {
  return `arn:${c.partition}:secretsmanager:${c.region}:${c.account}:secret:${name}-??????`;
}

/**
 * External Secrets reading from Secrets Manager (external-secrets.io docs provider/aws-secrets-manager.md,
 * "IAM Policy"): the named secrets, and the secrets under `prefixes` (`<prefix>*`).
 */
export function secretsReadGrants(
  c: PolicyContext,
  sid: string,
  keys: readonly string[],
  prefixes: readonly string[],
): Grant[] {
  const resources = [
    ...keys.map((k) => secretArn(c, k)),
    ...prefixes.map((p) => `arn:${c.partition}:secretsmanager:${c.region}:${c.account}:secret:${p}*`),
  ];
  if (resources.length === 0) return [];
  return [
    {
      statement: {
        Sid: sid,
        Effect: 'Allow',
        Action: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetResourcePolicy',
          'secretsmanager:ListSecretVersionIds',
        ],
        Resource: resources,
      },
    },
  ];
}

/** Assuming the roles of the tenants' stores (External Secrets' `provider.aws.role`: role chaining from its own). */
export function assumeRolesGrants(roles: readonly string[]): Grant[] {
  return roles.length === 0
    ? []
    : [
        {
          statement: {
            Sid: 'AssumeTenantSecretRoles',
            Effect: 'Allow',
            Action: ['sts:AssumeRole'],
            Resource: [...roles],
          },
        },
      ];
}

/** The AWS managed policy of the EBS CSI driver (docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html, "Step 1: Create an IAM role"). */
export function ebsCsiManagedPolicy(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`;
}
