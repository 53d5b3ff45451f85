import { ApiObject, type ApiObjectProps } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { MANAGED_BY, type PodSecurityLevel, podSecurityLabels, POD_SECURITY_VERSION, TENANT_LABEL } from '../internal/labels';
import * as rules from '../internal/rules';
import { listOf, objectSpec, PropsValidator, type PropShapes } from '../internal/validator';
import { PlatformContract, type TrafficSource } from '../platform/contract';
import { AccessBinding } from '../rbac/access-binding';
import { AccessRole } from '../rbac/access-role';
import { DELEGABLE_RESOURCES, type Delegation, ROLE_PRESETS } from '../rbac/rbac-rules';
import { claimHostnames, hostnameProblems, resolveTenantHostnames } from './tenant-hostnames';
import { renderTenantAdmission } from './tenant-admission';
import { quotaProblems, type ResolvedQuota } from './quota-check';
import { claimNamespaces, reservedNamespace } from './namespace-claims';
import type { ManifestObject } from '../policy/check-manifests';

export { TENANT_LABEL } from '../internal/labels';
/** The cloud metadata endpoint: tenant egress never reaches it (node credentials live there). */
export const METADATA_CIDR = '169.254.169.254/32';
export { POD_SECURITY_VERSION } from '../internal/labels';

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
   * @default - 100m/128Mi requested, 1 CPU/256Mi limits
   */
  readonly limits?: TenantLimitsProps;
  /**
   * Network isolation.
   * @default - deny all but DNS, same namespace, the Gateway's proxies and Prometheus
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
  readonly secretStore?: { readonly roleArn?: string } | false;
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
   * Extra labels on every object.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;
type Labels = Record<string, string>;

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_TENANT_PROPS: PropShapes<TenantProps> = {
  name: 'string',
  environment: 'string',
  namespaces: listOf<TenantNamespaceProps>({ name: 'string', podSecurity: 'string' }, ['name']),
  platform: 'object',
  quota: objectSpec<TenantQuotaProps>({
    cpu: 'string',
    memory: 'string',
    memoryLimit: 'string',
    ephemeralStorage: 'string',
    ephemeralStorageLimit: 'string',
    pods: 'number',
    services: 'number',
    configMaps: 'number',
    secrets: 'number',
    persistentVolumeClaims: 'number',
    storage: 'string',
    loadBalancers: 'number',
    nodePorts: 'number',
  }),
  limits: objectSpec<TenantLimitsProps>({
    cpuRequest: 'string',
    memoryRequest: 'string',
    cpuLimit: 'string',
    memoryLimit: 'string',
    ephemeralStorageRequest: 'string',
    ephemeralStorageLimit: 'string',
  }),
  network: objectSpec<TenantNetworkProps>({
    sameNamespace: 'boolean',
    metricsPorts: 'ports',
    fromGateway: 'boolean',
    fromMonitoring: 'boolean',
    egressToNamespaces: 'strings',
    egressToCidrs: 'strings',
  }),
  mesh: 'boolean',
  access: objectSpec<TenantAccessProps>({ admins: 'strings', editors: 'strings', viewers: 'strings', delegate: 'strings' }),
  ciDeployer: 'boolean',
  hostnames: 'strings',
  secretStore: [objectSpec<{ roleArn?: string }>({ roleArn: 'string' }), 'false'],
  labels: 'string-map',
};

/**
 * One team's slice of the cluster: per namespace a Namespace with Pod Security admission labels
 * (pinned version), a ResourceQuota (no LoadBalancers or NodePorts by default), a LimitRange,
 * default-deny NetworkPolicies with explicit allows (DNS, same namespace, the Gateway's proxies and
 * Prometheus from where they run, named egress; never the cloud metadata endpoint), Roles bound
 * to the team's groups, a CI deployer ServiceAccount, mesh membership, and a secret store only
 * the tenant can use. The quota is checked against the workloads placed in its namespaces.
 *
 * Role ids: `Namespace-<ns>`, `Quota-<ns>`, `Limits-<ns>`, `Net-<ns>`, `Rbac-<ns>`, `SecretStore`, `ValidatingAdmissionPolicy`, `ValidatingAdmissionPolicyBinding`.
 */
