import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import * as rules from '../internal/rules';
import {
  listOf,
  objectSpec,
  PropsValidator,
  resolveName,
  resolveNamespace,
  type PropShapes,
} from '../internal/validator';
import { MANAGED_BY } from '../internal/labels';

/** One key of the generated Secret and where it comes from in the external store. */
export interface ExternalSecretEntry {
  /** Key in the generated Kubernetes Secret. */
  readonly secretKey: string;
  /** Key (path) in the external store. */
  readonly remoteKey: string;
  /**
   * Property inside a JSON-valued remote secret.
   * @default - the whole value
   */
  readonly property?: string;
}

/** Props of {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /**
   * Name of the ExternalSecret and of the Secret it creates.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the enclosing Chart's namespace
   */
  readonly namespace?: string;
  /** The (Cluster)SecretStore to read from. */
  readonly store: {
    /** Store name. */
    readonly name: string;
    /**
     * Store kind.
     * @default 'ClusterSecretStore'
     */
    readonly kind?: 'SecretStore' | 'ClusterSecretStore';
  };
  /** Keys to copy (at least one). */
  readonly data: readonly ExternalSecretEntry[];
  /**
   * Labels.
   * @default - only `app.kubernetes.io/managed-by`
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * How often to re-read the store (Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_EXTERNAL_SECRET_PROPS: PropShapes<ExternalSecretProps> = {
  name: 'string',
  namespace: 'string',
  store: objectSpec<ExternalSecretProps['store']>({ name: 'string', kind: 'string' }, ['name']),
  data: listOf<ExternalSecretEntry>({ secretKey: 'string', remoteKey: 'string', property: 'string' }, [
    'secretKey',
    'remoteKey',
  ]),
  labels: 'string-map',
  refreshInterval: 'string',
};

/**
 * A Secret materialized by the External Secrets Operator from an external store. The synthesized
 * YAML holds only references, never values. Use `secretName` in `env: [{ fromSecret: ... }]`.
 *
 * Role id: `ExternalSecret`.
 */
export class ExternalSecret extends Construct {
  /** Name of the Kubernetes Secret the operator creates. */
  public readonly secretName: string;
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const v = new PropsValidator('ExternalSecret', this);
    v.knownProps(props, KNOWN_EXTERNAL_SECRET_PROPS);
    this.secretName = resolveName(v, props.name, id);
    v.check('store.name', props.store.name, rules.dns1123Subdomain);
    const namespace = resolveNamespace(v, this, props.namespace);
    if (props.data.length === 0) v.fail('data', [], 'must list at least one key');
    v.check(
      'data (secretKey)',
      props.data.map((d) => d.secretKey),
      rules.unique<string>('secret keys'),
    );
    v.check('refreshInterval', props.refreshInterval, (d) =>
      /^(\d+(ns|us|µs|ms|s|m|h))+$/.test(d) ? undefined : 'must be a Go duration such as "1h" or "15m"',
    );
    v.throwIfInvalid();
    this.externalSecret = new KubeObject(this, 'ExternalSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.secretName, namespace, labels: { ...props.labels, ...MANAGED_BY } },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: props.store.name, kind: props.store.kind ?? 'ClusterSecretStore' },
        target: { name: this.secretName, creationPolicy: 'Owner' },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: d.property === undefined ? { key: d.remoteKey } : { key: d.remoteKey, property: d.property },
        })),
      },
    });
  }
}
