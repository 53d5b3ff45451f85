/**
 * `groundwork:cluster: existing` on EKS: the stack creates no bucket and no hosted zone, so the
 * names its config gives are looked up in AWS (S3 `GetBucket`, Route 53 `GetZone`) rather than
 * trusted; a name that does not exist fails `pulumi up` naming its key, before the platform registers.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../platform/config';

/** One lookup: the config key it checks and what it found (the bucket's ARN, the zone's id), or why not. */
export interface ExistingCloudLookup {
  readonly key: string;
  readonly found: Promise<string>;
}

/** The message of a lookup that failed, naming the key (the provider's own error follows). */
export function lookupFailure(key: string, what: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `groundwork:${key}: ${what} was not found in AWS (groundwork:cluster is existing, so it must exist)` +
      (detail.length > 0 ? `: ${detail}` : ''),
  );
}

function found<T>(key: string, what: string, lookup: Promise<T>, pick: (r: T) => string): Promise<string> {
  return lookup.then(pick, (e: unknown) => {
    throw lookupFailure(key, what, e);
  });
}

/** What the platform waits for: every lookup found (rejected with the first that was not). */
export function allFound(lookups: readonly ExistingCloudLookup[]): pulumi.Output<string[]> {
  return pulumi.output(Promise.all(lookups.map((l) => l.found)));
}

/**
 * Looks up the buckets (`groundwork:backupBucket`, `groundwork:logsBucket`) and the hosted zone
 * (`groundwork:route53HostedZoneId`, else `groundwork:dnsZone`, else `groundwork:domain`) the config names.
 */
export function lookUpExistingCloud(config: StackConfig, opts?: pulumi.InvokeOptions): ExistingCloudLookup[] {
  const region = config.awsRegion !== undefined ? { region: config.awsRegion } : {};
  const lookups: ExistingCloudLookup[] = [];
  for (const key of ['backupBucket', 'logsBucket'] as const) {
    const bucket = config[key];
    if (bucket === undefined) continue;
    const lookup = aws.s3.getBucket({ bucket, ...region }, opts);
    lookups.push({ key, found: found(key, `S3 bucket "${bucket}"`, lookup, (b) => b.arn) });
  }
  const zoneId = config.route53HostedZoneId;
  const zoneName = config.dnsZone ?? config.domain;
  if (zoneId !== undefined) {
    const lookup = aws.route53.getZone({ zoneId }, opts);
    lookups.push({
      key: 'route53HostedZoneId',
      found: found('route53HostedZoneId', `hosted zone ${zoneId}`, lookup, (z) => z.zoneId),
    });
  } else if (zoneName !== undefined) {
    const key = config.dnsZone !== undefined ? 'dnsZone' : 'domain';
    const lookup = aws.route53.getZone({ name: zoneName, privateZone: false }, opts);
    lookups.push({ key, found: found(key, `public hosted zone "${zoneName}"`, lookup, (z) => z.zoneId) });
  }
  return lookups;
}
