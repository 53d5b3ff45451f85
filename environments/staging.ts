import { baseEnvironment, GITOPS_REPO } from './base';
import { eksAddons } from './cloud';
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
  gitops: { engine: 'argo-cd', repoURL: GITOPS_REPO, revision: 'main', path: 'dist/staging/addons' },
  addons: eksAddons({ env: 'staging', account: '222222222222', region: 'eu-west-1', domain: 'staging.example.com', nodes: 3, enforcePolicies: true, mesh: { engine: 'istio' }, gitopsEngine: 'argo-cd', telepresence: false, prometheusStorage: '50Gi' }),
};
