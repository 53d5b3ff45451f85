import * as rules from '../internal/rules';
import { sourcePeer } from '../internal/network-peers';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  deepMerge,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { listOf, objectSpec, type PropsValidator } from '../internal/validator';
import type { ManifestObject } from '../policy/check-manifests';
import type { MetricsServiceOffer, TrafficSource } from './offers';
import { checkSso, OIDC_SSO_SPEC, oidcClientSecret, type OidcSso, ssoValues } from './oidc-sso';

export {
  checkGrafanaSso,
  checkSso,
  GRAFANA_SSO_SPEC,
  type GrafanaSso,
  OIDC_CLIENT_SECRET,
  OIDC_SSO_SHAPES,
  oidcClientSecret,
  type OidcSso,
} from './oidc-sso';

/** Props of the Argo CD add-on. */
export interface ArgoCdProps extends AddonProps {
  /**
   * Run the API server without TLS. Only for a server reached solely through a Gateway or
   * Ingress that terminates TLS; the platform exposes none, so the server keeps its own TLS.
   * @default false
   */
  readonly serverInsecure?: boolean;
  /**
   * Enable Dex for SSO.
   * @default false
   */
  readonly dex?: boolean;
  /**
   * Requests per component (controller, repo-server, server, redis).
   * @default { cpu: '100m', memory: '256Mi' } for the controller and repo-server, a quarter for the rest
   */
  readonly size?: ComponentSize;
  /**
   * OCI Helm registries to register (Argo CD's Helm source takes them without a scheme and needs
   * `enableOCI`); `platformAddons` lists every OCI chart of the profile here.
   * @default - none
   */
  readonly ociRepositories?: readonly { readonly name: string; readonly url: string }[];
  /**
   * Where the Gateways' proxies run: argocd-server's NetworkPolicy admits them on its port, so a
   * route through a Gateway can serve the UI and API. Nothing else in the cluster reaches the
   * server (no Argo CD component calls it); `kubectl port-forward` is not subject to NetworkPolicy.
   * @default - none: argocd-server admits no Pod
   */
  readonly gatewayProxies?: readonly TrafficSource[];
  /**
   * Where Prometheus runs: the components' NetworkPolicies admit it on their metrics ports.
   * @default - none: the metrics ports admit no Pod
   */
  readonly prometheus?: TrafficSource;
  /**
   * Single sign-on through an existing OIDC provider instead of the local admin account.
   * @default - none: the local admin account, no SSO
   */
  readonly sso?: OidcSso;
}

const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
].join('\n');

/**
 * Argo CD ignores a route's rules while a canary shifts its weights, so self-heal does not put the
 * weights back. argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi v0.15.0 docs/quick-start.md
 * (the info box after "kubectl get httproute -o yaml") and docs/features/multiple-routes.md
 * ("Argo CD ignoreDifferences"): the plugin labels every route it mutates
 * `rollouts.argoproj.io/gatewayapi-canary=in-progress` until the stable Service is back at 100%, and
 * recommends exactly this jq path for HTTPRoute and the same for GRPCRoute. The sync keeps the
 * live rules too only with `RespectIgnoreDifferences=true` on the Application (gitops.ts).
 */
const CANARY_ROUTE_IGNORE =
  'jqPathExpressions:\n  - select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules\n';

/**
 * The chart's components as its templates label and expose them (argo-helm argo-cd-10.1.1):
 * every Pod carries `argo-cd.selectorLabels` (templates/_common.tpl: `app.kubernetes.io/name:
 * <argo-cd.name>-<component name>` and `app.kubernetes.io/instance: <release>`), where argo-cd.name
 * is values.yaml `nameOverride: argocd` and the release is the add-on id. Names and ports are
 * values.yaml `<component>.name` and `<component>.containerPorts` (application-controller metrics
 * 8082; server 8080, metrics 8083; repo-server 8081, metrics 8084; redis 6379; applicationset-controller
 * metrics 8080; dex-server http 5556, grpc 5557, metrics 5558; notifications-controller metrics 9001).
 */
