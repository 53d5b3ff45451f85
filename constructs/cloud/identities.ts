/**
 * The cloud identities a rendering assumes, derived from the rendering itself: every IAM role ARN
 * in the add-ons' values, companions and the apps' objects, the exact ServiceAccounts that assume
 * it (as the charts at their pins name them), and the least-privilege policy of what they do with
 * it. Pure: the Pulumi program creates the roles from this, the tests check it.
 */
import type { AddonDeclaration } from '../addons/addon';
import { GroundworkValidationError } from '../internal/validator';
import { TENANT_LABEL } from '../internal/labels';
import type { ManifestObject } from '../policy/check-manifests';
import { secretStoreEntries } from '../platform/secret-store-entries';
import * as p from './policies';
import {
  CHART_SERVICE_ACCOUNTS,
  objectAt,
  ROLE_ANNOTATION,
  type ServiceAccountRef,
  subjectOf,
} from './service-accounts';

/** What a rendering does with a role: one use, by one ServiceAccount (directly, or through the role it chains from). */
export type RoleUse =
  | {
      readonly kind: 'external-dns' | 'cluster-autoscaler' | 'ebs-csi' | 'external-secrets';
      readonly by: ServiceAccountRef;
      readonly source: string;
    }
  | {
      readonly kind: 'acme-dns';
      readonly by: ServiceAccountRef;
      readonly zoneIdInIssuer: boolean;
      readonly source: string;
    }
  | {
      readonly kind: 'loki';
      readonly by: ServiceAccountRef;
      readonly buckets: readonly string[];
      readonly source: string;
    }
  | {
      readonly kind: 'velero';
      readonly by: ServiceAccountRef;
      readonly buckets: readonly string[];
      /** KMS keys its BackupStorageLocations encrypt with (`config.kmsKeyId`: id, alias or ARN). */
      readonly kmsKeys: readonly string[];
      readonly source: string;
    }
  | {
      readonly kind: 'secrets';
      readonly by: ServiceAccountRef;
      /** The role it is assumed from (External Secrets' `provider.aws.role`), if not by the ServiceAccount's token itself. */
      readonly chainedFrom?: string;
      readonly keys: readonly string[];
      readonly prefixes: readonly string[];
      readonly source: string;
    };

