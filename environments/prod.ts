import { baseEnvironment, GITOPS_REPO } from './base';
import { eksAddons } from './cloud';
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
  gitops: { engine: 'argo-cd', repoURL: GITOPS_REPO, revision: 'main', path: 'dist/prod/addons' },
  addons: eksAddons({ env: 'prod', account: '333333333333', region: 'eu-west-1', domain: 'example.com', nodes: 6, enforcePolicies: true, mesh: { engine: 'istio' }, gitopsEngine: 'argo-cd', telepresence: false, prometheusStorage: '200Gi' }),
};
