/**
 * A tenant's objects, rendered from its resolved {@link TenantSpec}. Pure: spec in, parts out, in
 * the order the Tenant emits them; each part carries its construct id (ids are a contract: they
 * name the objects in the output).
 */
import type { ApiObjectProps } from 'cdk8s';
import { MANAGED_BY, podSecurityLabels, POD_SECURITY_VERSION, TENANT_LABEL } from '../internal/labels';
import { coreDnsEgress, METADATA_CIDR, namespacePeer, sourcePeer } from '../internal/network-peers';
import * as rules from '../internal/rules';
import { type AccessRule, type AccessSubject, ROLE_PRESETS } from '../rbac/rbac-rules';
import { renderTenantAdmission } from './tenant-admission';
import { tenantAlertsObjects } from './tenant-alerts';
import type { TenantNamespaceSpec, TenantSecretStoreSpec, TenantSpec } from './tenant-spec';

export { METADATA_CIDR };

type Json = Record<string, unknown>;

/** One object, under construct id `id`. */
export interface TenantObjectPart {
  readonly type: 'object';
  readonly id: string;
  readonly manifest: ApiObjectProps;
}

/** A Role under id `id` and its RoleBinding under `<id>-binding`, both named `id`. */
export interface TenantRolePart {
  readonly type: 'role';
  readonly id: string;
  readonly namespace: string;
  readonly rules: readonly AccessRule[];
  readonly subjects: readonly AccessSubject[];
  readonly labels: Readonly<Record<string, string>>;
}

/** A construct scope under id `id` holding more parts. */
export interface TenantScopePart {
  readonly type: 'scope';
  readonly id: string;
  readonly parts: readonly TenantPart[];
}

/** What a Tenant emits. */
export type TenantPart = TenantObjectPart | TenantRolePart | TenantScopePart;

const object = (id: string, manifest: ApiObjectProps): TenantObjectPart => ({ type: 'object', id, manifest });

/**
 * The tenant's parts: per namespace `Namespace-<ns>`, `Quota-<ns>`, `Limits-<ns>`, `Net-<ns>-<policy>`,
 * `Rbac-<ns>`, (with `alerts`) `Alerts-<ns>` and `AlertsSecret-<ns>`, and (Istio) `PeerAuthentication-<ns>`; then `SecretStore`, `SecretsNamespace`,
 * `ValidatingAdmissionPolicy` and `ValidatingAdmissionPolicyBinding`.
 */
export function renderTenant(spec: TenantSpec): TenantPart[] {
  const parts: TenantPart[] = [];
  for (const ns of spec.namespaces) {
    parts.push(
      namespacePart(spec, ns),
      ...quotaParts(spec, ns.name),
      ...networkParts(spec, ns.name),
      accessPart(spec, ns.name),
    );
    if (spec.alerts !== undefined) {
      const { config, secret } = tenantAlertsObjects(spec.alerts, ns.name, spec.labels);
      parts.push(object(`Alerts-${ns.name}`, config), object(`AlertsSecret-${ns.name}`, secret));
    }
    if (spec.mesh?.engine === 'istio') {
      parts.push(
        object(`PeerAuthentication-${ns.name}`, {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: ns.name, labels: { ...spec.labels, ...MANAGED_BY } },
          spec: { mtls: { mode: 'STRICT' } },
        }),
      );
    }
  }
  if (spec.secretStore) parts.push(...secretStoreParts(spec, spec.secretStore));
  const admission = renderTenantAdmission({
    tenant: spec.name,
    namespaceLabel: [TENANT_LABEL, spec.name],
    hostnames: spec.hostnames,
    certificateController: spec.certificateController,
    prometheusUrl: spec.prometheusUrl,
    labels: { ...spec.labels },
  });
  for (const o of admission) parts.push(object(o.kind, o));
  return parts;
}

