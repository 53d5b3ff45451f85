/**
 * A tenant's own alert receiver: per namespace an AlertmanagerConfig routing that namespace's alerts
 * to it, and an ExternalSecret copying its URL or key from the tenant's secret store. Pure.
 */
import type { ApiObjectProps } from 'cdk8s';
import { MANAGED_BY } from '../internal/labels';
import type { PropsValidator } from '../internal/validator';
import type { PlatformContract } from '../platform/contract';
import { alertsEntry } from '../platform/config-values';
import type { TenantAlertsProps } from './tenant-props';

/** The tenant's receiver, resolved: its kind, the store entry, and the tenant's store that holds it. */
export interface TenantAlertsSpec {
  /** The receiver's kind. */
  readonly receiver: TenantAlertsProps['receiver'];
  /** Entry of the tenant's secret store holding the URL or routing key. */
  readonly secretStoreEntry: string;
  /** The tenant's ClusterSecretStore. */
  readonly secretStore: string;
}

/** Name of each namespace's AlertmanagerConfig, ExternalSecret and Secret. */
export const TENANT_ALERTS_NAME = 'tenant-alerts';

const RECEIVERS = ['slack', 'webhook', 'pagerduty'] as const;

/** What each kind reads from the entry (as the platform's receivers do), and the Secret key it lands in. */
const SECRET_KEY: Record<TenantAlertsProps['receiver'], { readonly property: string; readonly key: string }> = {
  slack: { property: 'url', key: 'url' },
  webhook: { property: 'url', key: 'url' },
  pagerduty: { property: 'routingKey', key: 'routing-key' },
};

/**
 * Checks `alerts`: a known receiver, an entry name (the rule of the platform's `groundwork:alerts*`
 * keys; never echoed), the tenant's secret store and the platform's monitoring (the operator that
 * reads AlertmanagerConfigs).
 */
export function resolveTenantAlerts(
  v: PropsValidator,
  alerts: TenantAlertsProps | undefined,
  secretStore: string | undefined,
  platform: PlatformContract,
): TenantAlertsSpec | undefined {
  if (alerts === undefined) return undefined;
  if (!(RECEIVERS as readonly string[]).includes(alerts.receiver))
    v.fail('alerts.receiver', alerts.receiver, `must be one of ${RECEIVERS.join(', ')}`);
  const problem = alertsEntry(alerts.secretStoreEntry);
  if (problem !== undefined) v.fail('alerts.secretStoreEntry', '<redacted>', problem);
  if (platform.monitoring === undefined)
    v.fail('alerts', alerts.receiver, 'needs a monitoring stack in the platform (enable monitoring)');
  if (secretStore === undefined) {
    v.fail('alerts', alerts.receiver, "needs the tenant's secret store (secretStore is false)");
    return undefined;
  }
  return { receiver: alerts.receiver, secretStoreEntry: alerts.secretStoreEntry, secretStore };
}

/**
 * The receiver of an AlertmanagerConfig (monitoring.coreos.com/v1alpha1, prometheus-operator v0.93.1
 * CRD in kube-prometheus-stack 88.5.3: slackConfigs[].apiURL, webhookConfigs[].urlSecret and
 * pagerdutyConfigs[].routingKey, each a key of a Secret in the config's namespace).
 */
function receiver(kind: TenantAlertsProps['receiver']): Record<string, unknown> {
  const ref = { name: TENANT_ALERTS_NAME, key: SECRET_KEY[kind].key };
  if (kind === 'slack') return { name: 'tenant', slackConfigs: [{ apiURL: ref, sendResolved: true }] };
  if (kind === 'webhook') return { name: 'tenant', webhookConfigs: [{ urlSecret: ref, sendResolved: true }] };
  return { name: 'tenant', pagerdutyConfigs: [{ routingKey: ref, sendResolved: true }] };
}

/**
 * Namespace `ns`'s AlertmanagerConfig and ExternalSecret. The chart's Alertmanager selects every
 * AlertmanagerConfig of every namespace (88.5.3 values.yaml alertmanagerConfigSelector and
 * alertmanagerConfigNamespaceSelector `{}`) and the operator's default matcher strategy OnNamespace
 * confines the route to alerts labelled `namespace=<ns>`; it sets `continue: true` on it, so the
 * platform's receivers still get them.
 */
export function tenantAlertsObjects(
  alerts: TenantAlertsSpec,
  ns: string,
  labels: Readonly<Record<string, string>>,
): { readonly config: ApiObjectProps; readonly secret: ApiObjectProps } {
  const metadata = { name: TENANT_ALERTS_NAME, namespace: ns, labels: { ...labels, ...MANAGED_BY } };
  const { property, key } = SECRET_KEY[alerts.receiver];
  return {
    config: {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata,
      spec: { route: { receiver: 'tenant' }, receivers: [receiver(alerts.receiver)] },
    },
    secret: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata,
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: alerts.secretStore },
        target: { name: TENANT_ALERTS_NAME, creationPolicy: 'Owner' },
        data: [{ secretKey: key, remoteRef: { key: alerts.secretStoreEntry, property } }],
      },
    },
  };
}
