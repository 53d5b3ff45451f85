import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../internal/labels';
import { PropsValidator, resolveName, resolveNamespace, type PropShapes } from '../internal/validator';
import {
  type AccessRule,
  ALLOW_ANNOTATION,
  type RbacAllowances,
  ruleProblems,
  reasonGiven,
  unexplainedAllowances,
  widening,
} from './rbac-rules';

/** Props of {@link AccessRole}. */
export interface AccessRoleProps {
  /**
   * Role name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * `namespace`: a Role in `namespace`; `cluster`: a ClusterRole.
   * @default 'namespace'
   */
  readonly scope?: 'namespace' | 'cluster';
  /**
   * Namespace of a namespaced Role.
   * @default - the enclosing Chart's namespace
   */
  readonly namespace?: string;
  /** What the role grants (`ROLE_PRESETS.view()`, `.editWorkloads()`, `.deployer()`, `.secretReader([...])`, `.namespaceAdmin()`, or your own). */
  readonly rules: readonly AccessRule[];
  /**
   * Explicit exceptions (wildcards, escalation verbs), each with its reason.
   * @default - none: wildcards and escalate/bind/impersonate are errors
   */
  readonly allow?: RbacAllowances;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_ACCESS_ROLE_PROPS: PropShapes<AccessRoleProps> = {
  name: 'string',
  scope: 'string',
  namespace: 'string',
  rules: 'objects',
  allow: 'object',
  labels: 'string-map',
};

/**
 * A Role or ClusterRole whose rules are checked at construction: no wildcard verbs, resources or
 * API groups and no `escalate`/`bind`/`impersonate` unless allowed with a reason (recorded as an
 * annotation so `checkManifests` accepts it too). Role id: `Role`.
 */
export class AccessRole extends Construct {
  /** Role name (what bindings reference). */
  public readonly name: string;
  /** `Role` or `ClusterRole`. */
  public readonly kind: 'Role' | 'ClusterRole';
  /** Namespace of a Role; undefined for a ClusterRole. */
  public readonly namespace?: string;
  public readonly role: ApiObject;

  constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    const v = new PropsValidator('AccessRole', this);
    v.knownProps(props, KNOWN_ACCESS_ROLE_PROPS);
    this.name = resolveName(v, props.name, id);
    const cluster = props.scope === 'cluster';
    if (props.scope !== undefined && props.scope !== 'namespace' && props.scope !== 'cluster')
      v.fail('scope', props.scope, 'must be "namespace" or "cluster"');
    this.kind = cluster ? 'ClusterRole' : 'Role';
    this.namespace = cluster ? undefined : resolveNamespace(v, this, props.namespace);
    if (props.rules.length === 0) v.fail('rules', [], 'must grant something');
    for (const p of unexplainedAllowances(props.allow)) v.fail(p.field, p.value, p.message);
    for (const p of widening({ kind: this.kind, metadata: { labels: props.labels } }, props.allow))
      v.fail(`labels`, p.value, p.message);
    props.rules.forEach((r, i) => {
      for (const p of ruleProblems(`rules[${i}]`, r, props.allow)) v.fail(p.field, p.value, p.message);
      if (r.resources.length === 0 || r.verbs.length === 0)
        v.fail(`rules[${i}]`, r, 'must name at least one resource and one verb');
    });
    v.throwIfInvalid();
    const annotations = allowanceAnnotations(props.allow);
    this.role = new KubeObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: this.kind,
      metadata: {
        name: this.name,
        ...(this.namespace !== undefined ? { namespace: this.namespace } : {}),
        labels: { ...props.labels, ...MANAGED_BY },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      rules: props.rules.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      })),
    });
  }
}

/** The annotations recording allowed exceptions and their reasons. */
export function allowanceAnnotations(allow: RbacAllowances | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['wildcards', 'escalation', 'publicSubjects'] as const) {
    const reason = allow?.[key];
    if (reasonGiven(reason)) out[ALLOW_ANNOTATION[key]] = reason;
  }
  return out;
}
