/**
 * k8s-groundwork: typed, hardened-by-default cdk8s constructs.
 * Everything public is exported here explicitly.
 */
export { WebService } from './workloads/web-service';
export type {
  WebServiceProps,
  AutoscalingProps,
  IngressProps,
  HttpRouteProps,
  VerticalScalingProps,
  VerticalUpdateMode,
  VerticalBounds,
} from './workloads/web-service';
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
export { Tenant, TENANT_LABEL, METADATA_CIDR, POD_SECURITY_VERSION } from './tenancy/tenant';
export { cidrContains } from './internal/rules';
export { canReach } from './policy/network-reach';
export type { PodEndpoint, IpEndpoint } from './policy/network-reach';
export type {
  TenantProps,
  TenantNamespaceProps,
  TenantQuotaProps,
  TenantLimitsProps,
  TenantNetworkProps,
  TenantAccessProps,
  TenantAlertsProps,
} from './tenancy/tenant';
export { validateTree } from './internal/validate-tree';
export { chartManifests } from './internal/chart-manifests';
export { AccessRole, allowanceAnnotations } from './rbac/access-role';
export type { AccessRoleProps } from './rbac/access-role';
export { AccessBinding, BUILT_IN_CLUSTER_ROLES } from './rbac/access-binding';
export type { AccessBindingProps } from './rbac/access-binding';
export {
  ROLE_PRESETS,
  ruleProblems,
  subjectProblems,
  PUBLIC_SUBJECTS,
  ESCALATION_VERBS,
  ALLOW_ANNOTATION,
} from './rbac/rbac-rules';
export type { AccessRule, AccessSubject, RbacAllowances, RbacProblem, RolePreset, Verb } from './rbac/rbac-rules';
export type { AppNamespaceProps, PodSecurityLevel } from './tenancy/app-namespace';
export { checkManifests, selectorMatches } from './policy/check-manifests';
export type {
  ManifestObject,
  Violation,
  HardeningRule,
  HardeningRuleInfo,
  CheckOptions,
} from './policy/check-manifests';
export { HARDENING_RULES, optOutAnnotation } from './policy/check-manifests';
export { GroundworkValidationError } from './internal/validator';
export { WebServiceMonitoring } from './monitoring/web-service-monitoring';
export type { WebServiceMonitoringProps } from './monitoring/web-service-monitoring';
export { CATALOG } from './addons/catalog';
export type { AddonId, ChartRef } from './addons/catalog';
export { declareAddon, deepMerge, footprintOf, requestsOf } from './addons/addon';
export type { AddonDeclaration, AddonInput, AddonProps, ComponentSize } from './addons/addon';
export { planAddons, splitCompanions } from './addons/graph';
export type { AddonPlan, PlanStep, StepKind } from './addons/graph';
export { platformAddons } from './addons/platform-addons';
export type { PlatformAddons, PlatformAddonsProps } from './addons/platform-addons';
export { declareEach, ownAddon, part, registerAddon, servesCrds } from './addons/register';
export type { AddonContext, AddonPart, RegisteredAddon } from './addons/register';
export { REGISTERED_ADDONS } from './addons/registry';
export type { RegisteredAddonEntry } from './addons/registry';
export type { GitOpsProfile, IngressProfile, MeshProfile, PolicyProfile } from './addons/choices';
export { renderGitOps, GIT_CREDENTIALS_SECRET, isSshUrl } from './addons/gitops';
export type { GitCredentialsRef, GitOpsTarget, GitOpsRendering } from './addons/gitops';
export type { DnsProvider } from './addons/dns';
export { ingressNginx, INGRESS_NGINX_CLASS } from './addons/ingress-nginx';
export type { IngressNginxProps } from './addons/ingress-nginx';
export { envoyGateway } from './addons/envoy-gateway';
export type { EnvoyGatewayProps } from './addons/envoy-gateway';
export { externalDns } from './addons/external-dns';
export type { ExternalDnsProps } from './addons/external-dns';
export { certManager, CLUSTER_ISSUERS } from './addons/cert-manager';
export type { CertManagerProps, ClusterIssuerName, LetsEncryptProps, AcmeSolver } from './addons/cert-manager';
export { argoCd } from './addons/argo-cd';
export type { ArgoCdProps } from './addons/argo-cd';
export type { GrafanaSso, OidcSso } from './addons/oidc-sso';
export { flux } from './addons/flux';
export type { FluxProps } from './addons/flux';
export { istio } from './addons/istio';
export type { IstioProps } from './addons/istio';
export { linkerd } from './addons/linkerd';
export type { LinkerdProps } from './addons/linkerd';
export { velero } from './addons/velero';
export type { VeleroProps, BackupStorage } from './addons/velero';
export { kyverno } from './addons/kyverno';
export type { PolicyProps } from './addons/kyverno';
export { gatekeeper } from './addons/gatekeeper';
export { kubePrometheusStack, PLATFORM_OVERVIEW_DASHBOARD } from './addons/kube-prometheus-stack';
export type { MonitoringProps } from './addons/kube-prometheus-stack';
export { loki, LOKI_TENANT } from './addons/loki';
export type { LokiProps } from './addons/loki';
export { openTelemetryCollector } from './addons/opentelemetry-collector';
export type { OpenTelemetryCollectorProps } from './addons/opentelemetry-collector';
export { jaeger, JAEGER_BADGER_CLAIM } from './addons/jaeger';
export type { JaegerProps, JaegerStorage } from './addons/jaeger';
export { verticalPodAutoscaler } from './addons/vertical-pod-autoscaler';
export type { VerticalPodAutoscalerProps } from './addons/vertical-pod-autoscaler';
export { clusterAutoscaler } from './addons/cluster-autoscaler';
export type { ClusterAutoscalerProps } from './addons/cluster-autoscaler';
export { metricsServer } from './addons/metrics-server';
export type { MetricsServerProps } from './addons/metrics-server';
export { telepresence } from './addons/telepresence';
export type { TelepresenceProps } from './addons/telepresence';
export { argoRollouts } from './addons/argo-rollouts';
export type { ArgoRolloutsProps } from './addons/argo-rollouts';
export { reloader, RELOAD_STRATEGIES } from './addons/reloader';
export type { ReloaderProps } from './addons/reloader';
export { externalSecrets } from './addons/external-secrets';
export type { ExternalSecretsProps, SecretBackend } from './addons/external-secrets';
export { awsEbsCsiDriver } from './addons/aws-ebs-csi-driver';
export type { AwsEbsCsiDriverProps } from './addons/aws-ebs-csi-driver';
export type { GatewayServiceProps } from './addons/envoy-gateway';
export type { GrafanaAdminSource } from './addons/kube-prometheus-stack';
export type { AlertRouting } from './addons/kube-prometheus-stack-alerting';
export { parseEmailReceiver } from './addons/kube-prometheus-stack-alert-keys';
export { parseGroupList } from './platform/config-values';
export type { AlertsStackConfig, EmailReceiver } from './addons/kube-prometheus-stack-alert-keys';
export type { EngineInstall, RenderGitOpsOptions } from './addons/gitops';
// the platform: contract, configuration, environments, the one render path and its checks
export { PlatformContract } from './platform/contract';
export type {
  AddonProvides,
  ClusterFacts,
  GatewayListenerOffer,
  GatewayOffer,
  IngressClassOffer,
  MeshOffer,
  MonitoringOffer,
  Provided,
  StorageClassOffer,
  TrafficSource,
  TracingOffer,
  LogsOffer,
  VerticalPodAutoscalingOffer,
} from './platform/contract';
export {
  parseStackConfig,
  parseGitCredentials,
  exampleValueReason,
  closestStackConfigKey,
  STACK_CONFIG_KEYS,
} from './platform/config';
export type { StackConfig, StackConfigKey } from './platform/config';
export { resolveEnvironment } from './platform/environment';
export { checkExternalObjects, EXTERNAL_KINDS } from './platform/external-objects';
export type { ExternalObject } from './platform/external-objects';
export type {
  ClusterProvider,
  ConfigValues,
  Environment,
  EnvironmentDefinition,
  Prerequisite,
  ScalingProfile,
} from './platform/environment';
export { preflight, formatPreflight } from './platform/preflight';
export { secretStoreEntries } from './platform/secret-store-entries';
export type { StoreEntries } from './platform/secret-store-entries';
export type { PreflightFinding, PreflightInput, PreflightReport } from './platform/preflight';
export { verifyPlatform, lastWaveNeeded } from './platform/verify';
export type { ApplyUnit, PlatformProblem, PlatformRendering } from './platform/verify';
export { apiGroupOf, referencesOf, producedBy, podSpecOf, BUILT_IN_GROUPS } from './platform/references';
export type { ObjectRef } from './platform/references';
export { orderIntoWaves } from './platform/app-waves';
export type { Wave } from './platform/app-waves';
export { renderEnvironment, budgetProblems, deployableProblems } from './platform/render';
export type {
  AppContext,
  AppsBuilder,
  EnvironmentRendering,
  RenderChecks,
  RenderEnvironmentOptions,
} from './platform/render';
export { cloudIdentities, identityGrants, permissionPolicy, trustPolicy, CHART_SERVICE_ACCOUNTS } from './cloud';
export type {
  CloudIdentity,
  Grant,
  IdentitySource,
  PolicyContext,
  PolicyDocument,
  PolicyStatement,
  RoleUse,
  ServiceAccountRef,
} from './cloud';
