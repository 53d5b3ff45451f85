import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cloudIdentities, subjectOf } from '../../constructs/cloud';
import { formatPreview, previewRun, previewStack, providerOf, type PreviewResource } from '../../stacks/preview';
import { KIND_CREATE_COMMAND } from '../../stacks/program';
import { renderStack } from '../../stacks/render-stack';

// a prod stack with its own values (the fixture's examples would be refused) and the demo's tenants, created or existing
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'project');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-preview-'));
const ownValues = fs
  .readFileSync(path.join(FIXTURE, 'Pulumi.prod.yaml'), 'utf8')
  .replace(/platform@example\.com/, 'platform@acme.io')
  .replace(/example\.com/g, 'shop.acme.io')
  .replace('example-org', 'acme')
  .replace('"333333333333"', '"210987654321"')
  .replace(/example-groundwork/g, 'acme-groundwork');
fs.copyFileSync(path.join(FIXTURE, 'Pulumi.yaml'), path.join(root, 'Pulumi.yaml'));
fs.writeFileSync(
  path.join(root, 'Pulumi.prod.yaml'),
  `${ownValues}  groundwork:demo: "true"\n  groundwork:cluster: create\n  groundwork:vpcCidr: 10.20.0.0/16\n`,
);
fs.writeFileSync(path.join(root, 'Pulumi.prodexisting.yaml'), `${ownValues}  groundwork:demo: "true"\n`);
// the e2e run's shape: a control plane without nodes, no cloud account behind it
fs.writeFileSync(path.join(root, 'Pulumi.prodnoaws.yaml'), `${ownValues}  groundwork:skipAwait: "true"\n`);
// kind with create: without the AWS keys create demands, and with them
const kindValues = fs.readFileSync(path.join(FIXTURE, 'Pulumi.kind.yaml'), 'utf8');
fs.writeFileSync(path.join(root, 'Pulumi.kindcreate.yaml'), `${kindValues}  groundwork:cluster: create\n`);
fs.writeFileSync(
  path.join(root, 'Pulumi.kindcreateaws.yaml'),
  `${kindValues}  groundwork:cluster: create\n  groundwork:awsAccountId: "210987654321"\n  groundwork:awsRegion: eu-west-1\n` +
    `  groundwork:vpcCidr: 10.20.0.0/16\n  groundwork:eksClusterName: kind-aws\n` +
    `  groundwork:backupBucket: acme-backups\n  groundwork:logsBucket: acme-logs\n`,
);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const named = (rs: readonly PreviewResource[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name);

describe('npm run preview: the program under mocks, every resource pulumi up would register', () => {
  test('cluster create: the EKS cluster, a node group per zone, the OIDC provider, and one role per role ARN of the rendering, each with its policy', async () => {
    const resources = await previewStack('prod', root);
    expect(named(resources, 'eks:index:Cluster')).toEqual(['groundwork-cloud']);
    expect(named(resources, 'eks:index:ManagedNodeGroup')).toEqual([
      'groundwork-cloud-zone-0',
      'groundwork-cloud-zone-1',
      'groundwork-cloud-zone-2',
    ]);
    expect(named(resources, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toEqual(['groundwork-cloud-oidc']);
    expect(named(resources, 'aws:ec2/vpc:Vpc')).toHaveLength(1);
    // the role ARNs of what synth writes (dist/prod: the GitOps files and the apps)
    const rendering = renderStack('prod', root);
    const written = JSON.stringify([
      rendering.gitops.files.map((f) => f.objects),
      rendering.gitops.bootstrap,
      rendering.objects,
    ]);
    const arns = [...new Set(written.match(/arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+/g))].sort();
    expect(arns).toHaveLength(8);
    const roles = resources.filter((r) => r.type === 'aws:iam/role:Role' && r.name.startsWith('groundwork-prod-'));
    expect(roles.map((r) => `arn:aws:iam::210987654321:role/${String(r.inputs.name)}`).sort()).toEqual(arns);
    // each with its policy: inline, or the EBS CSI driver's managed one
    const inline = named(resources, 'aws:iam/rolePolicy:RolePolicy');
    const attached = named(resources, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment');
    for (const r of roles)
      expect(inline.includes(r.name) || attached.some((a) => a.startsWith(`${r.name}-`))).toBe(true);
    // the trust policy admits exactly the ServiceAccounts of the role
    const identities = cloudIdentities(rendering);
    for (const r of roles) {
      const trust = JSON.parse(String(r.inputs.assumeRolePolicy)) as {
        Statement: { Condition?: { StringEquals: Record<string, unknown> } }[];
      };
      const subjects = trust.Statement.flatMap((s) =>
        Object.entries(s.Condition?.StringEquals ?? {})
          .filter(([k]) => k.endsWith(':sub'))
          .flatMap(([, v]) => v as string[]),
      );
      expect(subjects).toEqual(identities.find((i) => i.roleName === r.name)?.serviceAccounts.map(subjectOf));
    }
    expect(named(resources, 'aws:s3/bucket:Bucket')).toEqual([
      'groundwork-cloud-buckets-backups',
      'groundwork-cloud-buckets-logs',
    ]);
    const lines = formatPreview('prod', resources);
    expect(lines).toContain('eks (4)');
    expect(lines[lines.length - 1]).toBe(`preview: stack=prod resources=${resources.length}`);
  });

  test('cluster existing: no cloud resource, the platform on the kube context; the buckets and the zone looked up', async () => {
    const { resources, invokes } = await previewRun('prodexisting', root);
    expect(invokes.map((i) => [i.token, i.inputs.bucket ?? i.inputs.name])).toEqual([
      ['aws:s3/getBucket:getBucket', 'acme-groundwork-prod-backups'],
      ['aws:s3/getBucket:getBucket', 'acme-groundwork-prod-logs'],
      ['aws:route53/getZone:getZone', 'shop.acme.io'],
    ]);
    expect(invokes[0].inputs.region).toBe('eu-west-1');
    expect(resources.filter((r) => ['aws', 'eks'].includes(providerOf(r.type)))).toEqual([]);
    expect(resources.find((r) => r.type === 'pulumi:providers:kubernetes')?.inputs.context).toBe('groundwork-prod');
    expect(resources.some((r) => r.type === 'groundwork:stacks:GroundworkPlatform')).toBe(true);
  });

  test('on a control plane without nodes (groundwork:skipAwait) nothing is looked up: no cloud account stands behind it', async () => {
    const { resources, invokes } = await previewRun('prodnoaws', root);
    expect(invokes).toEqual([]);
    expect(resources.some((r) => r.type === 'groundwork:stacks:GroundworkPlatform')).toBe(true);
  });

  test.each(['kindcreate', 'kindcreateaws'])(
    'cluster create on kind (%s): refused before any resource, naming the kind command and existing',
    async (stack) => {
      const refusal =
        `Pulumi.${stack}.yaml: groundwork:cluster is "create", but environment kind runs on kind, which this program does not create: ` +
        `run \`${KIND_CREATE_COMMAND}\` (or scripts/kind-up.sh), then set groundwork:cluster: existing`;
      await expect(previewStack(stack, root)).rejects.toThrow(refusal);
      expect(KIND_CREATE_COMMAND).toBe('kind create cluster --config environments/kind/cluster.yaml');
      expect(fs.readFileSync(path.join(__dirname, '..', '..', 'scripts', 'kind-up.sh'), 'utf8')).toContain(
        'kind create cluster --config "$ROOT/environments/kind/cluster.yaml"',
      );
    },
  );
});
