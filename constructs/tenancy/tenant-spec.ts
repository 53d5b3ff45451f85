/**
 * A tenant's props resolved once: every check and every default, props in, {@link TenantSpec} out
 * (or a GroundworkValidationError listing every problem). Pure: what depends on the construct tree
 * (a namespace or a hostname another tenant of the tree holds) is asked of the caller through
 * {@link TenantTreeChecks}, at the point where its problems belong in the list.
 */
import type { Construct } from 'constructs';
import { type PodSecurityLevel, TENANT_LABEL } from '../internal/labels';
import * as rules from '../internal/rules';
import { listOf, objectSpec, PropsValidator, type PropShapes } from '../internal/validator';
import { checkPlatformContract, type PlatformContract, type MeshOffer, type TrafficSource } from '../platform/contract';
import { DELEGABLE_RESOURCES, type Delegation } from '../rbac/rbac-rules';
import { checkNamespaceName } from './namespace-claims';
import type { ResolvedQuota } from './quota-check';
import { resolveTenantAlerts, type TenantAlertsSpec } from './tenant-alerts';
import { resolveTenantHostnames } from './tenant-hostnames';
import { resolveLimits, resolveQuota } from './tenant-quota-spec';
import type {
  TenantAccessProps,
  TenantAlertsProps,
  TenantLimitsProps,
  TenantNamespaceProps,
  TenantNetworkProps,
  TenantProps,
  TenantQuotaProps,
} from './tenant-props';

/** One namespace of a tenant, resolved. */
export interface TenantNamespaceSpec {
  /** Namespace name. */
  readonly name: string;
  /** Pod Security admission level. */
  readonly podSecurity: Exclude<PodSecurityLevel, 'privileged'>;
}

/** Network isolation, resolved against the platform. */
export interface TenantNetworkSpec {
  /** Every Pod of a namespace reaches every other one. */
  readonly sameNamespace: boolean;
  /** Where the Gateway's proxies run, when they are admitted; undefined: no Gateway, or not admitted. */
  readonly gatewayProxies?: TrafficSource;
  /** Where Prometheus runs, when it is admitted; undefined: no monitoring, or not admitted. */
  readonly prometheus?: TrafficSource;
  /** Container ports Prometheus may scrape. */
  readonly metricsPorts: readonly (string | number)[];
  /** Namespaces the tenant's Pods may connect to. */
  readonly egressToNamespaces: readonly string[];
  /** IP ranges the tenant's Pods may connect to. */
  readonly egressToCidrs: readonly string[];
}

/** Groups bound to the tenant's roles, and the CI deployer. */
export interface TenantAccessSpec {
  /** Namespace admins. */
  readonly admins: readonly string[];
  /** Editors. */
  readonly editors: readonly string[];
  /** Viewers. */
  readonly viewers: readonly string[];
  /** Kinds editors and the CI deployer may also write. */
  readonly delegate: readonly Delegation[];
  /** A `ci-deployer` ServiceAccount per namespace. */
  readonly ciDeployer: boolean;
}

/** The tenant's ClusterSecretStore on the platform's backend. */
export interface TenantSecretStoreSpec {
  /** Store name. */
  readonly name: string;
  /** The store's `spec.provider`, scoped to the tenant. */
  readonly provider: Readonly<Record<string, unknown>>;
  /** On the Kubernetes backend, the namespace that holds the tenant's Secrets; undefined elsewhere. */
  readonly remoteNamespace?: string;
}

/** Every prop of a tenant checked and defaulted, with what it reads from the platform. */
export interface TenantSpec {
  /** Team name. */
  readonly name: string;
  /** Value of the `environment` label. */
  readonly environment: string;
  /** Labels on every object: the extra labels, `environment` and the tenant label. */
  readonly labels: Readonly<Record<string, string>>;
  /** The namespaces, in declaration order. */
  readonly namespaces: readonly TenantNamespaceSpec[];
  /** Quota per namespace. */
  readonly quota: ResolvedQuota;
  /** Container defaults per namespace. */
  readonly limits: Required<TenantLimitsProps>;
  /** Network isolation. */
  readonly network: TenantNetworkSpec;
  /** The platform's mesh, when the tenant joins it. */
  readonly mesh?: MeshOffer;
  /** Access. */
  readonly access: TenantAccessSpec;
  /** The tenant's secret store; undefined when opted out. */
  readonly secretStore?: TenantSecretStoreSpec;
  /** Hostnames the tenant owns. */
  readonly hostnames: readonly string[];
  /** The only ServiceAccount that may create CertificateRequests in the tenant's namespaces. */
  readonly certificateController?: { readonly namespace: string; readonly name: string };
  /** The platform's Prometheus query URL (the only analysis provider). */
  readonly prometheusUrl?: string;
  /** The tenant's own alert receiver; undefined: the platform's receivers only. */
  readonly alerts?: TenantAlertsSpec;
}