/** The Namespace: Pod Security labels, mesh injection. */
function namespacePart(spec: TenantSpec, ns: TenantNamespaceSpec): TenantObjectPart {
  const mesh = spec.mesh?.engine;
  return object(`Namespace-${ns.name}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns.name,
      labels: {
        ...spec.labels,
        ...MANAGED_BY,
        ...podSecurityLabels(ns.podSecurity),
        ...(mesh === 'istio' ? { 'istio-injection': 'enabled' } : {}),
      },
      ...(mesh === 'linkerd' ? { annotations: { 'linkerd.io/inject': 'enabled' } } : {}),
    },
  });
}

/** The ResourceQuota and the LimitRange of namespace `ns`. */
function quotaParts(spec: TenantSpec, ns: string): TenantObjectPart[] {
  const meta = (name: string): Json => ({ name, namespace: ns, labels: { ...spec.labels, ...MANAGED_BY } });
  const { quota, limits } = spec;
  return [
    object(`Quota-${ns}`, {
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
    }),
    object(`Limits-${ns}`, {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('tenant-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            // the quota covers ephemeral storage: a container that sets none gets these (else it is refused)
            defaultRequest: {
              cpu: limits.cpuRequest,
              memory: limits.memoryRequest,
              'ephemeral-storage': limits.ephemeralStorageRequest,
            },
            default: {
              cpu: limits.cpuLimit,
              memory: limits.memoryLimit,
              'ephemeral-storage': limits.ephemeralStorageLimit,
            },
          },
        ],
      },
    }),
  ];
}

/** The NetworkPolicies of namespace `ns`: deny all, then DNS and each allowed peer. */
function networkParts(spec: TenantSpec, ns: string): TenantObjectPart[] {
  const net = spec.network;
  const parts: TenantObjectPart[] = [];
  const policy = (name: string, body: Json): void => {
    parts.push(
      object(`Net-${ns}-${name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: ns, labels: { ...spec.labels, ...MANAGED_BY } },
        spec: { podSelector: {}, ...body },
      }),
    );
  };
  policy('default-deny', { policyTypes: ['Ingress', 'Egress'] });
  // CoreDNS Pods carry k8s-app=kube-dns on kubeadm (kind) and EKS alike
  policy('allow-dns', {
    policyTypes: ['Egress'],
    egress: [coreDnsEgress()],
  });
  if (net.sameNamespace)
    policy('allow-same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  if (net.gatewayProxies !== undefined)
    policy('allow-from-gateway', { policyTypes: ['Ingress'], ingress: [{ from: [sourcePeer(net.gatewayProxies)] }] });
  if (net.prometheus !== undefined)
    // Prometheus's Pods, on the metrics ports only (not every port of every Pod)
    policy('allow-from-monitoring', {
      policyTypes: ['Ingress'],
      ingress: [
        { from: [sourcePeer(net.prometheus)], ports: net.metricsPorts.map((port) => ({ port, protocol: 'TCP' })) },
      ],
    });
  if (spec.mesh !== undefined)
    policy('allow-mesh-control-plane', {
      policyTypes: ['Egress'],
      egress: [{ to: [namespacePeer(spec.mesh.namespace)] }],
    });
  const to = [
    ...net.egressToNamespaces.map((ns) => namespacePeer(ns)),
    ...net.egressToCidrs.map((cidr) => ({
      ipBlock: { cidr, ...(rules.cidrContains(cidr, '169.254.169.254') ? { except: [METADATA_CIDR] } : {}) },
    })),
  ];
  if (to.length > 0) policy('allow-egress', { policyTypes: ['Egress'], egress: [{ to }] });
  return parts;
}

/** `Rbac-<ns>`: a Role and binding per group that has members, then the CI deployer. */
function accessPart(spec: TenantSpec, ns: string): TenantScopePart {
  const { access, labels } = spec;
  const role = (id: string, grants: readonly AccessRule[], subjects: readonly AccessSubject[]): TenantRolePart => ({
    type: 'role',
    id,
    namespace: ns,
    rules: grants,
    subjects,
    labels,
  });
  const presets = [
    ['tenant-admin', access.admins, ROLE_PRESETS.namespaceAdmin()],
    ['tenant-edit', access.editors, ROLE_PRESETS.editWorkloads(access.delegate)],
    ['tenant-view', access.viewers, ROLE_PRESETS.view()],
  ] as const;
  const parts: TenantPart[] = [];
  for (const [name, groups, grants] of presets) {
    if (groups.length > 0)
      parts.push(
        role(
          name,
          grants,
          groups.map((g) => ({ kind: 'Group' as const, name: g })),
        ),
      );
  }
  if (access.ciDeployer) {
    parts.push(
      object('CiServiceAccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'ci-deployer', namespace: ns, labels: { ...labels, ...MANAGED_BY } },
        automountServiceAccountToken: false,
      }),
      role('tenant-deployer', ROLE_PRESETS.deployer(access.delegate), [
        { kind: 'ServiceAccount', name: 'ci-deployer' },
      ]),
    );
  }
  return { type: 'scope', id: `Rbac-${ns}`, parts };
}

/** The ClusterSecretStore and, on the Kubernetes backend, the namespace of the tenant's Secrets (Secrets only, no Pods). */
function secretStoreParts(spec: TenantSpec, store: TenantSecretStoreSpec): TenantObjectPart[] {
  const parts = [
    object('SecretStore', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: {
        name: store.name,
        labels: { environment: spec.environment, [TENANT_LABEL]: spec.name, ...MANAGED_BY },
      },
      // external-secrets.io/v1 ClusterSecretStore spec.conditions[].namespaces (apis/externalsecrets/v1/
      // secretstore_types.go ClusterSecretStoreCondition, helm-chart-0.20.4, still in 2.9.0): only these namespaces may use it
      spec: { provider: store.provider, conditions: [{ namespaces: spec.namespaces.map((n) => n.name) }] },
    }),
  ];
  if (store.remoteNamespace !== undefined) {
    parts.push(
      object('SecretsNamespace', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: store.remoteNamespace,
          labels: {
            ...spec.labels,
            ...MANAGED_BY,
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          },
        },
      }),
    );
  }
  return parts;
}