const COMPONENT = {
  controller: { name: 'application-controller', metrics: 8082 },
  server: { name: 'server', port: 8080, metrics: 8083 },
  repoServer: { name: 'repo-server', port: 8081, metrics: 8084 },
  redis: { name: 'redis', port: 6379 },
  applicationSet: { name: 'applicationset-controller', metrics: 8080 },
  dex: { name: 'dex-server', http: 5556, grpc: 5557, metrics: 5558 },
  notifications: { name: 'notifications-controller', metrics: 9001 },
} as const;
type Component = keyof typeof COMPONENT;

/** The labels of a component's Pods (see COMPONENT). */
export function argoCdPodLabels(component: Component, release = 'argo-cd'): Record<string, string> {
  return { 'app.kubernetes.io/name': `argocd-${COMPONENT[component].name}`, 'app.kubernetes.io/instance': release };
}

/**
 * The application controller's metrics Service (argo-helm argo-cd-10.1.1
 * templates/argocd-application-controller/metrics.yaml, on with `controller.metrics.enabled`):
 * `<fullname>-<controller.name>-metrics`, labelled `argo-cd.labels` with component
 * `controller.name` and name `metrics` (templates/_common.tpl: `app.kubernetes.io/name:
 * argocd-metrics`), its port named `controller.metrics.service.portName` (values.yaml: `http-metrics`)
 * onto the container's `metrics` port (8082, which the controller's NetworkPolicy admits Prometheus
 * to). It serves `argocd_app_info` (argo-cd v3.4.4 controller/metrics/metrics.go) on `/metrics`.
 */
