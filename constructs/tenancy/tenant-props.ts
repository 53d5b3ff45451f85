/**
 * What a {@link Tenant} is given: the props, each with its default. Resolved once by
 * `resolveTenant` (tenant-spec.ts), rendered by `renderTenant` (tenant-render.ts).
 */
import type { PodSecurityLevel } from '../internal/labels';
import type { PlatformContract } from '../platform/contract';
import type { Delegation } from '../rbac/rbac-rules';

/** One namespace of a tenant. */
export interface TenantNamespaceProps {
  /** Namespace name (DNS-1123 label, at most 63 characters). */
  readonly name: string;
  /**
   * Pod Security admission level (enforce, audit and warn).
   * @default 'restricted'
   */
  readonly podSecurity?: Exclude<PodSecurityLevel, 'privileged'>;
}

/** ResourceQuota of each tenant namespace. */
export interface TenantQuotaProps {
  /** CPU requests in total. @default '4' */
  readonly cpu?: string;
  /** Memory requests in total. @default '8Gi' */
  readonly memory?: string;
  /** Memory limits in total. @default - twice `memory` */
  readonly memoryLimit?: string;
  /** Ephemeral storage (container writable layers, logs, emptyDirs) requested in total. @default '20Gi' */
  readonly ephemeralStorage?: string;
  /** Ephemeral storage limits in total. @default '40Gi' */
  readonly ephemeralStorageLimit?: string;
  /** Pods. @default 50 */
  readonly pods?: number;
  /** Services. @default 20 */
  readonly services?: number;
  /** ConfigMaps (kube-root-ca.crt counts). @default 50 */
  readonly configMaps?: number;
  /** Secrets (each ExternalSecret makes one). @default 50 */
  readonly secrets?: number;
  /** PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Storage requested by claims in total. @default '100Gi' */
  readonly storage?: string;
  /** Services of type LoadBalancer (exposure goes through the platform's Gateway). @default 0 */
  readonly loadBalancers?: number;
  /** Services of type NodePort. @default 0 */
  readonly nodePorts?: number;
}

/** LimitRange defaults for containers that set no resources. */
export interface TenantLimitsProps {
  /** Default CPU request. @default '100m' */
  readonly cpuRequest?: string;
  /** Default memory request. @default '128Mi' */
  readonly memoryRequest?: string;
  /** Default CPU limit. @default '1' */
  readonly cpuLimit?: string;
  /** Default memory limit. @default '256Mi' */
  readonly memoryLimit?: string;
  /** Default ephemeral storage request. @default '100Mi' */
  readonly ephemeralStorageRequest?: string;
  /** Default ephemeral storage limit. @default '1Gi' */
  readonly ephemeralStorageLimit?: string;
}

/** Network isolation beyond the defaults (deny all, DNS, gateway, monitoring). */
export interface TenantNetworkProps {
  /**
   * Let every Pod of a namespace reach every other one. Off, each workload's own NetworkPolicy
   * names its peers (`allowFrom`, `egress.allowTo`), so one compromised Pod does not reach them all.
   * @default false
   */
  readonly sameNamespace?: boolean;
  /**
   * Container ports (names or numbers) the platform's Prometheus may scrape on every Pod.
   * @default ['metrics', 'http-metrics']
   */
  readonly metricsPorts?: readonly (string | number)[];
  /**
   * Admit the platform Gateway's proxies (from where they actually run).
   * @default true when the platform has a Gateway
   */
  readonly fromGateway?: boolean;
  /**
   * Admit the platform's Prometheus.
   * @default true when the platform has monitoring
   */
  readonly fromMonitoring?: boolean;
  /**
   * Namespaces the tenant's Pods may connect to.
   * @default - none
   */
  readonly egressToNamespaces?: readonly string[];
  /**
   * IP ranges the tenant's Pods may connect to (CIDR); the cloud metadata endpoint is always cut out.
   * @default - none
   */
  readonly egressToCidrs?: readonly string[];
}

