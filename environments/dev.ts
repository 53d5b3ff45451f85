import { baseEnvironment } from './base';
import type { Environment } from './types';

/** Shared development cluster on EKS. */
export const dev: Environment = {
  ...baseEnvironment('dev'),
  cluster: { provider: 'eks', kubeContext: 'groundwork-dev', region: 'eu-west-1' },
  domain: 'dev.example.com',
  clusterIssuer: 'letsencrypt-staging',
  web: { minReplicas: 2, maxReplicas: 4 },
  workerReplicas: 1,
  storageClassName: 'gp3',
};
