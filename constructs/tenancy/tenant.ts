import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../internal/kube-object';
import type { ManifestObject } from '../policy/check-manifests';
import { AccessBinding } from '../rbac/access-binding';
import { AccessRole } from '../rbac/access-role';
import { claimNamespaces } from './namespace-claims';
import { quotaProblems } from './quota-check';
import { hostnameProblems, claimHostnames } from './tenant-hostnames';
import type { TenantProps } from './tenant-props';
import { renderTenant, type TenantPart } from './tenant-render';
import { resolveTenant } from './tenant-spec';

export { TENANT_LABEL, POD_SECURITY_VERSION } from '../internal/labels';
export { METADATA_CIDR } from './tenant-render';
export type {
  TenantProps,
  TenantNamespaceProps,
  TenantQuotaProps,
  TenantLimitsProps,
  TenantNetworkProps,
  TenantAccessProps,
  TenantAlertsProps,
} from './tenant-props';

/**
 * One team's slice of the cluster: per namespace a Namespace with Pod Security admission labels
 * (pinned version), a ResourceQuota (no LoadBalancers or NodePorts by default), a LimitRange,
 * default-deny NetworkPolicies with explicit allows (DNS, the Gateway's proxies and Prometheus
 * from where they run, the same namespace when asked, named egress; never the cloud metadata
 * endpoint), Roles bound to the team's groups, a CI deployer ServiceAccount, mesh membership, and
 * a secret store only the tenant can use. The quota is checked against the workloads placed in its namespaces.
 *
 * Props are resolved by `resolveTenant` (tenant-spec.ts) and rendered by `renderTenant` (tenant-render.ts).
 *
 * Role ids: `Namespace-<ns>`, `Quota-<ns>`, `Limits-<ns>`, `Net-<ns>`, `Rbac-<ns>`, `Alerts-<ns>` and `AlertsSecret-<ns>` (with `alerts`), `SecretStore`, `ValidatingAdmissionPolicy`, `ValidatingAdmissionPolicyBinding`.
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
    // a namespace or hostname another tenant of this tree holds is refused; this tenant's are recorded once it is valid
    const claims: (() => void)[] = [];
    const spec = resolveTenant(props, this, {
      namespaces: (v, names) => claims.push(claimNamespaces(v, this, 'Tenant', names, (i) => `namespaces[${i}].name`)),
      hostnames: (v, hostnames) => claims.push(claimHostnames(v, this, hostnames)),
    });
    claims.forEach((claim) => claim());
    this.name = spec.name;
    this.namespaces = spec.namespaces.map((n) => n.name);
    this.secretStoreName = spec.secretStore?.name;
    this.hostnames = spec.hostnames;
    emit(this, renderTenant(spec));
    this.node.addValidation({
      // every object in the tree, whichever chart placed it in the tenant's namespaces: read once for both checks
      validate: () => {
        const placed = objectsIn(this.node.root, this.namespaces);
        const prefix = `Tenant '${this.node.path}'`;
        return [
          ...quotaProblems(placed, this.namespaces, spec.quota, prefix),
          ...hostnameProblems(placed, spec.hostnames, prefix),
        ];
      },
    });
  }
}

/** Creates `parts` under `scope`, each under its id. */
function emit(scope: Construct, parts: readonly TenantPart[]): void {
  for (const part of parts) {
    if (part.type === 'object') {
      new KubeObject(scope, part.id, part.manifest);
    } else if (part.type === 'scope') {
      emit(new Construct(scope, part.id), part.parts);
    } else {
      const { id, namespace, labels } = part;
      const role = new AccessRole(scope, id, { namespace, rules: part.rules, labels });
      new AccessBinding(scope, `${id}-binding`, { name: id, namespace, role, subjects: part.subjects, labels });
    }
  }
}

/** The objects below `root` in `namespaces`, as JSON. */
function objectsIn(root: Construct, namespaces: readonly string[]): ManifestObject[] {
  const mine = new Set(namespaces);
  return root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && mine.has(c.metadata.namespace ?? ''))
    .map((o) => o.toJson() as ManifestObject);
}
