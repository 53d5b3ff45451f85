/**
 * `groundwork:cluster: create` on EKS: the VPC, the cluster through `@pulumi/eks`, one managed
 * node group per availability zone sized from the environment, the cluster's IAM OIDC provider,
 * one role per identity of the rendering, and the platform's buckets. Its kubeconfig binds the
 * platform's Kubernetes provider.
 */
import * as aws from '@pulumi/aws';
import * as eks from '@pulumi/eks';
import * as pulumi from '@pulumi/pulumi';
import { cloudIdentities } from '../../cloud';
import type { StackConfig } from '../../platform/config';
import { deployableProblems, type EnvironmentRendering } from '../../platform/render';
import { GroundworkValidationError } from '../../internal/validator';
import { type BucketSpec, PlatformBuckets } from './buckets';
import { GroundworkVpc, ZONES } from './network';
import { WorkloadRoles } from './roles';

/** Instance types a node group picks from, smallest first: vCPUs and GiB of memory (docs.aws.amazon.com/ec2/latest/instancetypes/gp.html). */
export const NODE_TYPES: readonly { readonly type: string; readonly cpu: number; readonly memoryGiB: number }[] = [
  { type: 'm7i.large', cpu: 2, memoryGiB: 8 },
  { type: 'm7i.xlarge', cpu: 4, memoryGiB: 16 },
  { type: 'm7i.2xlarge', cpu: 8, memoryGiB: 32 },
  { type: 'm7i.4xlarge', cpu: 16, memoryGiB: 64 },
];

/** Node group sizing from the environment: its node count over the zones, and the smallest type on which the add-ons take at most half of each node. */
export function nodeSizing(rendering: EnvironmentRendering): {
  instanceType: string;
  perZone: { min: number; desired: number; max: number };
} {
  const nodes = Math.max(rendering.env.addons.nodes ?? ZONES, ZONES);
  const perNodeCpu = rendering.addons.footprint.cpuCores / nodes;
  const perNodeGiB = rendering.addons.footprint.memoryBytes / 2 ** 30 / nodes;
  const fit =
    NODE_TYPES.find((t) => perNodeCpu <= t.cpu / 2 && perNodeGiB <= t.memoryGiB / 2) ??
    NODE_TYPES[NODE_TYPES.length - 1];
  const desired = Math.ceil(nodes / ZONES);
  // Cluster Autoscaler grows each zone's group up to twice its size
  return { instanceType: fit.type, perZone: { min: desired, desired, max: desired * 2 } };
}

/** Inputs of {@link EksPlatformCloud}. */
export interface EksPlatformCloudArgs {
  readonly rendering: EnvironmentRendering;
  readonly config: StackConfig;
}

/** What `create` needs, checked again here for programs that build a config by hand. */
function required(
  config: StackConfig,
  rendering: EnvironmentRendering,
): { account: string; region: string; cidr: string; clusterName: string } {
  const problems: string[] = [];
  if (rendering.env.cluster.provider !== 'eks')
    problems.push(
      `groundwork:cluster create: environment ${rendering.env.name} runs on ${rendering.env.cluster.provider}; only EKS clusters are created (kind stays local)`,
    );
  const { awsAccountId: account, awsRegion: region, vpcCidr: cidr, eksClusterName: clusterName } = config;
  if (account === undefined || region === undefined || cidr === undefined || clusterName === undefined)
    problems.push('groundwork:cluster create needs groundwork:awsAccountId, awsRegion, vpcCidr and eksClusterName');
  if (problems.length > 0) throw new GroundworkValidationError(problems);
  return {
    account: account as string,
    region: region as string,
    cidr: cidr as string,
    clusterName: clusterName as string,
  };
}

/** The nodes' role, with the policies of docs.aws.amazon.com/eks/latest/userguide/create-node-role.html (the VPC CNI runs on it too). */
function nodeRoleOf(name: string, tags: Record<string, string>, parent: pulumi.CustomResourceOptions): aws.iam.Role {
  const nodeRole = new aws.iam.Role(
    `${name}-nodes`,
    { assumeRolePolicy: JSON.stringify(aws.iam.assumeRolePolicyForPrincipal({ Service: 'ec2.amazonaws.com' })), tags },
    parent,
  );
  for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']) {
    new aws.iam.RolePolicyAttachment(
      `${name}-nodes-${policy}`,
      { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
      parent,
    );
  }
  return nodeRole;
}

