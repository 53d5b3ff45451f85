/**
 * Preflight's account of each cloud identity a rendering assumes: who it must trust (the exact
 * ServiceAccount subjects, or the roles that chain to it) and what it must allow (the actions and
 * resources of its least-privilege policy), so a team creating them by hand makes exactly those.
 */
import type { PreflightFinding } from '../platform/preflight';
import { type CloudIdentity, identityGrants, type IdentitySource, cloudIdentities } from './identities';
import type { PolicyContext } from './policies';
import { subjectOf } from './service-accounts';

/** The zone id as preflight shows it before it is known (the Pulumi program looks it up). */
export const UNKNOWN_ZONE = '<hosted zone of the domain>';

/** One finding per role: trust subjects, then each grant as `actions on resources`. */
export function identityFinding(
  identity: CloudIdentity,
  all: readonly CloudIdentity[],
  context: PolicyContext,
  created: boolean,
): PreflightFinding {
  const trust = [...identity.serviceAccounts.map(subjectOf), ...identity.assumedByRoles.map((r) => `role ${r}`)];
  const grants = identityGrants(identity, all, context).map(
    (g) => `${g.statement.Action.join(', ')} on ${g.statement.Resource.join(', ')}`,
  );
  const managed = identity.managedPolicyArns.map((m) => `managed policy ${m}`);
  const allows = [...grants, ...managed];
  const message = `IAM role ${identity.roleName}: trusted by ${trust.join(', ')}; allows ${allows.length > 0 ? allows.join('; ') : 'nothing'}`;
  return created
    ? { severity: 'met', message: `${message} (created by groundwork:cluster create)` }
    : { severity: 'assumed', message };
}

/** The findings of every role `rendering` assumes (none without roles). */
export function identityFindings(
  rendering: IdentitySource,
  context: Omit<PolicyContext, 'partition' | 'account'>,
  created: boolean,
): PreflightFinding[] {
  const identities = cloudIdentities(rendering);
  return identities.map((i) =>
    identityFinding(i, identities, { ...context, partition: i.partition, account: i.account }, created),
  );
}
