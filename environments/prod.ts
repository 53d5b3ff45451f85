import { demoApps } from '../apps/demo';
import { CLUSTER_ISSUERS } from '../constructs';
import { eksEnvironment } from './eks';

/** Production on EKS across three zones. */
export const prod = eksEnvironment({
  name: 'prod',
  nodes: 6,
  enforcePolicies: true,
  mesh: { engine: 'istio' },
  gitopsEngine: 'argo-cd',
  telepresence: false,
  traceStorage: { badger: '50Gi' },
  prometheusStorage: '200Gi',
  web: { minReplicas: 3, maxReplicas: 20 },
  workerReplicas: 3,
  // the demo renders only with groundwork:demo "true" on this stack (apps/demo.ts reads env.demo)
  apps: [demoApps],
  issuer: CLUSTER_ISSUERS.letsEncryptProd,
});
