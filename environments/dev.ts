import { demoApps } from '../apps/demo';
import { CLUSTER_ISSUERS } from '../constructs';
import { eksEnvironment } from './eks';

/** Shared development cluster on EKS (Flux, audit-only policies, Telepresence). */
export const dev = eksEnvironment({
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
  // the demo renders only with groundwork:demo "true" on this stack (apps/demo.ts reads env.demo)
  apps: [demoApps],
  issuer: CLUSTER_ISSUERS.letsEncryptStaging,
});
