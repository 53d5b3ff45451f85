import { baseEnvironment, GITOPS_REPO } from './base';
import type { Environment } from './types';

/**
 * Local cluster created from `environments/kind/cluster.yaml` (1 control plane + 2 workers); no
 * cloud, no public DNS. Add-on requests are sized to fit a laptop (checked: <= 4 CPU, <= 8 GiB).
 */
export const kind: Environment = {
  ...baseEnvironment('kind'),
  cluster: { provider: 'kind', kubeContext: 'kind-groundwork' },
  domain: 'groundwork.localhost',
  clusterIssuer: 'selfsigned-ca',
  web: { minReplicas: 1, maxReplicas: 2 },
  workerReplicas: 1,
  storageClassName: 'standard',
  addonBudget: { cpuCores: 4, memoryGiB: 8 },
  gitops: { engine: 'argo-cd', repoURL: GITOPS_REPO, revision: 'main', path: 'dist/kind/addons' },
  addons: {
    nodes: 3,
    ingress: { ingressNginx: { default: true, hostPorts: true, replicas: 1, size: { cpu: '50m', memory: '96Mi' } }, envoyGateway: false },
    certManager: { selfSignedCa: true, size: { cpu: '25m', memory: '96Mi' } },
    externalDns: false,
  gitops: { engine: 'argo-cd', argoCd: { size: { cpu: '50m', memory: '192Mi' } } },
    mesh: false,
    backup: false,
    policy: { engine: 'kyverno', settings: { enforce: true, size: { cpu: '50m', memory: '192Mi' } } },
    monitoring: {
      retention: '2d',
      sizes: { prometheus: { cpu: '100m', memory: '384Mi' }, alertmanager: { cpu: '10m', memory: '48Mi' }, grafana: { cpu: '25m', memory: '128Mi' } },
    },
    logs: { storage: { type: 'filesystem' }, retention: '48h', size: { cpu: '50m', memory: '192Mi' } },
    tracing: { size: { cpu: '25m', memory: '96Mi' } },
    metricsServer: { kubeletInsecureTls: true },
    telepresence: false,
    rollouts: { size: { cpu: '25m', memory: '96Mi' } },
    externalSecrets: { storeName: 'platform-secrets', backend: { provider: 'kubernetes', namespace: 'platform-secrets' } },
  },
};
