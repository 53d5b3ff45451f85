import * as path from 'path';
import { parseStackConfig, renderEnvironment } from '../../constructs';
import {
  cloudIdentities,
  identityGrants,
  permissionPolicy,
  subjectOf,
  trustPolicy,
  type PolicyContext,
} from '../../constructs/cloud';
import { definitionFor } from '../../environments';
import { projectRoot, readStackFile } from '../../stacks/stack-config';

/** The fixture prod stack, with the demo's tenants (their secret roles) unless told otherwise. */
function renderProd(demo = 'true') {
  const raw = { ...readStackFile(path.join(projectRoot(), 'Pulumi.prod.yaml')), 'groundwork:demo': demo };
  const config = parseStackConfig(raw, 'prod', 'Pulumi.prod.yaml');
  return renderEnvironment(definitionFor(config.environment), config, { stack: 'prod' });
}

/** Every role ARN anywhere in the rendering (values, companions, prerequisites, app objects), found independently of the derivation. */
function roleArnsIn(x: unknown): Set<string> {
  const text = JSON.stringify(x);
  return new Set(text.match(/arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+/g) ?? []);
}

const CONTEXT: PolicyContext = {
  partition: 'aws',
  account: '333333333333',
  region: 'eu-west-1',
  hostedZoneId: 'Z1D633PJN98FT9',
  clusterName: 'groundwork-prod',
};
const rendering = renderProd();
const identities = cloudIdentities(rendering);

describe('cloudIdentities: the IAM roles a rendering assumes, derived from it', () => {
  test('every role ARN in the rendering has exactly one identity, named as the ARN says', () => {
    const { declarations } = rendering.addons;
    const found = roleArnsIn([declarations.map((d) => [d.values, d.companions, d.prerequisites]), rendering.objects]);
    expect(found.size).toBe(8);
    expect(identities.map((i) => i.roleArn)).toEqual([...found].sort());
    for (const i of identities) expect(`arn:aws:iam::${i.account}:role/${i.roleName}`).toBe(i.roleArn);
  });

  test("each role trusts exactly the ServiceAccounts the charts run as (the charts' files at their pins), or the role it chains from", () => {
    const trust = Object.fromEntries(
      identities.map((i) => [i.roleName, [...i.serviceAccounts.map(subjectOf), ...i.assumedByRoles]]),
    );
    const es = 'arn:aws:iam::333333333333:role/groundwork-prod-external-secrets';
    expect(trust).toEqual({
      // cluster-autoscaler 9.59.0 _helpers.tpl: <release>-<cloudProvider>-<chart>
      'groundwork-prod-cluster-autoscaler': [
        'system:serviceaccount:kube-system:cluster-autoscaler-aws-cluster-autoscaler',
      ],
      // cert-manager's Route 53 solver token (ClusterIssuer serviceAccountRef) and external-dns 1.21.1's fullname
      'groundwork-prod-dns': [
        'system:serviceaccount:cert-manager:cert-manager-route53',
        'system:serviceaccount:external-dns:external-dns',
      ],
      'groundwork-prod-ebs-csi': ['system:serviceaccount:kube-system:ebs-csi-controller-sa'],
      'groundwork-prod-external-secrets': ['system:serviceaccount:external-secrets:external-secrets'],
      // loki 18.11.0 monolithic: loki.fullname
      'groundwork-prod-loki': ['system:serviceaccount:logging:loki'],
      // the tenants' stores: External Secrets assumes their role from its own (provider.aws.role)
      'groundwork-prod-secrets-analytics': [es],
      'groundwork-prod-secrets-shop': [es],
      // velero 12.1.0 velero.serverServiceAccount: <fullname>-server
      'groundwork-prod-velero': ['system:serviceaccount:velero:velero-server'],
    });
  });

  test('the trust policy admits the OIDC provider for exactly those subjects and the STS audience', () => {
    const dns = identities.find((i) => i.roleName === 'groundwork-prod-dns');
    const doc = trustPolicy(
      dns!,
      'arn:aws:iam::333333333333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X',
      'oidc.eks.eu-west-1.amazonaws.com/id/X',
    );
    expect(doc.Statement).toEqual([
      {
        Sid: 'ServiceAccounts',
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::333333333333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.eu-west-1.amazonaws.com/id/X:sub': [
              'system:serviceaccount:cert-manager:cert-manager-route53',
              'system:serviceaccount:external-dns:external-dns',
            ],
            'oidc.eks.eu-west-1.amazonaws.com/id/X:aud': 'sts.amazonaws.com',
          },
        },
      },
    ]);
  });

  test('no policy grants a * action, and a * resource only where AWS requires it (the reason names the AWS page)', () => {
    for (const i of identities) {
      for (const g of identityGrants(i, identities, CONTEXT)) {
        expect(g.statement.Action.filter((a) => a.includes('*'))).toEqual([]);
        if (g.statement.Resource.includes('*'))
          expect(g.awsRequires).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/service-authorization\//);
        else expect(g.awsRequires).toBeUndefined();
      }
    }
  });

  test('each component gets its own resources: the zone, its buckets, its tenant prefix, its tagged node groups', () => {
    const resources = (name: string) =>
      permissionPolicy(
        identities.find((i) => i.roleName === `groundwork-prod-${name}`)!,
        identities,
        CONTEXT,
      )?.Statement.flatMap((s) => s.Resource);
    expect(resources('dns')).toContain('arn:aws:route53:::hostedzone/Z1D633PJN98FT9');
    expect(resources('velero')).toEqual(
      expect.arrayContaining([
        'arn:aws:s3:::example-groundwork-prod-backups',
        'arn:aws:s3:::example-groundwork-prod-backups/*',
      ]),
    );
    expect(resources('velero')!.every((r) => r.includes('example-groundwork-prod-backups'))).toBe(true);
    expect(resources('loki')!.every((r) => r.includes('example-groundwork-prod-logs'))).toBe(true);
    expect(resources('secrets-analytics')).toEqual([
      'arn:aws:secretsmanager:eu-west-1:333333333333:secret:prod/analytics/*',
    ]);
    expect(resources('secrets-shop')).toContain('arn:aws:secretsmanager:eu-west-1:333333333333:secret:prod/shop/*');
    expect(resources('external-secrets')).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::333333333333:role/groundwork-prod-secrets-shop',
        'arn:aws:secretsmanager:eu-west-1:333333333333:secret:grafana-admin-??????',
      ]),
    );
    expect(resources('ebs-csi')).toBeUndefined();
    expect(identities.find((i) => i.roleName === 'groundwork-prod-ebs-csi')?.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    ]);
    const scale = permissionPolicy(
      identities.find((i) => i.roleName === 'groundwork-prod-cluster-autoscaler')!,
      identities,
      CONTEXT,
    )?.Statement.find((s) => s.Sid === 'ScaleOwnNodeGroups');
    expect(scale?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/groundwork-prod': 'owned' },
    });
  });

  test('without the demo there are no tenant roles; a role no rule knows the user of is refused, named', () => {
    expect(cloudIdentities(renderProd('false')).map((i) => i.roleName)).not.toContain('groundwork-prod-secrets-shop');
    const stray = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { role: 'arn:aws:iam::333333333333:role/stray' },
    };
    expect(() => cloudIdentities({ ...rendering, objects: [...rendering.objects, stray] })).toThrow(
      'arn:aws:iam::333333333333:role/stray: named in the rendering, but no rule knows which ServiceAccount assumes it',
    );
  });
});

