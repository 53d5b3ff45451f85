/**
 * Typed views of synthesized objects for assertions: each kind read through its schema's
 * TypeScript interface (kubernetes-models and the @kubernetes-models CRD packages schema.ts
 * validates with), so a misspelt path in a test is a compile error.
 *
 * `Sure<T>` makes every field present: a test reads the fields its subject sets, and one that is
 * absent at run time reads as undefined, which the assertion then reports.
 */
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import type { IValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IGatewayClass } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ClusterSecretStore';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import type { IClusterPolicy } from '@kubernetes-models/kyverno/kyverno.io/v1/ClusterPolicy';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import type { IIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease';
import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import type { IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository';
import type { ManifestObject } from '../../constructs';

/** Every field of `T`, at every depth, present and writable. */
export type Sure<T> = T extends readonly (infer U)[]
  ? Sure<U>[]
  : T extends object
    ? { -readonly [K in keyof T]-?: Sure<NonNullable<T[K]>> }
    : T;

/** The VerticalPodAutoscaler fields we emit (no model package covers autoscaling.k8s.io; its schema is in crd-schemas.ts). */
interface IVerticalPodAutoscaler {
  apiVersion: 'autoscaling.k8s.io/v1';
  kind: 'VerticalPodAutoscaler';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    targetRef: { apiVersion: string; kind: string; name: string };
    updatePolicy: { updateMode: string; minReplicas: number };
    resourcePolicy: {
      containerPolicies: {
        containerName: string;
        mode: string;
        controlledResources: string[];
        controlledValues: string;
        minAllowed: Record<string, string>;
        maxAllowed: Record<string, string>;
      }[];
    };
  };
}

/** Velero's BackupStorageLocation and Schedule, Gatekeeper's ConstraintTemplate and Envoy Gateway's EnvoyProxy: the fields we emit (schemas in crd-schemas.ts). */
interface IBackupStorageLocation {
  apiVersion: 'velero.io/v1';
  kind: 'BackupStorageLocation';
  metadata: { name: string; namespace: string };
  spec: {
    provider: string;
    default: boolean;
    accessMode: string;
    objectStorage: { bucket: string; prefix: string };
    config: Record<string, string>;
  };
}
interface ISchedule {
  apiVersion: 'velero.io/v1';
  kind: 'Schedule';
  metadata: { name: string; namespace: string };
  spec: {
    schedule: string;
    template: {
      ttl: string;
      storageLocation: string;
      includedNamespaces: string[];
      excludedNamespaces: string[];
      snapshotVolumes: boolean;
    };
  };
}
interface IConstraintTemplate {
  apiVersion: 'templates.gatekeeper.sh/v1';
  kind: 'ConstraintTemplate';
  metadata: { name: string };
  spec: {
    crd: { spec: { names: { kind: string }; validation: { openAPIV3Schema: Record<string, unknown> } } };
    targets: { target: string; rego: string }[];
  };
}
interface IEnvoyProxy {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1';
  kind: 'EnvoyProxy';
  metadata: { name: string; namespace: string };
  spec: {
    provider: {
      type: string;
      kubernetes: {
        envoyService: {
          type: string;
          externalTrafficPolicy?: string;
          patch: { type: string; value: { spec: { ports: { port: number; nodePort: number }[] } } };
        };
      };
    };
  };
}

/** Kind to the interface its objects are read through. */
export interface Kinds {
  ConfigMap: IConfigMap;
  LimitRange: ILimitRange;
  Namespace: INamespace;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  ResourceQuota: IResourceQuota;
  Secret: ISecret;
  Service: IService;
  ServiceAccount: IServiceAccount;
  Deployment: IDeployment;
  StatefulSet: IStatefulSet;
  DaemonSet: IDaemonSet;
  CronJob: ICronJob;
  Job: IJob;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  PodDisruptionBudget: IPodDisruptionBudget;
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
  ClusterRole: IClusterRole;
  ClusterRoleBinding: IClusterRoleBinding;
  Role: IRole;
  RoleBinding: IRoleBinding;
  ValidatingAdmissionPolicy: IValidatingAdmissionPolicy;
  ValidatingAdmissionPolicyBinding: IValidatingAdmissionPolicyBinding;
  Gateway: IGateway;
  GatewayClass: IGatewayClass;
  HTTPRoute: IHTTPRoute;
  AnalysisTemplate: IAnalysisTemplate;
  Rollout: IRollout;
  Application: IApplication;
  ClusterSecretStore: IClusterSecretStore;
  ExternalSecret: IExternalSecret;
  PrometheusRule: IPrometheusRule;
  ServiceMonitor: IServiceMonitor;
  AlertmanagerConfig: IAlertmanagerConfig;
  PeerAuthentication: IPeerAuthentication;
  ClusterPolicy: IClusterPolicy;
  Certificate: ICertificate;
  ClusterIssuer: IClusterIssuer;
  Issuer: IIssuer;
  HelmRelease: IHelmRelease;
  Kustomization: IKustomization;
  GitRepository: IGitRepository;
  HelmRepository: IHelmRepository;
  VerticalPodAutoscaler: IVerticalPodAutoscaler;
  BackupStorageLocation: IBackupStorageLocation;
  Schedule: ISchedule;
  ConstraintTemplate: IConstraintTemplate;
  EnvoyProxy: IEnvoyProxy;
}

/** A kind the tests read through its interface. */
export type Kind = keyof Kinds;

/** An object of `K` as a test reads it. */
export type Obj<K extends Kind> = Sure<Kinds[K]>;

/** `o` read as a `kind` object; fails the test when it is another kind (or missing). */
export function as<K extends Kind>(o: ManifestObject | undefined, kind: K): Obj<K> {
  expect(o?.kind).toBe(kind);
  return o as unknown as Obj<K>;
}

/** The objects of `kind` among `objects`. */
export function ofKind<K extends Kind>(objects: readonly ManifestObject[], kind: K): Obj<K>[] {
  return objects.filter((o) => o.kind === kind) as unknown as Obj<K>[];
}

/** `T` with every field optional at every depth: what a test may write into an object. */
export type Partial2<T> = T extends readonly (infer U)[]
  ? Partial2<U>[]
  : T extends object
    ? { [K in keyof T]?: Partial2<T[K]> }
    : T;

/** Sets `o[key]` to a value with only some of its fields (objects built or broken on purpose in a test). */
export function put<T extends object, K extends keyof T>(o: T, key: K, value: Partial2<T[K]>): void {
  Reflect.set(o, key, value);
}

/** Removes fields from an object (to break it on purpose in a test). */
export function drop<T extends object>(o: T, ...keys: (keyof T)[]): void {
  for (const k of keys) Reflect.deleteProperty(o, k);
}

/** The first object of `kind` among `objects` (fails the test when there is none). */
export function first<K extends Kind>(objects: readonly ManifestObject[], kind: K): Obj<K> {
  return as(
    objects.find((o) => o.kind === kind),
    kind,
  );
}

/** The object named `name` among typed objects (fails the test when there is none). */
export function named<T extends { metadata: { name: string } }>(objects: readonly T[], name: string): T {
  const found = objects.find((o) => o.metadata.name === name);
  expect(found?.metadata.name).toBe(name);
  return found as T;
}
