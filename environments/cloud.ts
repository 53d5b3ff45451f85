import type { PlatformAddonsProps } from '../constructs';
import { awsRole } from './base';
import type { EnvironmentName } from './types';

/** Inputs that differ between the EKS environments. */
export interface CloudProfile {
  readonly env: EnvironmentName;
  readonly account: string;
  readonly region: string;
  readonly domain: string;
  readonly nodes: number;
  readonly enforcePolicies: boolean;
  readonly mesh: PlatformAddonsProps['mesh'];
  readonly gitopsEngine: 'argo-cd' | 'flux';
  readonly telepresence: boolean;
  readonly prometheusStorage: string;
}

/** The add-on profile of an EKS environment, from the few values that differ between them. */
export function eksAddons(p: CloudProfile): PlatformAddonsProps {
  const role = (component: string): string => awsRole(p.account, p.env, component);
  const dns = { provider: 'route53' as const, region: p.region, roleArn: role('dns') };
  return {
    nodes: p.nodes,
    ingress: { envoyGateway: { default: true, gateway: { name: 'public', namespace: 'gateway-system', httpsHostname: `*.${p.domain}`, clusterIssuer: 'letsencrypt-prod' } }, ingressNginx: { default: false, serviceMonitor: true } },
    certManager: { serviceMonitor: true, letsEncrypt: { email: `platform+${p.env}@example.com`, solver: { type: 'dns01', dns } } },
    externalDns: { dns, domainFilters: [p.domain], txtOwnerId: `groundwork-${p.env}`, policy: 'sync' },
    gitops: p.gitopsEngine === 'argo-cd' ? { engine: 'argo-cd' } : { engine: 'flux' },
    mesh: p.mesh,
    backup: { storage: { provider: 'aws', bucket: `groundwork-${p.env}-backups`, region: p.region, roleArn: role('velero') } },
    policy: { engine: 'kyverno', settings: { enforce: p.enforcePolicies, replicas: p.enforcePolicies ? 3 : 1 } },
    monitoring: { retention: '15d', storageSize: p.prometheusStorage },
    logs: { storage: { type: 's3', bucket: `groundwork-${p.env}-logs`, region: p.region, roleArn: role('loki') } },
    tracing: { replicas: 2 },
    metricsServer: {},
    telepresence: p.telepresence ? {} : false,
    rollouts: {},
    externalSecrets: { storeName: 'platform-secrets', backend: { provider: 'aws-secrets-manager', region: p.region, roleArn: role('external-secrets') } },
  };
}