export function argoCdMetricsService(namespace: string, release = 'argo-cd'): MetricsServiceOffer {
  // templates/_common.tpl argo-cd.fullname: the release name when it contains argo-cd.name (`argocd`,
  // values.yaml nameOverride, fixed by checkRawValues), else `<release>-argocd`
  const fullname = release.includes('argocd') ? release : `${release}-argocd`;
  return {
    name: `${fullname}-${COMPONENT.controller.name}-metrics`,
    namespace,
    matchLabels: {
      'app.kubernetes.io/name': 'argocd-metrics',
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': COMPONENT.controller.name,
    },
    port: 'http-metrics',
    path: '/metrics',
  };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Raw values that would move the Pods out of our NetworkPolicies' selectors or ports, or bring back the chart's own policies, are refused. */
function checkRawValues(v: PropsValidator, raw: Readonly<Record<string, unknown>>): void {
  const fixed =
    "is fixed: the add-on's NetworkPolicies select the chart's default names and ports (argo-helm argo-cd-10.1.1 values.yaml)";
  if (raw.nameOverride !== undefined) v.fail('values.nameOverride', raw.nameOverride, fixed);
  if (isRecord(raw.global) && raw.global.networkPolicy !== undefined)
    v.fail(
      'values.global.networkPolicy',
      raw.global.networkPolicy,
      "is fixed: the chart's policies admit anyone to argocd-server; the add-on ships its own",
    );
  const cm = isRecord(raw.configs) && isRecord(raw.configs.cm) ? raw.configs.cm : {};
  const oidc = cm['oidc.config'];
  if (typeof oidc === 'string' && /clientSecret:\s*["']?[^\s"'$]/.test(oidc))
    v.fail(
      'values.configs.cm["oidc.config"].clientSecret',
      '<redacted>',
      'is a literal: reference a Secret ($<secret>:<key>), or set sso.clientSecret',
    );
  for (const component of Object.keys(COMPONENT)) {
    const c = raw[component];
    if (!isRecord(c)) continue;
    for (const key of ['name', 'containerPorts'])
      if (c[key] !== undefined) v.fail(`values.${component}.${key}`, c[key], fixed);
    if (c.networkPolicy !== undefined)
      v.fail(
        `values.${component}.networkPolicy`,
        c.networkPolicy,
        "is fixed: the chart's policies admit anyone to argocd-server; the add-on ships its own",
      );
  }
}

type Json = Record<string, unknown>;

/**
 * The add-on's NetworkPolicies: deny ingress to every Pod of the namespace, then admit exactly who
 * calls each component. Who calls whom follows the chart's own policies at argo-cd-10.1.1
 * (templates/argocd-repo-server/networkpolicy.yaml: server, application-controller, notifications
 * and applicationset on the repo-server port; templates/redis/networkpolicy.yaml: server,
 * repo-server and application-controller on the redis port; templates/dex/networkpolicy.yaml:
 * server on http and grpc), except argocd-server, whose chart policy admits everyone
 * (templates/argocd-server/networkpolicy.yaml `ingress: [{}]`): here it admits the Gateways'
 * proxies only, since no Argo CD component calls it (argoproj/argo-cd v3.4.4 cmd/: the controllers
 * and repo-server take repo-server and redis addresses, never the API server's). Metrics ports
 * admit Prometheus only (the chart: any namespace).
 */
function networkPolicies(
  namespace: string,
  release: string,
  enabled: { dex: boolean; notifications: boolean },
  props: ArgoCdProps,
): ManifestObject[] {
  const pods = (c: Component): Json => ({ podSelector: { matchLabels: argoCdPodLabels(c, release) } });
  const tcp = (...ports: number[]): Json[] => ports.map((port) => ({ port, protocol: 'TCP' }));
  const metrics = (port: number): Json[] =>
    props.prometheus !== undefined ? [{ from: [sourcePeer(props.prometheus)], ports: tcp(port) }] : [];
  const gateways = props.gatewayProxies ?? [];
  const rulesOf: Partial<Record<Component, Json[]>> = {
    server: [
      ...(gateways.length > 0 ? [{ from: gateways.map((g) => sourcePeer(g)), ports: tcp(COMPONENT.server.port) }] : []),
      ...metrics(COMPONENT.server.metrics),
    ],
    repoServer: [
      {
        from: (['server', 'controller', 'applicationSet', 'notifications'] as const).map(pods),
        ports: tcp(COMPONENT.repoServer.port),
      },
      ...metrics(COMPONENT.repoServer.metrics),
    ],
    redis: [{ from: (['server', 'controller', 'repoServer'] as const).map(pods), ports: tcp(COMPONENT.redis.port) }],
    controller: metrics(COMPONENT.controller.metrics),
    applicationSet: metrics(COMPONENT.applicationSet.metrics),
    ...(enabled.dex
      ? {
          dex: [
            { from: [pods('server')], ports: tcp(COMPONENT.dex.http, COMPONENT.dex.grpc) },
            ...metrics(COMPONENT.dex.metrics),
          ],
        }
      : {}),
    ...(enabled.notifications ? { notifications: metrics(COMPONENT.notifications.metrics) } : {}),
  };
  const policy = (name: string, podSelector: Json, ingress: Json[]): ManifestObject =>
    companion('networking.k8s.io/v1', 'NetworkPolicy', name, namespace, {
      spec: { podSelector, policyTypes: ['Ingress'], ingress },
    });
  return [
    policy('argocd-default-deny-ingress', {}, []),
    ...Object.entries(rulesOf)
      .filter(([, r]) => r.length > 0)
      .map(([c, r]) =>
        policy(
          `argocd-${COMPONENT[c as Component].name}`,
          { matchLabels: argoCdPodLabels(c as Component, release) },
          r,
        ),
      ),
  ];
}

const TRAFFIC_SOURCE = { namespace: 'string', podLabels: 'string-map' } as const;

/** The rules beyond the props' shapes: SSO, OCI repositories and the traffic sources' namespaces and labels. */
function checkArgoCdProps(v: PropsValidator, props: ArgoCdProps): void {
  if (props.sso !== undefined) checkSso(v, props.sso);
  (props.ociRepositories ?? []).forEach((r, i) => {
    v.check(`ociRepositories[${i}].name`, r.name, rules.dns1123Label);
    if (r.url.includes('://'))
      v.fail(
        `ociRepositories[${i}].url`,
        r.url,
        'must be a registry path without a scheme, e.g. "docker.io/envoyproxy"',
      );
  });
  const sources: [string, TrafficSource | undefined][] = [
    ...(props.gatewayProxies ?? []).map((s, i): [string, TrafficSource] => [`gatewayProxies[${i}]`, s]),
    ['prometheus', props.prometheus],
  ];
  for (const [field, s] of sources) {
    if (s === undefined) continue;
    v.check(`${field}.namespace`, s.namespace, rules.dns1123Label);
    for (const [key, value] of Object.entries(s.podLabels ?? {})) {
      v.check(`${field}.podLabels.${key}`, key, rules.labelKey);
      v.check(`${field}.podLabels.${key}`, value, rules.labelValue);
    }
  }
}

/** Argo CD: GitOps continuous delivery (the default GitOps engine). */
export function argoCd(props: ArgoCdProps = {}): AddonDeclaration {
  const v = addonValidator('argo-cd', props, {
    serverInsecure: 'boolean',
    dex: 'boolean',
    size: SIZE_SPEC,
    ociRepositories: listOf<{ name: string; url: string }>({ name: 'string', url: 'string' }, ['name', 'url']),
    gatewayProxies: listOf<TrafficSource>(TRAFFIC_SOURCE, ['namespace']),
    prometheus: objectSpec<TrafficSource>(TRAFFIC_SOURCE, ['namespace']),
    sso: OIDC_SSO_SPEC,
  });
  checkArgoCdProps(v, props);
  checkRawValues(v, props.values ?? {});
  // argo-helm argo-cd-9.1.9 and 10.1.1 templates/argocd-configs/repository-secret.yaml: one repository Secret per
  // configs.repositories entry, every field base64-encoded as given
  const repositories = Object.fromEntries(
    (props.ociRepositories ?? []).map((r) => [r.name, { name: r.name, url: r.url, type: 'helm', enableOCI: 'true' }]),
  );
  const big = { cpu: '100m', memory: '256Mi', ...props.size };
  const small = { cpu: '25m', memory: '64Mi' };
  const sso = props.sso !== undefined ? ssoValues(props.sso) : undefined;
  const values: Record<string, unknown> = {
    crds: { install: true, keep: true },
    configs: {
      params: { 'server.insecure': props.serverInsecure ?? false },
      cm: {
        // app of apps: let sync waves wait for child Applications to be healthy
        'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        // canary weights survive self-heal (see CANARY_ROUTE_IGNORE)
        'resource.customizations.ignoreDifferences.gateway.networking.k8s.io_HTTPRoute': CANARY_ROUTE_IGNORE,
        'resource.customizations.ignoreDifferences.gateway.networking.k8s.io_GRPCRoute': CANARY_ROUTE_IGNORE,
        ...sso?.cm,
      },
      ...(sso !== undefined ? { rbac: sso.rbac } : {}),
      ...(Object.keys(repositories).length > 0 ? { repositories } : {}),
    },
    // argo-helm argo-cd 10.1.1 values.yaml global.networkPolicy.create (true since 10.0.0) renders
    // templates/argocd-server/networkpolicy.yaml with `ingress: [{}]`: argocd-server open to every
    // Pod. Off, and the add-on ships its own policies (networkPolicies above) as companions.
    global: { networkPolicy: { create: false, defaultDenyIngress: false } },
    dex: { enabled: props.dex ?? false },
    // the metrics Service the platform's ServiceMonitor scrapes (argoCdMetricsService); the chart's own
    // ServiceMonitor (controller.metrics.serviceMonitor) stays off: it needs the monitoring CRDs, which
    // come after the GitOps engine
    controller: { resources: requestsOf(big), metrics: { enabled: true } },
    repoServer: { resources: requestsOf(big) },
    server: { resources: requestsOf(small) },
    redis: { resources: requestsOf(small) },
    applicationSet: { resources: requestsOf(small) },
    notifications: { enabled: false },
  };
  // which optional components run, as the chart reads them (values.yaml dex.enabled, notifications.enabled)
  const merged = deepMerge(values, props.values ?? {});
  const enabled = (key: string): boolean => isRecord(merged[key]) && (merged[key] as Json).enabled === true;
  return declareAddon({
    id: 'argo-cd',
    props,
    validator: v,
    defaultNamespace: 'argocd',
    values,
    companions: (namespace) => [
      ...networkPolicies(namespace, 'argo-cd', { dex: enabled('dex'), notifications: enabled('notifications') }, props),
      ...(props.sso !== undefined
        ? [oidcClientSecret(namespace, props.sso, { 'app.kubernetes.io/part-of': 'argocd' })]
        : []),
    ],
    provides: (namespace) => ({ metricsServices: [argoCdMetricsService(namespace)] }),
    providesCrds: ['argoproj.io'],
    // argoproj.io is shared with Argo Rollouts: this chart serves only Argo CD's kinds
    providesKinds: { 'argoproj.io': ['Application', 'AppProject', 'ApplicationSet'] },
    components: { controller: big, repoServer: big, server: small, redis: small, applicationSet: small },
  });
}