/** One managed node group per zone's private subnet, sized by {@link nodeSizing}. */
function nodeGroups(
  name: string,
  cluster: eks.Cluster,
  nodeRole: aws.iam.Role,
  subnets: readonly pulumi.Input<string>[],
  sizing: ReturnType<typeof nodeSizing>,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.CustomResourceOptions,
): void {
  subnets.forEach((subnet, i) => {
    const scalingConfig = {
      minSize: sizing.perZone.min,
      desiredSize: sizing.perZone.desired,
      maxSize: sizing.perZone.max,
    };
    new eks.ManagedNodeGroup(
      `${name}-zone-${i}`,
      { cluster, nodeRole, subnetIds: [subnet], instanceTypes: [sizing.instanceType], scalingConfig, tags },
      parent,
    );
  });
}

/** The buckets the stack config names: Velero's (with its KMS key when set) and Loki's. */
function bucketsOf(config: StackConfig): BucketSpec[] {
  const kms = config.backupKmsKeyId !== undefined ? { kmsKeyId: config.backupKmsKeyId } : {};
  return [
    ...(config.backupBucket !== undefined ? [{ name: config.backupBucket, kind: 'backups' as const, ...kms }] : []),
    ...(config.logsBucket !== undefined ? [{ name: config.logsBucket, kind: 'logs' as const }] : []),
  ];
}

/** The EKS cluster and everything around it the platform assumes. */
export class EksPlatformCloud extends pulumi.ComponentResource {
  /** The cluster's kubeconfig (JSON), for the platform's Kubernetes provider. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly cluster: eks.Cluster;
  public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  public readonly roles: WorkloadRoles;

  constructor(name: string, args: EksPlatformCloudArgs, opts?: pulumi.ComponentResourceOptions) {
    const { rendering, config } = args;
    // nothing is created for a rendering the platform would refuse (GroundworkPlatform's checks, run first)
    const problems = deployableProblems(rendering);
    if (problems.length > 0) throw new GroundworkValidationError(problems);
    const { account, region, cidr, clusterName } = required(config, rendering);
    const identities = cloudIdentities(rendering);
    super('groundwork:cloud:EksCluster', name, {}, opts);
    const parent = { parent: this };
    const tags = { 'groundwork.io/environment': rendering.env.name, 'groundwork.io/stack': rendering.env.stack };
    const vpc = new GroundworkVpc(`${name}-vpc`, { cidr, clusterName, tags }, parent);
    const nodeRole = nodeRoleOf(name, tags, parent);
    this.cluster = new eks.Cluster(
      name,
      {
        name: clusterName,
        vpcId: vpc.vpcId,
        publicSubnetIds: vpc.publicSubnetIds,
        privateSubnetIds: vpc.privateSubnetIds,
        nodeAssociatePublicIpAddress: false,
        skipDefaultNodeGroup: true,
        authenticationMode: eks.AuthenticationMode.Api,
        instanceRoles: [nodeRole],
        // the OIDC provider is made below, visible in the stack; NetworkPolicies are enforced (the cni-network-policy prerequisite)
        createOidcProvider: false,
        vpcCniOptions: { enableNetworkPolicy: true },
        tags,
      },
      parent,
    );
    nodeGroups(name, this.cluster, nodeRole, vpc.privateSubnetIds, nodeSizing(rendering), tags, parent);
    const issuer = this.cluster.oidcIssuer;
    this.oidcProvider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: pulumi.interpolate`https://${issuer}`, clientIdLists: ['sts.amazonaws.com'], tags },
      parent,
    );
    const zoneName = config.dnsZone ?? config.domain ?? '';
    const hostedZoneId =
      config.route53HostedZoneId ?? aws.route53.getZoneOutput({ name: zoneName, privateZone: false }, parent).zoneId;
    this.roles = new WorkloadRoles(
      `${name}-roles`,
      {
        identities,
        oidcProviderArn: this.oidcProvider.arn,
        oidcIssuer: issuer,
        context: { partition: identities[0]?.partition ?? 'aws', account, region, clusterName },
        hostedZoneId,
        tags,
      },
      parent,
    );
    new PlatformBuckets(`${name}-buckets`, { buckets: bucketsOf(config), tags }, parent);
    this.kubeconfig = this.cluster.kubeconfigJson;
    this.registerOutputs({ kubeconfig: pulumi.secret(this.kubeconfig), roles: identities.map((i) => i.roleArn) });
  }
}
