import type { ManifestObject } from '../policy/check-manifests';
import type { LogsOffer } from './offers';
import { chartNamespace, companion, type ComponentSize, requestsOf } from './addon';
import type { PodSecurityLevel } from '../internal/labels';
import { type GrafanaSso, OIDC_CLIENT_SECRET } from './oidc-sso';

/** Where Grafana's admin credentials come from (never a chart-generated password). */
export type GrafanaAdminSource =
  | {
      /** ClusterSecretStore an ExternalSecret reads them from (created before the chart installs). */
      readonly secretStore: string;
      /** Key in the store holding `username` and `password` properties. */
      readonly remoteKey: string;
    }
  | {
      /** An existing Secret in the monitoring namespace with `admin-user` and `admin-password` keys. */
      readonly existingSecret: string;
    };

/** Name of the Secret Grafana reads its admin credentials from when fed by an ExternalSecret. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** The Grafana data source of `logs`, as Grafana provisioning reads it. */
export function lokiDataSource(logs: LogsOffer): Record<string, unknown> {
  return {
    name: 'Loki',
    uid: 'loki',
    type: 'loki',
    access: 'proxy',
    url: logs.queryUrl,
    isDefault: false,
    editable: false,
    // a multi-tenant Loki refuses requests without X-Scope-OrgID; provisioning puts a header's name
    // in jsonData.httpHeaderName<N> and its value in secureJsonData.httpHeaderValue<N> (Grafana
    // docs/sources/administration/provisioning/index.md, "Custom HTTP headers for data sources")
    ...(logs.tenant !== undefined
      ? { jsonData: { httpHeaderName1: 'X-Scope-OrgID' }, secureJsonData: { httpHeaderValue1: logs.tenant } }
      : {}),
  };
}

/** A small overview dashboard: replicas available and restarts per namespace. */
export const PLATFORM_OVERVIEW_DASHBOARD: Readonly<Record<string, unknown>> = {
  title: 'Platform overview',
  uid: 'groundwork-overview',
  schemaVersion: 39,
  time: { from: 'now-6h', to: 'now' },
  panels: [
    {
      type: 'timeseries',
      title: 'Unavailable replicas by namespace',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      targets: [{ expr: 'sum by (namespace) (kube_deployment_status_replicas_unavailable)', refId: 'A' }],
    },
    {
      type: 'timeseries',
      title: 'Container restarts (1h)',
      gridPos: { x: 12, y: 0, w: 12, h: 8 },
      targets: [{ expr: 'sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))', refId: 'A' }],
    },
  ],
};

/** Grafana: the admin Secret, requests, and the dashboard sidecar and RBAC confined to the monitoring namespace. */
export function grafanaValues(
  logs: LogsOffer | undefined,
  adminSecret: string,
  grafana: ComponentSize,
  namespace: string,
  sso?: GrafanaSso,
): Record<string, unknown> {
  return {
    // grafana chart 12.11.1 (grafana-community; the kube-prometheus-stack 88.5.3 dependency): admin.existingSecret
    // stops templates/secret.yaml from generating a password
    admin: { existingSecret: adminSecret, userKey: 'admin-user', passwordKey: 'admin-password' },
    resources: requestsOf(grafana),
    // dashboards are ConfigMaps in this namespace (dashboardConfigMaps): the sidecar watches
    // ConfigMaps here only, and RBAC is a namespaced Role instead of the chart's ClusterRole that
    // reads every Secret in the cluster (grafana 12.11.1 templates/clusterrole.yaml is skipped when
    // rbac.namespaced; templates/role.yaml grants configmaps and secrets in this namespace only;
    // _pod.tpl passes searchNamespace as NAMESPACE and resource as RESOURCE to the sidecar)
    rbac: { namespaced: true },
    sidecar: {
      dashboards: {
        enabled: true,
        label: 'grafana_dashboard',
        labelValue: '1',
        searchNamespace: namespace,
        resource: 'configmap',
      },
    },
    // kube-prometheus-stack 88.5.3 templates/grafana/configmaps-datasources.yaml appends
    // grafana.additionalDataSources to the provisioned data sources
    ...(logs !== undefined ? { additionalDataSources: [lokiDataSource(logs)] } : {}),
    ...(sso !== undefined ? grafanaSsoValues(sso) : {}),
  };
}

