/** The cloud side of a rendering: the identities it assumes and their policies (pure; the Pulumi program creates them). */
export { cloudIdentities, identityGrants, permissionPolicy, trustPolicy } from './identities';
export type { CloudIdentity, IdentitySource, PolicyDocument, RoleUse } from './identities';
export type { Grant, PolicyContext, PolicyStatement } from './policies';
export { CHART_SERVICE_ACCOUNTS, ROLE_ANNOTATION, subjectOf } from './service-accounts';
export type { ChartServiceAccount, ServiceAccountRef } from './service-accounts';
export { identityFinding, identityFindings, UNKNOWN_ZONE } from './identity-findings';
