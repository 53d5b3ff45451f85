import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../internal/labels';
import * as rules from '../internal/rules';
import { PropsValidator, resolveName, resolveNamespace, type PropShapes } from '../internal/validator';
import { AccessRole, allowanceAnnotations } from './access-role';
import {
  type AccessSubject,
  type RbacAllowances,
  subjectProblems,
  unexplainedAllowances,
  widening,
} from './rbac-rules';

/** ClusterRoles every cluster has (the user-facing defaults). */
export const BUILT_IN_CLUSTER_ROLES = ['view', 'edit', 'admin', 'cluster-admin'] as const;

/** Props of {@link AccessBinding}. */
export interface AccessBindingProps {
  /**
   * Binding name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * `namespace`: a RoleBinding in `namespace`; `cluster`: a ClusterRoleBinding (only for a ClusterRole).
   * @default 'namespace'
   */
  readonly scope?: 'namespace' | 'cluster';
  /**
   * Namespace of a RoleBinding.
   * @default - the enclosing Chart's namespace
   */
  readonly namespace?: string;
  /** The role: an {@link AccessRole} of this app, or a built-in ClusterRole by name. */
  readonly role: AccessRole | { readonly clusterRole: (typeof BUILT_IN_CLUSTER_ROLES)[number] };
  /** Users, groups and ServiceAccounts (a ServiceAccount without namespace: the binding's). */
  readonly subjects: readonly AccessSubject[];
  /**
   * Explicit exceptions (public subjects), each with its reason.
   * @default - none: binding system:anonymous, system:unauthenticated or system:authenticated is an error
   */
  readonly allow?: RbacAllowances;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_ACCESS_BINDING_PROPS: PropShapes<AccessBindingProps> = {
  name: 'string',
  scope: 'string',
  namespace: 'string',
  role: 'object',
  subjects: 'objects',
  allow: 'object',
  labels: 'string-map',
};

/**
 * A RoleBinding or ClusterRoleBinding to a typed role reference: a role that does not exist cannot
 * be named, a namespaced Role cannot be bound from another namespace, and public subjects are
 * refused unless allowed with a reason. Role id: `Binding`.
 */
export class AccessBinding extends Construct {
  public readonly name: string;
  public readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: AccessBindingProps) {
    super(scope, id);
    const v = new PropsValidator('AccessBinding', this);
    v.knownProps(props, KNOWN_ACCESS_BINDING_PROPS);
    this.name = resolveName(v, props.name, id);
    const cluster = props.scope === 'cluster';
    const namespace = cluster ? undefined : resolveNamespace(v, this, props.namespace);
    const role = props.role;
    let roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
    if (role instanceof AccessRole) {
      roleRef = { kind: role.kind, name: role.name };
      if (role.kind === 'Role' && cluster)
        v.fail('role', role.name, 'is a namespaced Role: a ClusterRoleBinding needs a ClusterRole');
      if (role.kind === 'Role' && role.namespace !== namespace)
        v.fail(
          'role',
          role.name,
          `is a Role in namespace "${role.namespace}": bind it from that namespace (this binding is in "${namespace}")`,
        );
    } else {
      roleRef = { kind: 'ClusterRole', name: role.clusterRole };
      if (!(BUILT_IN_CLUSTER_ROLES as readonly string[]).includes(role.clusterRole)) {
        v.fail(
          'role.clusterRole',
          role.clusterRole,
          `is not a built-in ClusterRole (${BUILT_IN_CLUSTER_ROLES.join(', ')}): pass the AccessRole that creates it`,
        );
      }
    }
    if (props.subjects.length === 0) v.fail('subjects', [], 'must name at least one user, group or ServiceAccount');
    props.subjects.forEach((s, i) => {
      if (!['User', 'Group', 'ServiceAccount'].includes(s.kind))
        v.fail(`subjects[${i}].kind`, s.kind, 'must be User, Group or ServiceAccount');
      if (!s.name) v.fail(`subjects[${i}].name`, s.name, 'must be set');
      if (s.kind === 'ServiceAccount') v.check(`subjects[${i}].name`, s.name, rules.dns1123Subdomain);
      if (s.kind === 'ServiceAccount' && cluster && s.namespace === undefined)
        v.fail(`subjects[${i}].namespace`, s.namespace, 'must be set for a ServiceAccount in a ClusterRoleBinding');
    });
    for (const p of subjectProblems('subjects', props.subjects, props.allow)) v.fail(p.field, p.value, p.message);
    for (const p of unexplainedAllowances(props.allow)) v.fail(p.field, p.value, p.message);
    for (const p of widening({ kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding', roleRef }, props.allow))
      v.fail('role', p.value, p.message);
    v.throwIfInvalid();
    const annotations = allowanceAnnotations(props.allow);
    this.binding = new KubeObject(this, 'Binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: {
        name: this.name,
        ...(namespace !== undefined ? { namespace } : {}),
        labels: { ...props.labels, ...MANAGED_BY },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
      subjects: props.subjects.map((s) =>
        s.kind === 'ServiceAccount'
          ? { kind: 'ServiceAccount', name: s.name, namespace: s.namespace ?? namespace }
          : { kind: s.kind, name: s.name, apiGroup: 'rbac.authorization.k8s.io' },
      ),
    });
  }
}