describe('a KMS key on the backup location is usable by Velero’s role', () => {
  function veleroGrantsWith(key: string | undefined) {
    const raw = {
      ...readStackFile(path.join(projectRoot(), 'Pulumi.prod.yaml')),
      ...(key !== undefined ? { 'groundwork:backupKmsKeyId': key } : {}),
    };
    const config = parseStackConfig(raw, 'prod', 'Pulumi.prod.yaml');
    const all = cloudIdentities(renderEnvironment(definitionFor('prod'), config, { stack: 'prod' }));
    const velero = all.find((i) => i.roleName === 'groundwork-prod-velero');
    return identityGrants(velero as (typeof all)[number], all, CONTEXT).map((g) => g.statement);
  }

  test('without a key, no KMS permission', () => {
    expect(veleroGrantsWith(undefined).filter((s) => s.Action.some((a) => a.startsWith('kms:')))).toEqual([]);
  });

  test('a key ARN is the resource; an alias ARN is matched by kms:ResourceAliases on the account’s keys', () => {
    const key = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(veleroGrantsWith(key).find((s) => s.Sid === 'VeleroKms')).toEqual({
      Sid: 'VeleroKms',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [key],
    });
    expect(
      veleroGrantsWith('arn:aws:kms:eu-west-1:333333333333:alias/velero-backups').find(
        (s) => s.Sid === 'VeleroKmsAliases',
      ),
    ).toEqual({
      Sid: 'VeleroKmsAliases',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: ['arn:aws:kms:eu-west-1:333333333333:key/*'],
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/velero-backups'] } },
    });
  });
});
