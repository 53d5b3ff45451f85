import { baseEnvironment } from './base';
import type { Environment } from './types';

/** Production on EKS across three zones. */
export const prod: Environment = {
  ...baseEnvironment('prod'),
  cluster: { provider: 'eks', kubeContext: 'groundwork-prod', region: 'eu-west-1' },
  domain: 'example.com',
  gateway: { name: 'public', namespace: 'gateway-system' },
  clusterIssuer: 'letsencrypt-prod',
  web: { minReplicas: 3, maxReplicas: 20 },
  workerReplicas: 3,
  storageClassName: 'gp3',
};
