import { demoApps } from '../apps/demo';
import { CLUSTER_ISSUERS } from '../constructs';
import { eksEnvironment } from './eks';

/** Production-like staging on EKS. */
export const staging = eksEnvironment({
  name: 'staging',
  nodes: 3,
  enforcePolicies: true,
  mesh: { engine: 'istio' },
  gitopsEngine: 'argo-cd',
  telepresence: false,
  traceStorage: { badger: '10Gi' },
  prometheusStorage: '50Gi',
  web: { minReplicas: 2, maxReplicas: 6 },
  workerReplicas: 2,
  // the demo renders only with groundwork:demo "true" on this stack (apps/demo.ts reads env.demo)
  apps: [demoApps],
  issuer: CLUSTER_ISSUERS.letsEncryptProd,
});
