import { baseEnvironment, GITOPS_REPO } from './base';
import { eksAddons } from './cloud';
import type { Environment } from './types';

/** Shared development cluster on EKS. */
export const dev: Environment = {
  ...baseEnvironment('dev'),
  cluster: { provider: 'eks', kubeContext: 'groundwork-dev', region: 'eu-west-1' },
  domain: 'dev.example.com',
  gateway: { name: 'public', namespace: 'gateway-system' },
  clusterIssuer: 'letsencrypt-staging',
  web: { minReplicas: 2, maxReplicas: 4 },
  workerReplicas: 1,
  storageClassName: 'gp3',
  gitops: { engine: 'flux', repoURL: GITOPS_REPO, revision: 'main', path: 'dist/dev/addons' },
  addons: eksAddons({ env: 'dev', account: '111111111111', region: 'eu-west-1', domain: 'dev.example.com', nodes: 3, enforcePolicies: false, mesh: false, gitopsEngine: 'flux', telepresence: true, prometheusStorage: '20Gi' }),
};