/** Checks against the construct tree, each recording its problems on `v` (the Tenant claims namespaces and hostnames). */
export interface TenantTreeChecks {
  /**
   * Called with the namespace names once they are checked.
   * @default - no check
   */
  readonly namespaces?: (v: PropsValidator, names: readonly string[]) => void;
  /**
   * Called with the resolved hostnames once they are checked.
   * @default - no check
   */
  readonly hostnames?: (v: PropsValidator, hostnames: readonly string[]) => void;
}

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
  access: objectSpec<TenantAccessProps>({
    admins: 'strings',
    editors: 'strings',
    viewers: 'strings',
    delegate: 'strings',
  }),
  ciDeployer: 'boolean',
  hostnames: 'strings',
  secretStore: [objectSpec<{ roleArn?: string }>({ roleArn: 'string' }), 'false'],
  labels: 'string-map',
  alerts: objectSpec<TenantAlertsProps>({ receiver: 'string', secretStoreEntry: 'string' }, [
    'receiver',
    'secretStoreEntry',
  ]),
};

/**
 * Checks `props` and resolves every default. Problems are named after `where` (the Tenant, or its
 * path) and thrown together as a GroundworkValidationError; `tree` adds the checks that need the
 * construct tree, in their place in the list.
 */
export function resolveTenant(props: TenantProps, where: Construct | string, tree: TenantTreeChecks = {}): TenantSpec {
  const v = new PropsValidator('Tenant', where);
  v.knownProps(props, KNOWN_TENANT_PROPS);
  checkPlatformContract(v, props.platform);
  v.throwIfInvalid();
  const platform = props.platform;
  v.check('name', props.name, rules.dns1123Label);
  v.check('environment', props.environment, rules.labelValue);
  const namespaces = resolveNamespaces(v, props.namespaces, platform);
  tree.namespaces?.(v, namespaces.map(nameOf));
  const quota = resolveQuota(v, props.quota ?? {});
  const limits = resolveLimits(v, props.limits);
  const network = resolveNetwork(v, props.network ?? {}, platform);
  const mesh = resolveMesh(v, props.mesh, platform);
  const secretStore = props.secretStore === false ? undefined : resolveSecretStore(v, props, platform);
  const hostnames = resolveTenantHostnames(v, props.name, props.hostnames, platform);
  tree.hostnames?.(v, hostnames);
  const access = resolveAccess(v, props.access ?? {}, props.ciDeployer ?? true);
  const alerts = resolveTenantAlerts(v, props.alerts, secretStore?.name, platform);
  v.throwIfInvalid();
  return {
    name: props.name,
    environment: props.environment,
    labels: { ...props.labels, environment: props.environment, [TENANT_LABEL]: props.name },
    namespaces,
    quota,
    limits,
    network,
    mesh,
    access,
    secretStore,
    hostnames,
    certificateController: platform.certificates?.value.controller,
    prometheusUrl: platform.monitoring?.value.prometheusUrl,
    ...(alerts !== undefined ? { alerts } : {}),
  };
}

const nameOf = (n: { readonly name: string }): string => n.name;

/** The namespaces: DNS labels, none of the platform's, Pod Security never privileged, no name twice. */
function resolveNamespaces(
  v: PropsValidator,
  given: readonly TenantNamespaceProps[],
  platform: PlatformContract,
): TenantNamespaceSpec[] {
  if (given.length === 0) v.fail('namespaces', [], 'must list at least one namespace');
  given.forEach((n, i) => {
    checkNamespaceName(v, `namespaces[${i}].name`, n.name, platform);
    if (n.podSecurity !== undefined && n.podSecurity !== 'restricted' && n.podSecurity !== 'baseline')
      v.fail(
        `namespaces[${i}].podSecurity`,
        n.podSecurity,
        'must be "restricted" or "baseline" (tenants never run privileged)',
      );
  });
  v.check('namespaces (names)', given.map(nameOf), rules.unique<string>('namespace names'));
  return given.map((n) => ({ name: n.name, podSecurity: n.podSecurity ?? 'restricted' }));
}