export class Tenant extends Construct {
  public readonly name: string;
  /** Namespace names, in declaration order. */
  public readonly namespaces: readonly string[];
  /** Name of the tenant's ClusterSecretStore (undefined when opted out). */
  public readonly secretStoreName?: string;
  /** Hostnames the tenant owns (its routes, Ingresses and Certificates may name only these). */
  public readonly hostnames: readonly string[];

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const v = new PropsValidator('Tenant', this);
    v.knownProps(props, KNOWN_TENANT_PROPS);
    // JavaScript callers: anything but the contract (a plain object, a copy) has none of its lookups
    if (!(props.platform instanceof PlatformContract)) v.failType('platform', props.platform, 'must be the PlatformContract of platformAddons(...).contract');
    v.throwIfInvalid();
    this.name = props.name;
    v.check('name', props.name, rules.dns1123Label);
    v.check('environment', props.environment, rules.labelValue);
    if (props.namespaces.length === 0) v.fail('namespaces', [], 'must list at least one namespace');
    const names = props.namespaces.map((n) => n.name);
    props.namespaces.forEach((n, i) => {
      v.check(`namespaces[${i}].name`, n.name, rules.dns1123Label);
      const reserved = rules.dns1123Label(n.name) === undefined ? reservedNamespace(n.name, props.platform) : undefined;
      if (reserved !== undefined) v.fail(`namespaces[${i}].name`, n.name, reserved);
      if (n.podSecurity !== undefined && n.podSecurity !== 'restricted' && n.podSecurity !== 'baseline')
        v.fail(`namespaces[${i}].podSecurity`, n.podSecurity, 'must be "restricted" or "baseline" (tenants never run privileged)');
    });
    v.check('namespaces (names)', names, rules.unique<string>('namespace names'));
    const claim = claimNamespaces(v, this, 'Tenant', names, (i) => `namespaces[${i}].name`);
    const quota = resolveQuota(v, props.quota ?? {});
    const limits = {
      cpuRequest: '100m',
      memoryRequest: '128Mi',
      cpuLimit: '1',
      memoryLimit: '256Mi',
      ephemeralStorageRequest: '100Mi',
      ephemeralStorageLimit: '1Gi',
      ...props.limits,
    };
    v.check('limits.cpuRequest', limits.cpuRequest, rules.cpuQuantity);
    v.check('limits.cpuLimit', limits.cpuLimit, rules.cpuQuantity);
    v.check('limits.memoryRequest', limits.memoryRequest, rules.bytesQuantity);
    v.check('limits.memoryLimit', limits.memoryLimit, rules.bytesQuantity);
    v.check('limits.cpuRequest', limits.cpuRequest, (q) => rules.requestWithinLimit(q, limits.cpuLimit));
    v.check('limits.memoryRequest', limits.memoryRequest, (q) => rules.requestWithinLimit(q, limits.memoryLimit));
    v.check('limits.ephemeralStorageRequest', limits.ephemeralStorageRequest, rules.bytesQuantity);
    v.check('limits.ephemeralStorageLimit', limits.ephemeralStorageLimit, rules.bytesQuantity);
    v.check('limits.ephemeralStorageRequest', limits.ephemeralStorageRequest, (q) => rules.requestWithinLimit(q, limits.ephemeralStorageLimit));
    const net = props.network ?? {};
    (net.egressToNamespaces ?? []).forEach((n, i) => v.check(`network.egressToNamespaces[${i}]`, n, rules.dns1123Label));
    (net.metricsPorts ?? []).forEach((p, i) =>
      typeof p === 'number' ? v.check(`network.metricsPorts[${i}]`, p, rules.port) : v.check(`network.metricsPorts[${i}]`, p, rules.portName),
    );
    if (net.metricsPorts?.length === 0) v.fail('network.metricsPorts', [], 'must list at least one port (or set fromMonitoring: false)');
    (net.egressToCidrs ?? []).forEach((c, i) => {
      v.check(`network.egressToCidrs[${i}]`, c, rules.cidr);
      if (rules.cidr(c) === undefined && rules.cidrContains(c, '169.254.169.254') && c.endsWith('/32')) {
        v.fail(`network.egressToCidrs[${i}]`, c, 'is the cloud metadata endpoint, which tenants never reach (it hands out node credentials)');
      }
    });
    const platform = props.platform;
    const mesh = props.mesh ? platform.mesh?.value : undefined;
    if (props.mesh && mesh === undefined) v.fail('mesh', true, 'needs a service mesh in the platform (enable mesh in the add-on profile)');
    if (mesh !== undefined && !mesh.cni) {
      v.fail(
        'mesh',
        true,
        `needs the ${mesh.engine} CNI plugin: without it injected Pods run an init container with NET_ADMIN, which Pod Security "restricted" and "baseline" refuse`,
      );
    }
    const store = props.secretStore === false ? undefined : this.storeFor(v, props, platform);
    const hostnames = resolveTenantHostnames(v, props.name, props.hostnames, platform);
    const claimNames = claimHostnames(v, this, hostnames);
    const { delegate = [], ...groups } = props.access ?? {};
    delegate.forEach((d, i) => {
      if (!Object.prototype.hasOwnProperty.call(DELEGABLE_RESOURCES, d))
        v.fail(`access.delegate[${i}]`, d, `must be one of ${Object.keys(DELEGABLE_RESOURCES).join(', ')}`);
    });
    for (const [group, list] of Object.entries<readonly string[] | undefined>(groups)) {
      (list ?? []).forEach((g, i) => {
        if (!g) v.fail(`access.${group}[${i}]`, g, 'must name a group');
      });
    }
    v.throwIfInvalid();
    claim();
    claimNames();
    this.namespaces = names;
    this.secretStoreName = store?.metadata?.name;
    this.hostnames = hostnames;

