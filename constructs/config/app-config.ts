import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { secretInValue, secretLikeName } from '../internal/secrets';
import { PropsValidator, resolveName, resolveNamespace, type PropShapes } from '../internal/validator';
import { MANAGED_BY } from '../internal/labels';

/** Props of {@link AppConfig}. */
export interface AppConfigProps {
  /**
   * ConfigMap name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the enclosing Chart's namespace
   */
  readonly namespace?: string;
  /** Typed configuration; numbers and booleans are written as strings. Secret-looking keys are rejected. */
  readonly data: Readonly<Record<string, string | number | boolean>>;
  /**
   * Labels.
   * @default - only `app.kubernetes.io/managed-by`
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Make the ConfigMap immutable (changes need a new name).
   * @default false
   */
  readonly immutable?: boolean;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_APP_CONFIG_PROPS: PropShapes<AppConfigProps> = {
  name: 'string',
  namespace: 'string',
  data: 'scalar-map',
  labels: 'string-map',
  immutable: 'boolean',
};

/**
 * Non-secret configuration as a ConfigMap. Use `name` with `env: [{ fromConfigMap: ... }]`,
 * `envFrom: [{ configMap: ... }]` or `fileMounts`.
 *
 * Role id: `ConfigMap`.
 */
export class AppConfig extends Construct {
  public readonly name: string;
  public readonly configMap: ApiObject;

  constructor(scope: Construct, id: string, props: AppConfigProps) {
    super(scope, id);
    const v = new PropsValidator('AppConfig', this);
    v.knownProps(props, KNOWN_APP_CONFIG_PROPS);
    this.name = resolveName(v, props.name, id);
    const namespace = resolveNamespace(v, this, props.namespace);
    for (const key of Object.keys(props.data)) {
      v.check(`data[${JSON.stringify(key)}]`, key, rules.configMapKey);
      if (secretLikeName(key))
        v.fail(
          `data[${JSON.stringify(key)}]`,
          '<redacted>',
          'looks like a secret (a literal under a secret-like key): reference a Secret or an ExternalSecret instead of a ConfigMap; the value is not shown',
        );
      const why = secretInValue(String(props.data[key]));
      if (why !== undefined)
        v.fail(
          `data[${JSON.stringify(key)}]`,
          '<redacted>',
          `looks like a secret (${why}): reference a Secret or an ExternalSecret instead of a ConfigMap; the value is not shown`,
        );
    }
    v.throwIfInvalid();
    const data: Record<string, string> = {};
    for (const [k, val] of Object.entries(props.data)) data[k] = String(val);
    this.configMap = new KubeObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace, labels: { ...props.labels, ...MANAGED_BY } },
      data,
      immutable: props.immutable ?? false,
    });
  }
}
