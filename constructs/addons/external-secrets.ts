import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  namespaceCompanion,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import type { MetricsServiceOffer } from './offers';
import { part, registerAddon } from './register';

/** Where the ClusterSecretStore reads secrets from. */
export type SecretBackend =
  | {
      readonly provider: 'aws-secrets-manager';
      readonly region: string;
      /** IRSA role: the credentials reference. */ readonly roleArn: string;
    }
  | { readonly provider: 'gcp-secret-manager'; readonly projectId: string }
  | { readonly provider: 'azure-key-vault'; readonly vaultUrl: string }
  | {
      /** Secrets kept in one namespace of the same cluster (local clusters: create them with kubectl). */ readonly provider: 'kubernetes';
      readonly namespace: string;
    };

/** Props of the External Secrets add-on. */
export interface ExternalSecretsProps extends AddonProps {
  /** Name of the ClusterSecretStore apps reference. */
  readonly storeName: string;
  /** The secret backend. */
  readonly backend: SecretBackend;
  /**
   * Controller requests (webhook and cert-controller get a half each).
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * Namespaces allowed to reference the shared ClusterSecretStore (`spec.conditions`): anyone with
   * `edit` in another namespace could otherwise read every secret the store reaches. Tenants get
   * stores of their own (`Tenant`).
   * @default - the namespaces of the platform's own ExternalSecrets (`platformAddons` fills it in)
   */
  readonly allowedNamespaces?: readonly string[];
}

/**
 * The controller's metrics Service (external-secrets 2.9.0 templates/service.yaml, on with
 * values.yaml `metrics.service.enabled`): `<fullname>-metrics` (templates/_helpers.tpl
 * external-secrets.fullname: the release name when it contains the chart name), labelled with the
 * controller's selector labels (external-secrets.selectorLabels: name `external-secrets`, instance
 * `<release>`; the webhook's and cert-controller's say `-webhook` and `-cert-controller`), port
 * `metrics` onto the container's `metrics` port. The controller serves `externalsecret_status_condition`
 * (external-secrets v2.9.0 pkg/controllers/externalsecret/esmetrics/esmetrics.go) on `/metrics`.
 */
export function externalSecretsMetricsService(namespace: string, release = 'external-secrets'): MetricsServiceOffer {
  const fullname = release.includes('external-secrets') ? release : `${release}-external-secrets`;
  return {
    name: `${fullname}-metrics`,
    namespace,
    matchLabels: { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': release },
    port: 'metrics',
    path: '/metrics',
  };
}

/** External Secrets Operator and one ClusterSecretStore. */
export function externalSecrets(props: ExternalSecretsProps): AddonDeclaration {
  const v = addonValidator('external-secrets', props, {
    storeName: 'string',
    backend: 'object',
    size: SIZE_SPEC,
    allowedNamespaces: 'strings',
  });
  (props.allowedNamespaces ?? []).forEach((n, i) => v.check(`allowedNamespaces[${i}]`, n, rules.dns1123Label));
  v.check('storeName', props.storeName, rules.dns1123Subdomain);
  const b = props.backend;
  if (b.provider === 'aws-secrets-manager' && !b.roleArn)
    v.fail('backend.roleArn', b.roleArn, 'must reference the IAM role (IRSA) the operator assumes');
  if (b.provider === 'kubernetes') v.check('backend.namespace', b.namespace, rules.dns1123Label);
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  const half = { cpu: '25m', memory: '64Mi' };
  const serviceAccount: Record<string, unknown> = { create: true, name: 'external-secrets' };
  if (b.provider === 'aws-secrets-manager') serviceAccount.annotations = { 'eks.amazonaws.com/role-arn': b.roleArn };
  return declareAddon({
    id: 'external-secrets',
    props,
    validator: v,
    defaultNamespace: 'external-secrets',
    values: {
      installCRDs: true,
      resources: requestsOf(size),
      webhook: { resources: requestsOf(half) },
      certController: { resources: requestsOf(half) },
      serviceAccount,
      // the metrics Service the platform's ServiceMonitor scrapes (externalSecretsMetricsService); the
      // chart's own ServiceMonitor (serviceMonitor.enabled) stays off: it needs the monitoring CRDs, and
      // monitoring comes after External Secrets (Grafana's admin Secret is an ExternalSecret)
      metrics: { service: { enabled: true } },
    },
    providesCrds: ['external-secrets.io', 'generators.external-secrets.io'],
    components: { controller: size, webhook: half, certController: half },
    provides: (namespace) => ({ metricsServices: [externalSecretsMetricsService(namespace)] }),
    companions: (namespace) => {
      const provider =
        b.provider === 'aws-secrets-manager'
          ? {
              aws: {
                service: 'SecretsManager',
                region: b.region,
                auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace } } },
              },
            }
          : b.provider === 'gcp-secret-manager'
            ? { gcpsm: { projectID: b.projectId } }
            : b.provider === 'azure-key-vault'
              ? {
                  azurekv: {
                    vaultUrl: b.vaultUrl,
                    authType: 'WorkloadIdentity',
                    serviceAccountRef: { name: 'external-secrets', namespace },
                  },
                }
              : {
                  kubernetes: {
                    remoteNamespace: b.namespace,
                    server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace } },
                    auth: { serviceAccount: { name: 'external-secrets', namespace } },
                  },
                };
      const conditions =
        props.allowedNamespaces !== undefined ? { conditions: [{ namespaces: [...props.allowedNamespaces] }] } : {};
      const store = companion('external-secrets.io/v1', 'ClusterSecretStore', props.storeName, undefined, {
        spec: { provider, ...conditions },
      });
      if (b.provider !== 'kubernetes') return [store];
      return [namespaceCompanion(b.namespace), store];
    },
  });
}

/**
 * The profile's `externalSecrets` key: External Secrets and its ClusterSecretStore, which serves
 * only the namespaces of the add-ons' own ExternalSecrets (Grafana's admin) unless told otherwise.
 */
export const externalSecretsAddon = registerAddon({
  profileKey: 'externalSecrets',
  defaultProps: false,
  declare: (props: ExternalSecretsProps, ctx) => {
    const users = ctx.declared
      .flatMap((d) => [...d.prerequisites, ...d.companions])
      .filter(
        (o) =>
          o.kind === 'ExternalSecret' &&
          (o.spec as { secretStoreRef?: { name?: string } } | undefined)?.secretStoreRef?.name === props.storeName,
      )
      .map((o) => o.metadata?.namespace ?? '');
    return externalSecrets({ allowedNamespaces: [...new Set(users)].sort(), ...props });
  },
  example: { storeName: 'platform-secrets', backend: { provider: 'kubernetes', namespace: 'secrets' } },
  parts: [
    part('external-secrets', externalSecrets, {
      storeName: 'platform-secrets',
      backend: { provider: 'kubernetes', namespace: 'secrets' },
    }),
  ],
});