/** Network isolation: named egress checked (never the metadata endpoint alone), the Gateway and Prometheus read from the platform. */
function resolveNetwork(v: PropsValidator, net: TenantNetworkProps, platform: PlatformContract): TenantNetworkSpec {
  (net.egressToNamespaces ?? []).forEach((n, i) => v.check(`network.egressToNamespaces[${i}]`, n, rules.dns1123Label));
  (net.metricsPorts ?? []).forEach((p, i) =>
    typeof p === 'number'
      ? v.check(`network.metricsPorts[${i}]`, p, rules.port)
      : v.check(`network.metricsPorts[${i}]`, p, rules.portName),
  );
  if (net.metricsPorts?.length === 0)
    v.fail('network.metricsPorts', [], 'must list at least one port (or set fromMonitoring: false)');
  (net.egressToCidrs ?? []).forEach((c, i) => {
    v.check(`network.egressToCidrs[${i}]`, c, rules.cidr);
    if (rules.cidr(c) === undefined && rules.cidrContains(c, '169.254.169.254') && c.endsWith('/32')) {
      v.fail(
        `network.egressToCidrs[${i}]`,
        c,
        'is the cloud metadata endpoint, which tenants never reach (it hands out node credentials)',
      );
    }
  });
  return {
    sameNamespace: net.sameNamespace === true,
    gatewayProxies: net.fromGateway !== false ? platform.defaultGateway()?.proxies : undefined,
    prometheus: net.fromMonitoring !== false ? platform.monitoring?.value.prometheus : undefined,
    metricsPorts: net.metricsPorts ?? ['metrics', 'http-metrics'],
    egressToNamespaces: net.egressToNamespaces ?? [],
    egressToCidrs: net.egressToCidrs ?? [],
  };
}

/** The platform's mesh when the tenant joins it: there must be one, with its CNI plugin. */
function resolveMesh(v: PropsValidator, join: boolean | undefined, platform: PlatformContract): MeshOffer | undefined {
  const mesh = join ? platform.mesh?.value : undefined;
  if (join && mesh === undefined)
    v.fail('mesh', true, 'needs a service mesh in the platform (enable mesh in the add-on profile)');
  if (mesh !== undefined && !mesh.cni) {
    v.fail(
      'mesh',
      true,
      `needs the ${mesh.engine} CNI plugin: without it injected Pods run an init container with NET_ADMIN, which Pod Security "restricted" and "baseline" refuse`,
    );
  }
  return mesh;
}

/** The tenant's ClusterSecretStore on the platform's backend, usable only from its namespaces. */
function resolveSecretStore(
  v: PropsValidator,
  props: TenantProps,
  platform: PlatformContract,
): TenantSecretStoreSpec | undefined {
  const shared = platform.secretStoreBackends[0]?.value;
  if (shared === undefined) {
    v.fail(
      'secretStore',
      'default',
      'needs a secret store in the platform (enable externalSecrets) or secretStore: false',
    );
    return undefined;
  }
  const name = `tenant-${props.name}`;
  const roleArn = props.secretStore ? props.secretStore.roleArn : undefined;
  const p = shared.provider as {
    kubernetes?: Record<string, unknown> & { remoteNamespace?: string };
    aws?: Record<string, unknown>;
  };
  if (p.kubernetes) {
    // same auth as the platform store: the operator's ServiceAccount, which the external-secrets chart
    // (helm-chart-0.20.4 and 2.9.0 templates/rbac.yaml, cluster scope by default) lets read Secrets in any namespace
    const remoteNamespace = `${p.kubernetes.remoteNamespace}-${props.name}`;
    // the tenant's secrets namespace is named after it: a name the API server refuses there is refused here
    const problem = rules.dns1123Label(remoteNamespace);
    if (problem !== undefined)
      v.fail(
        'name',
        props.name,
        `derives the secrets namespace "${remoteNamespace}", which ${problem}: shorten the name`,
      );
    return { name, provider: { kubernetes: { ...p.kubernetes, remoteNamespace } }, remoteNamespace };
  }
  if (p.aws) {
    if (!roleArn) {
      v.fail(
        'secretStore.roleArn',
        roleArn,
        "must name the IAM role limited to the tenant's secrets (the shared store's role reaches every secret)",
      );
      return undefined;
    }
    return { name, provider: { aws: { ...p.aws, role: roleArn } } };
  }
  v.fail(
    'secretStore',
    Object.keys(shared.provider)[0],
    'has no tenant scoping for this backend yet: use secretStore: false and a SecretStore of your own',
  );
  return undefined;
}

/** The groups (each a name) and the delegations (each a delegable kind). */
function resolveAccess(v: PropsValidator, access: TenantAccessProps, ciDeployer: boolean): TenantAccessSpec {
  const { delegate = [], ...groups } = access;
  delegate.forEach((d, i) => {
    if (!Object.prototype.hasOwnProperty.call(DELEGABLE_RESOURCES, d))
      v.fail(`access.delegate[${i}]`, d, `must be one of ${Object.keys(DELEGABLE_RESOURCES).join(', ')}`);
  });
  for (const [group, list] of Object.entries<readonly string[] | undefined>(groups)) {
    (list ?? []).forEach((g, i) => {
      if (!g) v.fail(`access.${group}[${i}]`, g, 'must name a group');
    });
  }
  return {
    admins: access.admins ?? [],
    editors: access.editors ?? [],
    viewers: access.viewers ?? [],
    delegate,
    ciDeployer,
  };
}