/** One IAM role of the rendering. */
export interface CloudIdentity {
  readonly roleArn: string;
  readonly roleName: string;
  readonly partition: string;
  readonly account: string;
  /** ServiceAccounts whose tokens assume the role (IRSA), sorted: the trust policy's subjects. */
  readonly serviceAccounts: readonly ServiceAccountRef[];
  /** Roles that assume it (role chaining), sorted. */
  readonly assumedByRoles: readonly string[];
  readonly uses: readonly RoleUse[];
  /** AWS managed policies attached. */
  readonly managedPolicyArns: readonly string[];
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/([\w+=,.@/-]+)$/;

function collectRoleArns(x: unknown, into: Set<string>): void {
  if (typeof x === 'string') {
    if (ROLE_ARN.test(x)) into.add(x);
  } else if (Array.isArray(x)) x.forEach((v) => collectRoleArns(v, into));
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach((v) => collectRoleArns(v, into));
}

/** What a rendering holds that names roles: its add-on declarations and every object. */
export interface IdentitySource {
  readonly env: { readonly name: string };
  readonly addons: { readonly declarations: readonly AddonDeclaration[] };
  readonly objects: readonly ManifestObject[];
}

type Uses = Map<string, RoleUse[]>;

function add(uses: Uses, role: string, use: RoleUse): void {
  uses.set(role, [...(uses.get(role) ?? []), use]);
}

/** The uses of the roles the charts' ServiceAccounts carry; returns each such ServiceAccount's role. */
function chartUses(declarations: readonly AddonDeclaration[], uses: Uses): Map<string, string> {
  const roleOf = new Map<string, string>();
  for (const d of declarations) {
    const rule = CHART_SERVICE_ACCOUNTS[d.chart.chart];
    const sa = rule === undefined ? undefined : objectAt(d.values, rule.path);
    const arn = (sa?.annotations as Record<string, unknown> | undefined)?.[ROLE_ANNOTATION];
    if (rule === undefined || typeof arn !== 'string') continue;
    const by = {
      namespace: d.namespace,
      name: typeof sa?.name === 'string' ? sa.name : rule.defaultName(d.releaseName),
    };
    roleOf.set(subjectOf(by), arn);
    const source = `${d.id} values ${rule.path.join('.')}.annotations (${rule.source})`;
    const chart = d.chart.chart;
    if (chart === 'velero') {
      const locations = d.companions
        .filter((o) => o.kind === 'BackupStorageLocation')
        .map((o) => o.spec as { objectStorage?: { bucket?: string }; config?: { kmsKeyId?: string } } | undefined);
      const buckets = locations.map((l) => l?.objectStorage?.bucket ?? '');
      const kmsKeys = locations.map((l) => l?.config?.kmsKeyId ?? '');
      const unique = (xs: string[]): string[] => [...new Set(xs)].filter(Boolean).sort();
      add(uses, arn, { kind: 'velero', by, buckets: unique(buckets), kmsKeys: unique(kmsKeys), source });
    } else if (chart === 'loki') {
      const names = objectAt(d.values, ['loki', 'storage', 'bucketNames']) ?? {};
      add(uses, arn, { kind: 'loki', by, buckets: [...new Set(Object.values(names).map(String))].sort(), source });
    } else {
      const kind =
        (
          {
            'external-dns': 'external-dns',
            'cluster-autoscaler': 'cluster-autoscaler',
            'aws-ebs-csi-driver': 'ebs-csi',
          } as const
        )[chart] ?? 'external-secrets';
      add(uses, arn, { kind, by, source });
    }
  }
  return roleOf;
}

/** cert-manager issuers solving DNS-01 on Route 53 with a role: the ServiceAccount whose token assumes it. */
function issuerUses(declarations: readonly AddonDeclaration[], objects: readonly ManifestObject[], uses: Uses): void {
  const certManager = declarations.find((d) => d.id === 'cert-manager');
  // ClusterIssuers resolve references in the cluster resource namespace, the release namespace by default
  // (cert-manager v1.19.6 values.yaml clusterResourceNamespace)
  const clusterNs =
    (certManager?.values.clusterResourceNamespace as string | undefined) ?? certManager?.namespace ?? 'cert-manager';
  for (const o of objects) {
    if (o.kind !== 'ClusterIssuer' && o.kind !== 'Issuer') continue;
    type Route53 = {
      role?: string;
      hostedZoneID?: string;
      auth?: { kubernetes?: { serviceAccountRef?: { name?: string } } };
    };
    const solvers =
      (o.spec as { acme?: { solvers?: { dns01?: { route53?: Route53 } }[] } } | undefined)?.acme?.solvers ?? [];
    for (const s of solvers) {
      const r = s.dns01?.route53;
      const name = r?.auth?.kubernetes?.serviceAccountRef?.name;
      if (r?.role === undefined || name === undefined) continue;
      const by = { namespace: o.kind === 'Issuer' ? (o.metadata?.namespace ?? 'default') : clusterNs, name };
      const source = `${o.kind} ${o.metadata?.name} spec.acme.solvers[].dns01.route53 (cert-manager v1.19.6 Route53Auth serviceAccountRef)`;
      add(uses, r.role, { kind: 'acme-dns', by, zoneIdInIssuer: r.hostedZoneID !== undefined, source });
    }
  }
}

/** Secret stores on Secrets Manager: the keys their ExternalSecrets read, through the operator's role or a chained one. */
function storeUses(
  envName: string,
  objects: readonly ManifestObject[],
  roleOf: Map<string, string>,
  uses: Uses,
  problems: string[],
): void {
  const entries = new Map(secretStoreEntries(objects).map((e) => [e.store, [...e.keys.keys()]]));
  for (const o of objects) {
    if (o.kind !== 'ClusterSecretStore' && o.kind !== 'SecretStore') continue;
    type Aws = {
      service?: string;
      role?: string;
      auth?: { jwt?: { serviceAccountRef?: { name?: string; namespace?: string } } };
    };
    const aws = (o.spec as { provider?: { aws?: Aws } } | undefined)?.provider?.aws;
    if (aws === undefined) continue;
    const store = `${o.kind} ${o.metadata?.name ?? '?'}`;
    const ref = aws.auth?.jwt?.serviceAccountRef;
    const by = { namespace: ref?.namespace ?? o.metadata?.namespace ?? '', name: ref?.name ?? '' };
    const saRole = roleOf.get(subjectOf(by));
    if (ref === undefined || saRole === undefined) {
      problems.push(`${store}: authenticates as ${subjectOf(by)}, which carries no IAM role in the rendering`);
      continue;
    }
    const tenant = o.metadata?.labels?.[TENANT_LABEL];
    const keys = entries.get(o.metadata?.name ?? '') ?? [];
    // external-secrets.io docs provider/aws-access.md: with `role` set, the credentials from `auth` assume it (role chaining)
    const source = `${store} spec.provider.aws${aws.role !== undefined ? '.role' : '.auth.jwt'} (external-secrets.io provider/aws-access.md)`;
    const prefixes = tenant !== undefined ? [`${envName}/${tenant}/`] : [];
    if (aws.role !== undefined)
      add(uses, aws.role, { kind: 'secrets', by, chainedFrom: saRole, keys, prefixes, source });
    else add(uses, saRole, { kind: 'secrets', by, keys, prefixes, source });
  }
}

function sortedUnique<T>(items: readonly T[], key: (t: T) => string): T[] {
  const m = new Map(items.map((i) => [key(i), i]));
  return [...m.keys()].sort().map((k) => m.get(k) as T);
}

/**
 * Every IAM role the rendering assumes, sorted by ARN, each with the ServiceAccounts (and roles)
 * that assume it and what they do with it. Throws, naming them, on a role ARN no rule knows the
 * user of (its trust policy could not be derived) and on a store authenticating as a ServiceAccount without a role.
 */
export function cloudIdentities(r: IdentitySource): CloudIdentity[] {
  const { declarations } = r.addons;
  const objects = [...r.objects, ...declarations.flatMap((d) => [...d.prerequisites, ...d.companions])];
  const uses: Uses = new Map();
  const problems: string[] = [];
  const roleOf = chartUses(declarations, uses);
  issuerUses(declarations, objects, uses);
  storeUses(r.env.name, objects, roleOf, uses, problems);
  const found = new Set<string>();
  collectRoleArns([declarations.map((d) => d.values), objects], found);
  for (const arn of [...found].sort())
    if (!uses.has(arn))
      problems.push(`${arn}: named in the rendering, but no rule knows which ServiceAccount assumes it`);
  if (problems.length > 0) throw new GroundworkValidationError(problems);
  return [...uses.keys()].sort().map((roleArn) => {
    const [, partition, account, roleName] = ROLE_ARN.exec(roleArn) ?? ['', 'aws', '', roleArn];
    const list = uses.get(roleArn) ?? [];
    const chained = list.flatMap((u) => (u.kind === 'secrets' && u.chainedFrom !== undefined ? [u.chainedFrom] : []));
    const direct = list.filter((u) => !(u.kind === 'secrets' && u.chainedFrom !== undefined)).map((u) => u.by);
    return {
      roleArn,
      roleName,
      partition,
      account,
      serviceAccounts: sortedUnique(direct, subjectOf),
      assumedByRoles: [...new Set(chained)].sort(),
      uses: list,
      managedPolicyArns: list.some((u) => u.kind === 'ebs-csi') ? [p.ebsCsiManagedPolicy(partition)] : [],
    };
  });
}

/** The grants of `identity`'s inline policy; `identities` are all of the rendering's (for the roles it chains to). */
export function identityGrants(
  identity: CloudIdentity,
  identities: readonly CloudIdentity[],
  c: p.PolicyContext,
): p.Grant[] {
  const grants: p.Grant[] = [];
  for (const u of identity.uses) {
    if (u.kind === 'external-dns') grants.push(...p.externalDnsGrants(c));
    else if (u.kind === 'acme-dns') grants.push(...p.acmeDnsGrants(c, u.zoneIdInIssuer));
    else if (u.kind === 'velero')
      grants.push(...p.veleroGrants(c, u.buckets), ...p.kmsGrants(c, 'VeleroKms', u.kmsKeys));
    else if (u.kind === 'loki') grants.push(...p.lokiGrants(c, u.buckets));
    else if (u.kind === 'cluster-autoscaler') grants.push(...p.clusterAutoscalerGrants(c));
    else if (u.kind === 'secrets')
      grants.push(...p.secretsReadGrants(c, `ReadSecrets${grants.length}`, u.keys, u.prefixes));
  }
  grants.push(
    ...p.assumeRolesGrants(identities.filter((i) => i.assumedByRoles.includes(identity.roleArn)).map((i) => i.roleArn)),
  );
  return sortedUnique(grants, (g) => JSON.stringify(g.statement));
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly p.PolicyStatement[];
}

/** The inline permissions policy of `identity`, or undefined when it needs none (a managed policy alone, or nothing read yet). */
export function permissionPolicy(
  identity: CloudIdentity,
  identities: readonly CloudIdentity[],
  c: p.PolicyContext,
): PolicyDocument | undefined {
  const grants = identityGrants(identity, identities, c);
  return grants.length === 0 ? undefined : { Version: '2012-10-17', Statement: grants.map((g) => g.statement) };
}

/**
 * The trust policy of `identity` (docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html):
 * the cluster's OIDC provider for exactly its ServiceAccounts (`sub`) and the STS audience (`aud`),
 * and the roles chaining to it. `oidcIssuer` is the issuer URL without `https://`.
 */
export function trustPolicy(
  identity: CloudIdentity,
  oidcProviderArn: string,
  oidcIssuer: string,
): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [];
  if (identity.serviceAccounts.length > 0) {
    statements.push({
      Sid: 'ServiceAccounts',
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${oidcIssuer}:sub`]: identity.serviceAccounts.map(subjectOf),
          [`${oidcIssuer}:aud`]: 'sts.amazonaws.com',
        },
      },
    });
  }
  if (identity.assumedByRoles.length > 0) {
    statements.push({
      Sid: 'ChainedFrom',
      Effect: 'Allow',
      Principal: { AWS: [...identity.assumedByRoles] },
      Action: 'sts:AssumeRole',
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
