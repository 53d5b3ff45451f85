/**
 * One IAM role per identity the rendering assumes (`cloudIdentities`), named as its ARN says, with
 * the trust policy admitting exactly its ServiceAccounts through the cluster's OIDC provider (or
 * the role it chains from), its inline least-privilege policy and its managed policies.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type CloudIdentity, permissionPolicy, type PolicyContext, trustPolicy } from '../../cloud';

/** Inputs of {@link WorkloadRoles}. */
export interface WorkloadRolesArgs {
  readonly identities: readonly CloudIdentity[];
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The issuer URL without `https://`. */
  readonly oidcIssuer: pulumi.Input<string>;
  /** Everything but the hosted zone, which may be looked up. */
  readonly context: Omit<PolicyContext, 'hostedZoneId'>;
  readonly hostedZoneId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** The roles, by ARN. */
export class WorkloadRoles extends pulumi.ComponentResource {
  public readonly roles: ReadonlyMap<string, aws.iam.Role>;

  constructor(name: string, args: WorkloadRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('groundwork:cloud:WorkloadRoles', name, {}, opts);
    const roles = new Map<string, aws.iam.Role>();
    for (const identity of args.identities) {
      const assumeRolePolicy = pulumi
        .all([args.oidcProviderArn, args.oidcIssuer])
        .apply(([arn, issuer]) => JSON.stringify(trustPolicy(identity, arn, issuer)));
      const role = new aws.iam.Role(
        identity.roleName,
        { name: identity.roleName, assumeRolePolicy, tags: args.tags },
        { parent: this },
      );
      roles.set(identity.roleArn, role);
      const policy = pulumi
        .output(args.hostedZoneId)
        .apply((hostedZoneId) => permissionPolicy(identity, args.identities, { ...args.context, hostedZoneId }));
      // a role needing no inline policy (the EBS CSI driver's: the managed policy) gets none; the zone id never decides that
      if (permissionPolicy(identity, args.identities, { ...args.context, hostedZoneId: 'Z' }) !== undefined) {
        new aws.iam.RolePolicy(
          identity.roleName,
          { role: role.name, policy: policy.apply((p) => JSON.stringify(p)) },
          { parent: this },
        );
      }
      for (const arn of identity.managedPolicyArns) {
        new aws.iam.RolePolicyAttachment(
          `${identity.roleName}-${arn.split('/').pop()}`,
          { role: role.name, policyArn: arn },
          { parent: this },
        );
      }
    }
    this.roles = roles;
    this.registerOutputs({ roles: [...roles.keys()] });
  }
}
