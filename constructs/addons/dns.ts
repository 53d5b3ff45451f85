import type { PropsValidator } from '../internal/validator';
import * as rules from '../internal/rules';

/** A DNS provider and the reference to its credentials (never the credentials themselves). */
export type DnsProvider =
  | {
      readonly provider: 'route53';
      /** AWS region. */
      readonly region: string;
      /** IAM role assumed through IRSA / Pod Identity: the credentials reference. */
      readonly roleArn: string;
      /** Hosted zone id for DNS-01. @default - discovered from the domain */
      readonly hostedZoneId?: string;
    }
  | {
      readonly provider: 'cloud-dns';
      /** GCP project of the managed zone. */
      readonly project: string;
      /** Google service account bound through Workload Identity: the credentials reference. */
      readonly gcpServiceAccount: string;
    }
  | {
      readonly provider: 'azure-dns';
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      readonly hostedZoneName: string;
      /** Client id of the managed identity (Workload Identity): the credentials reference. */
      readonly managedIdentityClientId: string;
    }
  | {
      readonly provider: 'cloudflare';
      /** Existing Secret holding the API token: the credentials reference. */
      readonly apiTokenSecret: { readonly name: string; readonly key: string };
    };

const CREDENTIAL_FIELD: Record<DnsProvider['provider'], string> = {
  route53: 'roleArn',
  'cloud-dns': 'gcpServiceAccount',
  'azure-dns': 'managedIdentityClientId',
  cloudflare: 'apiTokenSecret',
};

/** Checks the provider is known and carries its credentials reference. */
export function validateDnsProvider(v: PropsValidator, field: string, p: DnsProvider): void {
  const credential = CREDENTIAL_FIELD[p.provider];
  if (credential === undefined) {
    v.fail(`${field}.provider`, p.provider, `must be one of ${Object.keys(CREDENTIAL_FIELD).join(', ')}`);
    return;
  }
  const ref = (p as unknown as Record<string, unknown>)[credential];
  const present =
    typeof ref === 'string'
      ? ref.length > 0
      : typeof ref === 'object' &&
        ref !== null &&
        Boolean((ref as { name?: string }).name) &&
        Boolean((ref as { key?: string }).key);
  if (!present) v.fail(`${field}.${credential}`, ref, `must reference the ${p.provider} credentials (${credential})`);
  if (p.provider === 'cloudflare' && present)
    v.check(`${field}.apiTokenSecret.name`, p.apiTokenSecret.name, rules.dns1123Subdomain);
}