/** Groups bound to the tenant's namespaced roles. */
export interface TenantAccessProps {
  /** Namespace admins (everything but quotas, isolation and RBAC escalation). @default - none */
  readonly admins?: readonly string[];
  /**
   * Editors: workloads and config (`ROLE_PRESETS.editWorkloads`): no Secret API, no exec, no RBAC,
   * quota or isolation changes. Not secrecy: whoever may create Pods in a namespace can mount, and
   * so read, every Secret in it. @default - none
   */
  readonly editors?: readonly string[];
  /** Viewers (read, no Secrets). @default - none */
  readonly viewers?: readonly string[];
  /**
   * Kinds editors and the CI deployer may also write: `externalSecrets` (an ExternalSecret copies
   * any entry of the tenant's secret store into a Secret) and `analysis` (AnalysisTemplates, held
   * by the tenant's admission policy to the platform's Prometheus). Without them, the platform's
   * GitOps applies those kinds.
   * @default - neither
   */
  readonly delegate?: readonly Delegation[];
}

/** The tenant's own alert receiver. */
export interface TenantAlertsProps {
  /** What receives the alerts: a Slack incoming webhook, a generic webhook, or PagerDuty (Events API v2). */
  readonly receiver: 'slack' | 'webhook' | 'pagerduty';
  /**
   * Entry of the tenant's secret store holding the Slack or webhook URL (property `url`) or the
   * PagerDuty routing key (property `routingKey`): the entry's name, never the URL or key itself.
   */
  readonly secretStoreEntry: string;
}

/** Props of {@link Tenant}. */
export interface TenantProps {
  /** Team name: the `groundwork.io/tenant` label and the prefix of its secret store. */
  readonly name: string;
  /** Value of the required `environment` label. */
  readonly environment: string;
  /** The tenant's namespaces (at least one). */
  readonly namespaces: readonly TenantNamespaceProps[];
  /** What the platform provides: where the Gateway's proxies, Prometheus and the mesh run, the secret backend. */
  readonly platform: PlatformContract;
  /**
   * Quota per namespace.
   * @default - 4 CPUs and 8Gi requested, 50 Pods, 20 Services, 10 claims / 100Gi, no LoadBalancers or NodePorts
   */
  readonly quota?: TenantQuotaProps;
  /**
   * Container defaults per namespace.
   * @default - 100m/128Mi requested, 1 CPU/256Mi limits, 100Mi/1Gi ephemeral storage
   */
  readonly limits?: TenantLimitsProps;
  /**
   * Network isolation.
   * @default - deny all but DNS, the Gateway's proxies and Prometheus (on the metrics ports); no traffic within a namespace
   */
  readonly network?: TenantNetworkProps;
  /**
   * Join the platform's service mesh (sidecar injection; with Istio, STRICT mutual TLS). STRICT
   * refuses plaintext: callers outside the mesh (a Gateway whose proxies are not meshed,
   * Prometheus without mesh certificates) can no longer reach the tenant's Pods.
   * @default false
   */
  readonly mesh?: boolean;
  /**
   * Groups bound to the tenant's roles.
   * @default - no human access
   */
  readonly access?: TenantAccessProps;
  /**
   * A `ci-deployer` ServiceAccount per namespace with the deployer role (apply workloads, nothing else).
   * @default true
   */
  readonly ciDeployer?: boolean;
  /**
   * The tenant's own ClusterSecretStore, usable only from its namespaces and reaching only its
   * secrets: on the Kubernetes backend the namespace `<backend namespace>-<tenant>`; on AWS
   * Secrets Manager through `roleArn`, an IAM role limited to the tenant's secrets.
   * @default - a store on the platform's backend (AWS needs `roleArn`)
   */
  readonly secretStore?:
    | {
        /**
         * IAM role limited to the tenant's secrets (AWS Secrets Manager).
         * @default - none: needed on AWS, unused on the Kubernetes backend
         */
        readonly roleArn?: string;
      }
    | false;
  /**
   * Hostnames the tenant owns (exact names or `*.` wildcards): its routes, Ingresses and
   * Certificates may name only these, enforced at admission by a ValidatingAdmissionPolicy on its
   * namespaces, and no other tenant may own an overlapping name. The shared Gateway's whole
   * wildcard and the platform's own hosts are never a tenant's. The shared Gateway's certificate is
   * for `*.<domain>` (one label): names two labels down need a certificate of their own.
   * @default - `*.<name>.<domain>`, the domain read from the platform's default Gateway (none without one)
   */
  readonly hostnames?: readonly string[];
  /**
   * Route the alerts of the tenant's namespaces to its own receiver as well (an AlertmanagerConfig
   * and an ExternalSecret per namespace; needs the platform's monitoring and the tenant's secret store).
   * @default - the tenant's alerts go to the platform's receivers only
   */
  readonly alerts?: TenantAlertsProps;
  /**
   * Extra labels on every object.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}
