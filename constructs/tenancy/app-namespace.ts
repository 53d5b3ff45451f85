import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import { PropsValidator, type PropShapes } from '../internal/validator';
import { MANAGED_BY, type PodSecurityLevel, TENANT_LABEL } from '../internal/labels';
import { checkNamespaceName, claimNamespaces } from './namespace-claims';

export type { PodSecurityLevel } from '../internal/labels';

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /**
   * Namespace name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Pod Security admission level enforced (and audited and warned) in the namespace.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Labels, e.g. `environment` and `team`.
   * @default - none beyond the Pod Security labels
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_APP_NAMESPACE_PROPS: PropShapes<AppNamespaceProps> = {
  name: 'string',
  podSecurity: 'string',
  labels: 'string-map',
};

/**
 * A Namespace labelled for Pod Security admission (enforce, audit and warn at one level).
 *
 * Role id: `Namespace`.
 */
export class AppNamespace extends Construct {
  public readonly name: string;
  public readonly namespace: ApiObject;

  constructor(scope: Construct, id: string, props: AppNamespaceProps = {}) {
    super(scope, id);
    const v = new PropsValidator('AppNamespace', this);
    v.knownProps(props, KNOWN_APP_NAMESPACE_PROPS);
    this.name = props.name ?? id;
    checkNamespaceName(v, 'name', this.name);
    // the tenant label admits a namespace to the shared Gateway and binds a tenant's admission policy:
    // an AppNamespace carrying it would attach routes no policy holds
    if (props.labels !== undefined && Object.prototype.hasOwnProperty.call(props.labels, TENANT_LABEL))
      v.fail(
        `labels["${TENANT_LABEL}"]`,
        props.labels[TENANT_LABEL],
        "is set by a Tenant on its own namespaces: make this namespace a Tenant's instead",
      );
    const claim = claimNamespaces(v, this, 'AppNamespace', [this.name], () => 'name');
    v.throwIfInvalid();
    claim();
    const level = props.podSecurity ?? 'restricted';
    this.namespace = new KubeObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels: {
          ...props.labels,
          ...MANAGED_BY,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    });
  }
}
