import {
  type AppsBuilder,
  CLUSTER_ISSUERS,
  type Environment,
  type EnvironmentDefinition,
  type GitOpsProfile,
  type PlatformAddonsProps,
} from '../constructs';
import { APP_VERSION, baseLabels, gitopsTarget } from './base';

/** Node ports of the Gateway's proxies; `environments/kind/cluster.yaml` maps host ports 80/443 to them. */
export const KIND_GATEWAY_NODE_PORTS = { http: 30080, https: 30443 } as const;

/** The GitOps engine of kind, stated once: the add-on profile installs it and the GitOps target applies through it. */
const KIND_GITOPS: GitOpsProfile = { engine: 'argo-cd', argoCd: { size: { cpu: '50m', memory: '192Mi' } } };

/** What kind's cluster config and scripts make true (environments/kind/cluster.yaml, scripts/kind-up.sh). */
const KIND_PREREQUISITES: Environment['prerequisites'] = [
  {
    id: 'network-policy',
    description: 'the CNI enforces NetworkPolicies',
    metBy: 'kindnetd, kind >= v0.24.0 (scripts/kind-up.sh checks the version)',
  },
  {
    id: 'storage-class',
    description: "default StorageClass 'standard' for PersistentVolumeClaims",
    metBy: "kind's local-path-provisioner",
  },
  {
    id: 'ingress-ports',
    description: `host ports 80/443 reach the Gateway (node ports ${KIND_GATEWAY_NODE_PORTS.http}/${KIND_GATEWAY_NODE_PORTS.https})`,
    metBy: 'environments/kind/cluster.yaml extraPortMappings',
  },
];

/** kind's add-on profile: every add-on sized for a laptop, the Gateway on the node ports cluster.yaml maps. */
function kindAddons(domain: string): PlatformAddonsProps {
  return {
    // kind ships local-path-provisioner (StorageClass `standard`, helper Pods in local-path-storage)
    cluster: {
      storageClasses: [{ name: 'standard', default: true }],
      systemNamespaces: ['kube-system', 'local-path-storage'],
    },
    nodes: 3,
    ingress: {
      envoyGateway: {
        default: true,
        service: {
          type: 'NodePort',
          httpNodePort: KIND_GATEWAY_NODE_PORTS.http,
          httpsNodePort: KIND_GATEWAY_NODE_PORTS.https,
        },
        gateway: {
          name: 'public',
          namespace: 'gateway-system',
          httpsHostname: `*.${domain}`,
          clusterIssuer: CLUSTER_ISSUERS.selfSignedCa,
        },
        size: { cpu: '50m', memory: '128Mi' },
      },
      ingressNginx: false,
    },
    certManager: { selfSignedCa: true, size: { cpu: '25m', memory: '96Mi' } },
    externalDns: false,
    gitops: KIND_GITOPS,
    mesh: false,
    backup: false,
    policy: { engine: 'kyverno', settings: { enforce: true, size: { cpu: '50m', memory: '192Mi' } } },
    monitoring: {
      retention: '2d',
      sizes: {
        prometheus: { cpu: '100m', memory: '384Mi' },
        alertmanager: { cpu: '10m', memory: '48Mi' },
        grafana: { cpu: '25m', memory: '128Mi' },
      },
    },
    logs: { storage: { type: 'filesystem' }, retention: '48h', size: { cpu: '50m', memory: '192Mi' } },
    tracing: { size: { cpu: '25m', memory: '96Mi' } },
    tracingBackend: { storage: { type: 'memory', maxTraces: 20000 }, size: { cpu: '25m', memory: '128Mi' } },
    verticalPodAutoscaler: { size: { cpu: '25m', memory: '64Mi' } },
    // no node groups to scale on kind (and GKE/AKS scale node pools themselves)
    clusterAutoscaler: false,
    metricsServer: { kubeletInsecureTls: true },
    telepresence: false,
    // no canary traffic plugin on kind: it is a per-architecture binary the controller downloads
    rollouts: { size: { cpu: '25m', memory: '96Mi' }, gatewayApiPlugin: false },
    externalSecrets: {
      storeName: 'platform-secrets',
      backend: { provider: 'kubernetes', namespace: 'platform-secrets' },
    },
  };
}

/** What a team chooses for its kind environment. */
export interface KindOptions {
  /**
   * The apps the environment runs (the definition's `apps`).
   * @default - none: add-ons only
   */
  readonly apps?: readonly AppsBuilder[];
}

/**
 * Local cluster created from `environments/kind/cluster.yaml` (1 control plane + 2 workers); no
 * cloud, no public DNS. Add-on requests are sized to fit a laptop (checked: <= 4 CPU, <= 8 GiB).
 * Needs only the kube context and domain, both set to working values in `Pulumi.kind.yaml`.
 */
export function kindEnvironment(options: KindOptions = {}): EnvironmentDefinition {
  return {
    name: 'kind',
    requires: ['kubeContext', 'domain'],
    ...(options.apps !== undefined ? { apps: options.apps } : {}),
    build: (c, stack) => {
      const domain = c.value('domain');
      return {
        name: 'kind',
        stack,
        cluster: {
          provider: 'kind',
          kubeContext: c.value('kubeContext'),
          ...(c.config.kubeconfig ? { kubeconfig: c.config.kubeconfig } : {}),
        },
        domain,
        appVersion: APP_VERSION,
        demo: c.config.demo !== 'false',
        web: { minReplicas: 1, maxReplicas: 2 },
        workerReplicas: 1,
        labels: baseLabels('kind'),
        addonBudget: { cpuCores: 4, memoryGiB: 8 },
        gitops: gitopsTarget(KIND_GITOPS.engine, c.config),
        prerequisites: KIND_PREREQUISITES,
        addons: kindAddons(domain),
        tlsIssuer: CLUSTER_ISSUERS.selfSignedCa,
      };
    },
  };
}
