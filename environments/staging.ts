import { baseEnvironment } from './base';
import type { Environment } from './types';

/** Production-like staging on EKS, exposed through a Gateway API Gateway. */
export const staging: Environment = {
  ...baseEnvironment('staging'),
  cluster: { provider: 'eks', kubeContext: 'groundwork-staging', region: 'eu-west-1' },
  domain: 'staging.example.com',
  gateway: { name: 'public', namespace: 'gateway-system' },
  clusterIssuer: 'letsencrypt-prod',
  web: { minReplicas: 2, maxReplicas: 6 },
  workerReplicas: 2,
  storageClassName: 'gp3',
};
