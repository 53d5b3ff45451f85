/**
 * The VPC a created EKS cluster runs in: three public subnets (the load balancers) and three
 * private ones (the nodes), one per availability zone, and one NAT gateway for the nodes' egress.
 * Subnet tags follow docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
 * (`kubernetes.io/role/elb`, `kubernetes.io/role/internal-elb`).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** Number of availability zones (and subnets of each kind): the EKS minimum is two; three keeps a zone's loss tolerable. */
export const ZONES = 3;

/** Subnet `index` (0..7) of `/(bits+3)` inside `cidr` (`/bits`): the VPC split in eight, six used. */
export function subnetCidr(cidr: string, index: number): string {
  const [address, bits] = cidr.split('/');
  const base = address.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - (Number(bits) + 3));
  const start = base + index * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${Number(bits) + 3}`;
}

/** Inputs of {@link GroundworkVpc}. */
export interface GroundworkVpcArgs {
  readonly cidr: string;
  readonly clusterName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The VPC, its subnets, gateways and routes. */
export class GroundworkVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];

  constructor(name: string, args: GroundworkVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('groundwork:cloud:Vpc', name, {}, opts);
    const parent = { parent: this };
    const tags = (extra: Record<string, string>, n: string) => ({ ...args.tags, Name: n, ...extra });
    const vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags({}, name) },
      parent,
    );
    const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, parent).names;
    const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: tags({}, name) }, parent);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: tags({}, `${name}-public`) },
      parent,
    );
    const owned = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    const subnet = (kind: 'public' | 'private', i: number) =>
      new aws.ec2.Subnet(
        `${name}-${kind}-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: subnetCidr(args.cidr, kind === 'public' ? i : ZONES + i),
          availabilityZone: zones.apply((z) => z[i % z.length]),
          mapPublicIpOnLaunch: false,
          tags: tags(
            { ...owned, [kind === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1' },
            `${name}-${kind}-${i}`,
          ),
        },
        parent,
      );
    const publics = Array.from({ length: ZONES }, (_, i) => subnet('public', i));
    const privates = Array.from({ length: ZONES }, (_, i) => subnet('private', i));
    publics.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i}`,
          { subnetId: s.id, routeTableId: publicRoutes.id },
          parent,
        ),
    );
    const eip = new aws.ec2.Eip(`${name}-nat`, { domain: 'vpc', tags: tags({}, `${name}-nat`) }, parent);
    const nat = new aws.ec2.NatGateway(
      `${name}-nat`,
      { allocationId: eip.id, subnetId: publics[0].id, tags: tags({}, `${name}-nat`) },
      { parent: this, dependsOn: [igw] },
    );
    const privateRoutes = new aws.ec2.RouteTable(
      `${name}-private`,
      { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }], tags: tags({}, `${name}-private`) },
      parent,
    );
    privates.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-private-${i}`,
          { subnetId: s.id, routeTableId: privateRoutes.id },
          parent,
        ),
    );
    this.vpcId = vpc.id;
    this.publicSubnetIds = publics.map((s) => s.id);
    this.privateSubnetIds = privates.map((s) => s.id);
    this.registerOutputs({ vpcId: this.vpcId });
  }
}
