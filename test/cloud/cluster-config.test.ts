import * as path from 'path';
import { parseStackConfig, renderEnvironment } from '../../constructs';
import { definitionFor } from '../../environments';
import { projectRoot, readStackFile } from '../../stacks/stack-config';

const prod = (extra: Record<string, string>) => ({
  ...readStackFile(path.join(projectRoot(), 'Pulumi.prod.yaml')),
  ...extra,
});
/** Why the prod stack with `raw` does not render: its config refused, or a key creating its cluster needs unset ('' when it renders). */
const refusal = (raw: Record<string, unknown>): string => {
  try {
    const config = parseStackConfig(raw, 'prod', 'Pulumi.prod.yaml');
    renderEnvironment(definitionFor(config.environment), config, { stack: 'prod', source: 'Pulumi.prod.yaml' });
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('groundwork:cluster: existing (the default) or create', () => {
  test('create needs the account, the region and the VPC range, each named when missing', () => {
    const raw = prod({ 'groundwork:cluster': 'create' });
    delete raw['groundwork:awsRegion'];
    delete raw['groundwork:awsAccountId'];
    const message = refusal(raw);
    expect(message).toContain('Pulumi.prod.yaml: groundwork:cluster is "create", which needs groundwork:awsAccountId');
    expect(message).toContain('groundwork:cluster is "create", which needs groundwork:awsRegion');
    expect(message).toContain('groundwork:cluster is "create", which needs groundwork:vpcCidr');
    // a key prod requires anyway is named once, as what creating the cluster needs
    expect(message).not.toContain('groundwork:awsAccountId must be set');
    expect(refusal(prod({ 'groundwork:cluster': 'create', 'groundwork:vpcCidr': '10.20.0.0/16' }))).toBe('');
    // existing needs no range
    expect(refusal(prod({}))).toBe('');
  });

  test('bad values are refused with the key named: the cluster mode, a VPC range AWS or the subnets cannot take, a bucket name S3 refuses', () => {
    expect(refusal(prod({ 'groundwork:cluster': 'new' }))).toContain(
      'groundwork:cluster ("new") must be "existing" or "create"',
    );
    expect(refusal(prod({ 'groundwork:cluster': 'create', 'groundwork:vpcCidr': '10.0.0.0/8' }))).toContain(
      'groundwork:vpcCidr ("10.0.0.0/8") must be an IPv4 CIDR block from /16 to /20',
    );
    // the zone must hold the domain (External-DNS and the Gateway's *.<domain>)
    expect(refusal(prod({ 'groundwork:domain': 'shop.acme.io', 'groundwork:dnsZone': 'acme.org' }))).toContain(
      'Pulumi.prod.yaml: groundwork:dnsZone ("acme.org") must be groundwork:domain ("shop.acme.io") or a parent zone of it',
    );
    expect(refusal(prod({ 'groundwork:domain': 'shop.acme.io', 'groundwork:dnsZone': 'acme.io' }))).toBe('');
    expect(refusal(prod({ 'groundwork:domain': 'shop.acme.io', 'groundwork:dnsZone': 'me.io' }))).toContain(
      'or a parent zone of it',
    );
    expect(refusal(prod({ 'groundwork:vpcCidr': '10.0.1.0/16' }))).toContain(
      'groundwork:vpcCidr ("10.0.1.0/16") must start at its network address',
    );
    expect(
      refusal(
        prod({
          'groundwork:cluster': 'create',
          'groundwork:vpcCidr': '10.0.0.0/16',
          'groundwork:backupBucket': 'Backups_Prod',
        }),
      ),
    ).toContain('groundwork:backupBucket ("Backups_Prod") must be an S3 bucket name');
  });

  test('preflight: with create the IAM roles are made by the stack (met), not assumed', () => {
    const findings = (raw: Record<string, unknown>) => {
      const config = parseStackConfig(raw, 'prod', 'Pulumi.prod.yaml');
      return renderEnvironment(definitionFor(config.environment), config, {
        stack: 'prod',
      }).checks.preflight.findings.filter((f) => f.message.startsWith('workload identity'));
    };
    expect(findings(prod({})).map((f) => f.severity)).toEqual(['assumed']);
    const created = findings(prod({ 'groundwork:cluster': 'create', 'groundwork:vpcCidr': '10.20.0.0/16' }));
    expect(created.map((f) => f.severity)).toEqual(['met']);
    expect(created[0].message).toContain('(met by groundwork:cluster create: the stack creates them)');
  });
});

describe('what groundwork:cluster create makes true is not listed as assumed', () => {
  const findings = (extra: Record<string, string>) => {
    const config = parseStackConfig(prod(extra), 'prod', 'Pulumi.prod.yaml');
    return renderEnvironment(definitionFor('prod'), config, { stack: 'prod' }).checks.preflight.findings;
  };
  const severityOf = (all: ReturnType<typeof findings>, id: string) =>
    all.find((f) => f.message.startsWith(`${id}:`))?.severity;

  test('with create, the CNI NetworkPolicy setting, the EBS CSI driver and load balancers are met; the DNS zone stays assumed', () => {
    const created = findings({ 'groundwork:cluster': 'create', 'groundwork:vpcCidr': '10.20.0.0/16' });
    for (const id of ['cni-network-policy', 'ebs-csi', 'load-balancer']) expect(severityOf(created, id)).toBe('met');
    expect(created.find((f) => f.message.startsWith('cni-network-policy:'))?.message).toContain(
      'met by groundwork:cluster create (the VPC CNI runs with enableNetworkPolicy)',
    );
    expect(severityOf(created, 'dns-zone')).toBe('assumed');
    const existing = findings({});
    for (const id of ['cni-network-policy', 'ebs-csi', 'load-balancer', 'dns-zone'])
      expect(severityOf(existing, id)).toBe('assumed');
  });
});
