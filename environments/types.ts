/** Typed environment data. Constructs never branch on an environment name: they get these values. */
import type { GitOpsTarget, PlatformAddonsProps } from '../constructs';

export type EnvironmentName = 'kind' | 'dev' | 'staging' | 'prod';
export type ClusterProvider = 'kind' | 'eks' | 'gke' | 'aks';

/** Replica policy of a web tier. */
export interface ScalingProfile {
  /** Lowest replica count. */
  readonly minReplicas: number;
  /** Highest replica count (equal to min disables growth but keeps the HPA). */
  readonly maxReplicas: number;
}

/** One environment: the cluster it targets and the concrete values stacks pass to constructs. */
export interface Environment {
  /** Environment name; also the Pulumi stack name and the `environment` label value. */
  readonly name: EnvironmentName;
  /** Target cluster. */
  readonly cluster: {
    /** Where the cluster runs. */
    readonly provider: ClusterProvider;
    /** kubeconfig context the Pulumi provider uses. */
    readonly kubeContext: string;
    /** Cloud region (not for kind). */
    readonly region?: string;
  };
  /** Base DNS domain; apps get `<app>.<domain>`. */
  readonly domain: string;
  /** Ingress controller the Ingresses target. */
  readonly ingress: {
    /** IngressClass name. */
    readonly className: string;
    /** Namespace of the controller Pods (admitted by NetworkPolicies). */
    readonly controllerNamespace: string;
  };
  /** Gateway API Gateway for HTTPRoutes; absent where the environment has none. */
  readonly gateway?: {
    readonly name: string;
    readonly namespace: string;
  };
  /** cert-manager ClusterIssuer that signs app certificates. */
  readonly clusterIssuer: string;
  /** External Secrets ClusterSecretStore apps read from. */
  readonly secretStore: string;
  /** Tag of the demo app images deployed here. */
  readonly appVersion: string;
  /** Scaling of web tiers. */
  readonly web: ScalingProfile;
  /** Replicas of background workers. */
  readonly workerReplicas: number;
  /** Storage class for stateful services (undefined: the cluster default). */
  readonly storageClassName?: string;
  /** Labels on every object, including `environment`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Most the add-ons may request in total (synth fails above it); absent: no budget. */
  readonly addonBudget?: { readonly cpuCores: number; readonly memoryGiB: number };
  /** The week-1 add-ons of this environment. */
  readonly addons: PlatformAddonsProps;
  /** Where the GitOps engine reads the synthesized add-on YAML. */
  readonly gitops: GitOpsTarget;
}
