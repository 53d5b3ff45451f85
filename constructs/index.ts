/**
 * k8s-groundwork: typed, hardened-by-default cdk8s constructs.
 * Everything public is exported here explicitly.
 */
export { WebService } from './workloads/web-service';
export type { WebServiceProps, AutoscalingProps, IngressProps, HttpRouteProps } from './workloads/web-service';
export { Worker } from './workloads/worker';
export type { WorkerProps } from './workloads/worker';
export { StatefulService } from './workloads/stateful-service';
export type { StatefulServiceProps, VolumeClaimProps } from './workloads/stateful-service';
export { ScheduledJob } from './workloads/scheduled-job';
export type { ScheduledJobProps } from './workloads/scheduled-job';
export { BatchJob } from './workloads/batch-job';
export type { BatchJobProps } from './workloads/batch-job';
export type { JobProps } from './workloads/job-settings';
export { Workload, NAME_LABEL } from './workloads/workload';
export type { WorkloadProps, LongRunningProps, DeploymentProps } from './workloads/workload';
export type * from './workloads/types';
export { AppConfig } from './config/app-config';
export type { AppConfigProps } from './config/app-config';
export { ExternalSecret } from './config/external-secret';
export type { ExternalSecretProps, ExternalSecretEntry } from './config/external-secret';
export { AppNamespace } from './tenancy/app-namespace';
export type { AppNamespaceProps, PodSecurityLevel } from './tenancy/app-namespace';
export { checkManifests, selectorMatches } from './policy/check-manifests';
export type { ManifestObject, Violation, HardeningRule, CheckOptions } from './policy/check-manifests';
export { GroundworkValidationError } from './internal/validator';