    const labels: Labels = { ...props.labels, environment: props.environment, [TENANT_LABEL]: props.name };
    for (const ns of props.namespaces) {
      this.addNamespace(ns, labels, mesh?.engine);
      this.addQuota(ns.name, labels, quota, limits);
      this.addNetworkPolicies(ns.name, labels, props, mesh?.namespace);
      this.addAccess(ns.name, labels, props);
      if (mesh?.engine === 'istio') {
        new KubeObject(this, `PeerAuthentication-${ns.name}`, {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: ns.name, labels: { ...labels, ...MANAGED_BY } },
          spec: { mtls: { mode: 'STRICT' } },
        });
      }
    }
    if (store) {
      new KubeObject(this, 'SecretStore', store);
      const remote = (store.spec as { provider: { kubernetes?: { remoteNamespace: string } } }).provider.kubernetes?.remoteNamespace;
      // on the Kubernetes backend the tenant's secrets live in a namespace of their own: Secrets only, no Pods
      if (remote !== undefined) {
        new KubeObject(this, 'SecretsNamespace', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: remote,
            labels: {
              ...labels,
              ...MANAGED_BY,
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
            },
          },
        });
      }
    }
    const admission = renderTenantAdmission({
      tenant: props.name,
      namespaceLabel: [TENANT_LABEL, props.name],
      hostnames,
      certificateController: platform.certificates?.value.controller,
      prometheusUrl: platform.monitoring?.value.prometheusUrl,
      labels: { ...props.labels, environment: props.environment, [TENANT_LABEL]: props.name },
    });
    admission.forEach((o) => new KubeObject(this, o.kind, o));
    this.node.addValidation({
      // every object in the tree, whichever chart placed it in the tenant's namespaces: read once for both checks
      validate: () => {
        const placed = objectsIn(this.node.root, this.namespaces);
        const prefix = `Tenant '${this.node.path}'`;
        return [...quotaProblems(placed, this.namespaces, quota, prefix), ...hostnameProblems(placed, hostnames, prefix)];
      },
    });
  }

  /** The tenant's ClusterSecretStore on the platform's backend, usable only from its namespaces. */
  private storeFor(v: PropsValidator, props: TenantProps, platform: PlatformContract): ApiObjectProps | undefined {
    const shared = platform.secretStoreBackends[0]?.value;
    if (shared === undefined) {
      v.fail('secretStore', 'default', 'needs a secret store in the platform (enable externalSecrets) or secretStore: false');
      return undefined;
    }
    const roleArn = props.secretStore ? props.secretStore.roleArn : undefined;
    const p = shared.provider as { kubernetes?: Json & { remoteNamespace?: string }; aws?: Json };
    let provider: Json;
    if (p.kubernetes) {
      // same auth as the platform store: the operator's ServiceAccount, which the external-secrets chart
      // (helm-chart-0.20.4 and 2.9.0 templates/rbac.yaml, cluster scope by default) lets read Secrets in any namespace
      const remoteNamespace = `${p.kubernetes.remoteNamespace}-${props.name}`;
      // the tenant's secrets namespace is named after it: a name the API server refuses there is refused here
      const problem = rules.dns1123Label(remoteNamespace);
      if (problem !== undefined) v.fail('name', props.name, `derives the secrets namespace "${remoteNamespace}", which ${problem}: shorten the name`);
      provider = { kubernetes: { ...p.kubernetes, remoteNamespace } };
    } else if (p.aws) {
      if (!roleArn) {
        v.fail('secretStore.roleArn', roleArn, "must name the IAM role limited to the tenant's secrets (the shared store's role reaches every secret)");
        return undefined;
      }
      provider = { aws: { ...p.aws, role: roleArn } };
    } else {
      v.fail(
        'secretStore',
        Object.keys(shared.provider)[0],
        'has no tenant scoping for this backend yet: use secretStore: false and a SecretStore of your own',
      );
      return undefined;
    }
    return {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: `tenant-${props.name}`, labels: { environment: props.environment, [TENANT_LABEL]: props.name, ...MANAGED_BY } },
      // external-secrets.io/v1 ClusterSecretStore spec.conditions[].namespaces (apis/externalsecrets/v1/
      // secretstore_types.go ClusterSecretStoreCondition, helm-chart-0.20.4, still in 2.9.0): only these namespaces may use it
      spec: { provider, conditions: [{ namespaces: props.namespaces.map((n) => n.name) }] },
    };
  }

  private addNamespace(ns: TenantNamespaceProps, labels: Labels, mesh: 'istio' | 'linkerd' | undefined): void {
    const psa = podSecurityLabels(ns.podSecurity ?? 'restricted');
    new KubeObject(this, `Namespace-${ns.name}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns.name,
        labels: { ...labels, ...MANAGED_BY, ...psa, ...(mesh === 'istio' ? { 'istio-injection': 'enabled' } : {}) },
        ...(mesh === 'linkerd' ? { annotations: { 'linkerd.io/inject': 'enabled' } } : {}),
      },
    });
  }

  private addQuota(ns: string, labels: Labels, quota: ResolvedQuota, limits: Required<TenantLimitsProps>): void {
    const meta = (name: string): Json => ({ name, namespace: ns, labels: { ...labels, ...MANAGED_BY } });
    new KubeObject(this, `Quota-${ns}`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('tenant-quota'),
      spec: {
        hard: {
          'requests.cpu': quota.cpu,
          'requests.memory': quota.memory,
          'limits.memory': quota.memoryLimit,
          'requests.ephemeral-storage': quota.ephemeralStorage,
          'limits.ephemeral-storage': quota.ephemeralStorageLimit,
          pods: String(quota.pods),
          services: String(quota.services),
          configmaps: String(quota.configMaps),
          secrets: String(quota.secrets),
          persistentvolumeclaims: String(quota.persistentVolumeClaims),
          'requests.storage': quota.storage,
          'services.loadbalancers': String(quota.loadBalancers),
          'services.nodeports': String(quota.nodePorts),
        },
      },
    });
    new KubeObject(this, `Limits-${ns}`, {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('tenant-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            // the quota covers ephemeral storage: a container that sets none gets these (else it is refused)
            defaultRequest: { cpu: limits.cpuRequest, memory: limits.memoryRequest, 'ephemeral-storage': limits.ephemeralStorageRequest },
            default: { cpu: limits.cpuLimit, memory: limits.memoryLimit, 'ephemeral-storage': limits.ephemeralStorageLimit },
          },
        ],
      },
    });
  }

  private addNetworkPolicies(ns: string, labels: Labels, props: TenantProps, meshNamespace: string | undefined): void {
    const net = props.network ?? {};
    const policy = (name: string, spec: Json): void => {
      new KubeObject(this, `Net-${ns}-${name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: ns, labels: { ...labels, ...MANAGED_BY } },
        spec: { podSelector: {}, ...spec },
      });
    };
    const nsPeer = (name: string): Json => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    const source = (s: TrafficSource): Json => ({ ...nsPeer(s.namespace), ...(s.podLabels ? { podSelector: { matchLabels: { ...s.podLabels } } } : {}) });
    policy('default-deny', { policyTypes: ['Ingress', 'Egress'] });
    // CoreDNS Pods carry k8s-app=kube-dns on kubeadm (kind) and EKS alike
    policy('allow-dns', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ...nsPeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
    if (net.sameNamespace === true)
      policy('allow-same-namespace', {
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      });
    const gateway = props.platform.defaultGateway();
    if (gateway !== undefined && net.fromGateway !== false)
      policy('allow-from-gateway', { policyTypes: ['Ingress'], ingress: [{ from: [source(gateway.proxies)] }] });
    const monitoring = props.platform.monitoring?.value;
    if (monitoring !== undefined && net.fromMonitoring !== false)
      // Prometheus's Pods, on the metrics ports only (not every port of every Pod)
      policy('allow-from-monitoring', {
        policyTypes: ['Ingress'],
        ingress: [
          { from: [source(monitoring.prometheus)], ports: (net.metricsPorts ?? ['metrics', 'http-metrics']).map((port) => ({ port, protocol: 'TCP' })) },
        ],
      });
    if (meshNamespace !== undefined) policy('allow-mesh-control-plane', { policyTypes: ['Egress'], egress: [{ to: [nsPeer(meshNamespace)] }] });
    const to = [
      ...(net.egressToNamespaces ?? []).map(nsPeer),
      ...(net.egressToCidrs ?? []).map((cidr) => ({ ipBlock: { cidr, ...(rules.cidrContains(cidr, '169.254.169.254') ? { except: [METADATA_CIDR] } : {}) } })),
    ];
    if (to.length > 0) policy('allow-egress', { policyTypes: ['Egress'], egress: [{ to }] });
  }

  private addAccess(ns: string, labels: Labels, props: TenantProps): void {
    const scope = new Construct(this, `Rbac-${ns}`);
    const access = props.access ?? {};
    const presets = [
      ['admins', 'tenant-admin', ROLE_PRESETS.namespaceAdmin()],
      ['editors', 'tenant-edit', ROLE_PRESETS.editWorkloads(access.delegate)],
      ['viewers', 'tenant-view', ROLE_PRESETS.view()],
    ] as const;
    for (const [group, name, grants] of presets) {
      const groups = access[group] ?? [];
      if (groups.length === 0) continue;
      const role = new AccessRole(scope, name, { namespace: ns, rules: grants, labels });
      new AccessBinding(scope, `${name}-binding`, { name, namespace: ns, role, subjects: groups.map((g) => ({ kind: 'Group' as const, name: g })), labels });
    }
    if (props.ciDeployer ?? true) {
      new KubeObject(scope, 'CiServiceAccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'ci-deployer', namespace: ns, labels: { ...labels, ...MANAGED_BY } },
        automountServiceAccountToken: false,
      });
      const role = new AccessRole(scope, 'tenant-deployer', { namespace: ns, rules: ROLE_PRESETS.deployer(access.delegate), labels });
      new AccessBinding(scope, 'tenant-deployer-binding', {
        name: 'tenant-deployer',
        namespace: ns,
        role,
        subjects: [{ kind: 'ServiceAccount', name: 'ci-deployer' }],
        labels,
      });
    }
  }
}

