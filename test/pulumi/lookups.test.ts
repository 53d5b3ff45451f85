import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig } from '../../constructs/platform/config';
import { lookUpExistingCloud } from '../../constructs/pulumi/aws/lookups';

// the cloud as the mocks answer it: one bucket and one zone exist
const EXISTING_BUCKETS = ['acme-backups'];
const EXISTING_ZONES = ['acme.io'];
const invoked: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs as Record<string, unknown> }),
      call: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        invoked.push(args.token);
        if (args.token === 'aws:s3/getBucket:getBucket') {
          if (!EXISTING_BUCKETS.includes(String(inputs.bucket)))
            throw new Error(`couldn't find resource: bucket ${String(inputs.bucket)}`);
          return { ...inputs, arn: `arn:aws:s3:::${String(inputs.bucket)}` };
        }
        if (args.token === 'aws:route53/getZone:getZone') {
          if (inputs.name !== undefined && !EXISTING_ZONES.includes(inputs.name as string))
            throw new Error('no matching Route 53 Hosted Zone found');
          return { zoneId: 'ZACME', ...inputs };
        }
        return inputs;
      },
    },
    'k8s-groundwork',
    'prod',
    true,
  );
});

const configOf = (extra: Record<string, string>) =>
  parseStackConfig(
    {
      'groundwork:environment': 'prod',
      'groundwork:domain': 'shop.acme.io',
      'groundwork:awsRegion': 'eu-west-1',
      ...extra,
    },
    'prod',
    'Pulumi.prod.yaml',
  );
const settle = (p: Promise<string>) => p;

describe('groundwork:cluster existing on EKS: the names the config gives are looked up, not trusted', () => {
  test('buckets and zone that exist: found (the bucket ARNs, the zone id)', async () => {
    invoked.length = 0;
    const lookups = lookUpExistingCloud(
      configOf({ 'groundwork:backupBucket': 'acme-backups', 'groundwork:dnsZone': 'acme.io' }),
    );
    expect(lookups.map((l) => l.key)).toEqual(['backupBucket', 'dnsZone']);
    expect(await Promise.all(lookups.map((l) => settle(l.found)))).toEqual(['arn:aws:s3:::acme-backups', 'ZACME']);
    expect(invoked).toEqual(['aws:s3/getBucket:getBucket', 'aws:route53/getZone:getZone']);
  });

  test('a bucket or zone that does not exist fails, naming its key', async () => {
    const lookups = lookUpExistingCloud(configOf({ 'groundwork:logsBucket': 'acme-logs-typo' }));
    expect(lookups.map((l) => l.key)).toEqual(['logsBucket', 'domain']);
    await expect(settle(lookups[0].found)).rejects.toThrow(
      'groundwork:logsBucket: S3 bucket "acme-logs-typo" was not found in AWS (groundwork:cluster is existing, so it must exist)',
    );
    await expect(settle(lookups[1].found)).rejects.toThrow(
      'groundwork:domain: public hosted zone "shop.acme.io" was not found in AWS',
    );
  });

  test('a zone id from the config is looked up by id', async () => {
    invoked.length = 0;
    const lookups = lookUpExistingCloud(configOf({ 'groundwork:route53HostedZoneId': 'Z0123456789ABC' }));
    expect(lookups.map((l) => l.key)).toEqual(['route53HostedZoneId']);
    expect(await settle(lookups[0].found)).toBe('Z0123456789ABC');
  });
});
