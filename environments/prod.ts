import { CLUSTER_ISSUERS } from '../constructs';
import type { EksProfile } from './eks';

/** Production on EKS across three zones. */
export const PROD_PROFILE: EksProfile = {
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
  issuer: CLUSTER_ISSUERS.letsEncryptProd,
  restoreDrill: true,
};