function resolveQuota(v: PropsValidator, q: TenantQuotaProps): ResolvedQuota {
  const memory = q.memory ?? '8Gi';
  const memBytes = rules.parseQuantity(memory);
  const out: ResolvedQuota = {
    cpu: q.cpu ?? '4',
    memory,
    memoryLimit: q.memoryLimit ?? (memBytes !== undefined ? `${Math.ceil((memBytes * 2) / 2 ** 20)}Mi` : memory),
    ephemeralStorage: q.ephemeralStorage ?? '20Gi',
    ephemeralStorageLimit: q.ephemeralStorageLimit ?? '40Gi',
    pods: q.pods ?? 50,
    services: q.services ?? 20,
    configMaps: q.configMaps ?? 50,
    secrets: q.secrets ?? 50,
    persistentVolumeClaims: q.persistentVolumeClaims ?? 10,
    storage: q.storage ?? '100Gi',
    loadBalancers: q.loadBalancers ?? 0,
    nodePorts: q.nodePorts ?? 0,
  };
  v.check('quota.cpu', out.cpu, rules.cpuQuantity);
  v.check('quota.memory', out.memory, rules.bytesQuantity);
  v.check('quota.memoryLimit', out.memoryLimit, rules.bytesQuantity);
  v.check('quota.memory', out.memory, (m) => rules.requestWithinLimit(m, out.memoryLimit));
  v.check('quota.storage', out.storage, rules.bytesQuantity);
  v.check('quota.ephemeralStorage', out.ephemeralStorage, rules.bytesQuantity);
  v.check('quota.ephemeralStorageLimit', out.ephemeralStorageLimit, rules.bytesQuantity);
  v.check('quota.ephemeralStorage', out.ephemeralStorage, (m) => rules.requestWithinLimit(m, out.ephemeralStorageLimit));
  for (const key of ['pods', 'services', 'configMaps', 'secrets', 'persistentVolumeClaims', 'loadBalancers', 'nodePorts'] as const)
    v.check(`quota.${key}`, out[key], rules.integerBetween(0, 100000));
  return out;
}

/** The objects below `root` in `namespaces`, as JSON. */
function objectsIn(root: Construct, namespaces: readonly string[]): ManifestObject[] {
  const mine = new Set(namespaces);
  return root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && mine.has(c.metadata.namespace ?? ''))
    .map((o) => o.toJson() as ManifestObject);
}
