import { CLUSTER_ISSUERS } from '../constructs';
import type { EksProfile } from './eks';

/** Production-like staging on EKS. */
export const STAGING_PROFILE: EksProfile = {
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
  issuer: CLUSTER_ISSUERS.letsEncryptProd,
  restoreDrill: true,
};