/** A JMESPath raw string literal of `s`. */
const jmesString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The JMESPath test that the token's `groups` claim holds one of `groups`; undefined for none. */
function anyGroup(groups: readonly string[] | undefined): string | undefined {
  const list = groups ?? [];
  return list.length === 0 ? undefined : list.map((g) => `contains(groups[*], ${jmesString(g)})`).join(' || ');
}

/**
 * Grafana's single sign-on (grafana chart 12.11.1 values.yaml `grafana.ini`, `envValueFrom`; its
 * templates/_helpers.tpl assertNoLeakedSecrets refuses a literal `auth.generic_oauth.client_secret`):
 * the secret reaches Grafana as env GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET (GF_<SECTION>_<KEY> overrides
 * the ini) from the Secret the ExternalSecret makes; role_attribute_path (JMESPath) makes the admin
 * groups Admins, the editor groups Editors and everyone else a Viewer. The login form and basic
 * auth are off (Grafana v13.2 docs configure-authentication/grafana: `[auth] disable_login_form`,
 * `[auth.basic] enabled`): the admin account signs in nowhere.
 */
function grafanaSsoValues(sso: GrafanaSso): Record<string, unknown> {
  const admin = anyGroup(sso.adminGroups);
  const editor = anyGroup(sso.editorGroups);
  const rolePath = [
    ...(admin !== undefined ? [`(${admin}) && 'Admin'`] : []),
    ...(editor !== undefined ? [`(${editor}) && 'Editor'`] : []),
    "'Viewer'",
  ];
  return {
    envValueFrom: {
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: OIDC_CLIENT_SECRET, key: 'clientSecret' } },
    },
    'grafana.ini': {
      server: { root_url: sso.url },
      auth: { disable_login_form: true },
      'auth.basic': { enabled: false },
      'auth.generic_oauth': {
        enabled: true,
        name: 'SSO',
        client_id: sso.clientId,
        scopes: 'openid profile email groups',
        auth_url: sso.endpoints.authUrl,
        token_url: sso.endpoints.tokenUrl,
        api_url: sso.endpoints.apiUrl,
        use_pkce: true,
        allow_sign_up: true,
        role_attribute_path: rolePath.join(' || '),
        role_attribute_strict: false,
        allow_assign_grafana_admin: false,
      },
    },
  };
}

/** One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar. */
export function dashboardConfigMaps(
  dashboards: Readonly<Record<string, unknown>>,
  namespace: string,
): ManifestObject[] {
  return Object.entries(dashboards).map(([name, model]) =>
    companion(
      'v1',
      'ConfigMap',
      `dashboard-${name}`,
      namespace,
      { data: { [`${name}.json`]: JSON.stringify(model) } },
      { labels: { grafana_dashboard: '1' } },
    ),
  );
}

/**
 * The monitoring namespace (at the add-on's Pod Security level) and the ExternalSecret that
 * materializes Grafana's admin Secret before the chart installs.
 */
export function grafanaAdminPrerequisites(
  namespace: string,
  podSecurity: PodSecurityLevel,
  admin: { readonly secretStore: string; readonly remoteKey: string },
): ManifestObject[] {
  return [
    chartNamespace(namespace, podSecurity),
    companion('external-secrets.io/v1', 'ExternalSecret', GRAFANA_ADMIN_SECRET, namespace, {
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: admin.secretStore },
        target: { name: GRAFANA_ADMIN_SECRET, creationPolicy: 'Owner' },
        data: [
          { secretKey: 'admin-user', remoteRef: { key: admin.remoteKey, property: 'username' } },
          { secretKey: 'admin-password', remoteRef: { key: admin.remoteKey, property: 'password' } },
        ],
      },
    }),
  ];
}
