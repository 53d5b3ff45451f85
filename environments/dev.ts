import { CLUSTER_ISSUERS } from '../constructs';
import type { EksProfile } from './eks';

/** Shared development cluster on EKS (Flux, audit-only policies, Telepresence). */
export const DEV_PROFILE: EksProfile = {
  name: 'dev',
  nodes: 3,
  enforcePolicies: false,
  mesh: false,
  gitopsEngine: 'flux',
  telepresence: true,
  traceStorage: 'memory',
  prometheusStorage: '20Gi',
  web: { minReplicas: 2, maxReplicas: 4 },
  workerReplicas: 1,
  issuer: CLUSTER_ISSUERS.letsEncryptStaging,
  restoreDrill: false,
};
