import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { type DnsProvider, validateDnsProvider } from './dns';
import { ownAddon } from './register';

/** Props of the External-DNS add-on. */
export interface ExternalDnsProps extends AddonProps {
  /** DNS provider and its credentials reference. */
  readonly dns: DnsProvider;
  /** Zones External-DNS may touch, e.g. `['example.com']`. */
  readonly domainFilters: readonly string[];
  /** Owner id written to TXT records (one per cluster). */
  readonly txtOwnerId: string;
  /**
   * `sync` deletes records it created when the source goes away; `upsert-only` never deletes.
   * @default 'upsert-only'
   */
  readonly policy?: 'sync' | 'upsert-only';
  /**
   * Kubernetes sources watched.
   * @default ['service', 'ingress', 'gateway-httproute']
   */
  readonly sources?: readonly ('service' | 'ingress' | 'gateway-httproute' | 'gateway-grpcroute')[];
  /**
   * Requests.
   * @default { cpu: '20m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

/** External-DNS: publishes Ingress/HTTPRoute/Service hosts to a DNS provider. */
export function externalDns(props: ExternalDnsProps): AddonDeclaration {
  const v = addonValidator('external-dns', props, {
    dns: 'object',
    domainFilters: 'strings',
    txtOwnerId: 'string',
    policy: 'string',
    sources: 'strings',
    size: SIZE_SPEC,
  });
  validateDnsProvider(v, 'dns', props.dns);
  if (props.domainFilters.length === 0) v.fail('domainFilters', [], 'must list at least one zone');
  props.domainFilters.forEach((d, i) => v.check(`domainFilters[${i}]`, d, rules.ingressHost));
  v.check('txtOwnerId', props.txtOwnerId, rules.dns1123Label);
  const size = { cpu: '20m', memory: '64Mi', ...props.size };
  const dns = props.dns;
  const serviceAccount: Record<string, unknown> = { create: true };
  // external-dns reads names from the external-dns.alpha.kubernetes.io/hostname annotation of Services
  // and routes (v0.21.0 source/service.go, source/gateway.go); tenants' admission policies refuse those
  // annotations. --ignore-hostname-annotation is no way out: without --fqdn-template external-dns
  // refuses to start (v0.21.0 pkg/apis/externaldns/validation/validation.go)
  const extraArgs: string[] = [];
  const env: Record<string, unknown>[] = [];
  let name: string = dns.provider;
  switch (dns.provider) {
    case 'route53':
      name = 'aws';
      serviceAccount.annotations = { 'eks.amazonaws.com/role-arn': dns.roleArn };
      env.push({ name: 'AWS_DEFAULT_REGION', value: dns.region });
      break;
    case 'cloud-dns':
      name = 'google';
      serviceAccount.annotations = { 'iam.gke.io/gcp-service-account': dns.gcpServiceAccount };
      extraArgs.push(`--google-project=${dns.project}`);
      break;
    case 'azure-dns':
      name = 'azure';
      serviceAccount.annotations = { 'azure.workload.identity/client-id': dns.managedIdentityClientId };
      serviceAccount.labels = { 'azure.workload.identity/use': 'true' };
      extraArgs.push(`--azure-resource-group=${dns.resourceGroup}`, `--azure-subscription-id=${dns.subscriptionId}`);
      break;
    case 'cloudflare':
      env.push({
        name: 'CF_API_TOKEN',
        valueFrom: { secretKeyRef: { name: dns.apiTokenSecret.name, key: dns.apiTokenSecret.key } },
      });
      break;
  }
  return declareAddon({
    id: 'external-dns',
    props,
    validator: v,
    defaultNamespace: 'external-dns',
    values: {
      provider: { name },
      domainFilters: [...props.domainFilters],
      txtOwnerId: props.txtOwnerId,
      policy: props.policy ?? 'upsert-only',
      sources: [...(props.sources ?? ['service', 'ingress', 'gateway-httproute'])],
      serviceAccount,
      env,
      extraArgs,
      resources: requestsOf(size),
    },
    components: { controller: size },
  });
}

/** Its registry entry: the profile's `externalDns` key. */
export const externalDnsAddon = ownAddon({
  id: 'external-dns',
  profileKey: 'externalDns',
  defaultProps: false,
  declare: externalDns,
  example: {
    dns: { provider: 'route53', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/dns' },
    domainFilters: ['example.com'],
    txtOwnerId: 'x',
  },
});
