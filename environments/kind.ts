import { baseEnvironment } from './base';
import type { Environment } from './types';

/** Local cluster created from `environments/kind/cluster.yaml`; no cloud, no public DNS. */
export const kind: Environment = {
  ...baseEnvironment('kind'),
  cluster: { provider: 'kind', kubeContext: 'kind-groundwork' },
  domain: 'groundwork.localhost',
  clusterIssuer: 'selfsigned-ca',
  web: { minReplicas: 1, maxReplicas: 2 },
  workerReplicas: 1,
  storageClassName: 'standard',
};
