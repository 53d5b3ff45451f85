import * as rules from '../internal/rules';
import { apiServerEgress, coreDnsEgress, sourcePeer } from '../internal/network-peers';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { objectSpec, type PropsValidator } from '../internal/validator';
import type { ManifestObject } from '../policy/check-manifests';
import { part, registerAddon } from './register';

/** The gatewayAPI traffic-router plugin the controller downloads at start. */
export interface GatewayApiPluginProps {
  /** Release tag of argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi, e.g. `v0.15.0`. */
  readonly version: string;
  /** The nodes' architecture (release asset `gatewayapi-plugin-linux-<arch>`). */
  readonly arch: 'amd64' | 'arm64';
  /**
   * sha256 of the release asset, 64 lowercase hexadecimal characters (`sha256sum gatewayapi-plugin-linux-<arch>`).
   * The controller refuses to start when the download does not match it.
   * @default - the digest known for `version` and `arch` (v0.15.0 linux-amd64); required for any other pair
   */
  readonly sha256?: string;
}

/** Where the platform's Prometheus runs: the controller may query it for analysis runs. */
export interface RolloutsPrometheusProps {
  /** Namespace of the Prometheus Pods. */
  readonly namespace: string;
  /**
   * Labels of the Prometheus Pods.
   * @default - every Pod in the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Port Prometheus serves queries on, on its Pods.
   * @default 9090
   */
  readonly port?: number;
}

/** Props of the Argo Rollouts add-on. */
export interface ArgoRolloutsProps extends AddonProps {
  /**
   * Controller requests.
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * The gatewayAPI traffic-router plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi) the
   * controller downloads at start, so canaries shift weights on HTTPRoutes; `false` turns it off.
   * The rendered entry always carries the asset's sha256.
   * @default { version: 'v0.15.0', arch: 'amd64' }
   */
  readonly gatewayApiPlugin?: GatewayApiPluginProps | false;
  /**
   * The platform's Prometheus: the controller's NetworkPolicy lets it query Prometheus for analysis
   * runs (`platformAddons` passes what the monitoring add-on provides).
   * @default - none: no egress for analysis queries
   */
  readonly prometheus?: RolloutsPrometheusProps;
}

/**
 * sha256 of gatewayAPI plugin release assets, by `<version>/linux-<arch>`.
 *
 * v0.15.0 linux-amd64 is taken from a third-party configuration that pins it (a public nixidy
 * definition of the argo-rollouts chart's controller.trafficRouterPlugins); it could not be
 * recomputed here (no GitHub downloads). If it is wrong, the controller refuses to start (fails
 * closed, see below): set `gatewayApiPlugin.sha256` to the `sha256sum` of the asset. No arm64
 * digest is known for v0.15.0, so arm64 needs `sha256`.
 */
const KNOWN_PLUGIN_DIGESTS: Readonly<Record<string, string>> = {
  'v0.15.0/linux-amd64': '24816da0e613836b3f180a2b50f6199431668c72d7f4adeef09284bffc6582a1',
};

/**
 * argoproj/argo-rollouts v1.9.0 and v1.9.1 (argo-helm argo-rollouts-2.40.10 ships appVersion v1.9.0):
 * utils/plugin/types/types.go PluginItem has `sha256`; utils/plugin/downloader.go checks it only
 * when non-empty, and compares it with `fmt.Sprintf("%x", sha256.Sum256(file))` (lowercase hex)
 * only when it is 64 characters long; any other length is compared with `hasher.Sum(fileBytes)` (the
 * file's own bytes followed by the digest of nothing), never with a digest of the file. A mismatch
 * makes DownloadPlugins fail and controller/controller.go exit (`log.Fatalf("Failed to download
 * plugins: …")`).
 */
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHA256_RULE =
  'must be 64 lowercase hexadecimal characters (the `sha256sum` of the release asset; Argo Rollouts compares lowercase hex)';

/** Chart values lists of plugins the controller downloads (argo-helm argo-rollouts-2.40.10 templates/controller/configmap.yaml). */
const PLUGIN_LISTS = ['trafficRouterPlugins', 'metricProviderPlugins', 'stepPlugins'] as const;

/**
 * Labels of the controller Pods: argo-helm argo-rollouts-2.40.10 templates/controller/deployment.yaml
 * selector (`app.kubernetes.io/component: {{ .Values.controller.component }}`, default
 * `rollouts-controller` in values.yaml) plus `argo-rollouts.selectorLabels` in templates/_helpers.tpl
 * (`app.kubernetes.io/name` is the chart name, `app.kubernetes.io/instance` the release name, which
 * declareAddon sets to the add-on id).
 */
const CONTROLLER_POD_LABELS = {
  'app.kubernetes.io/component': 'rollouts-controller',
  'app.kubernetes.io/name': 'argo-rollouts',
  'app.kubernetes.io/instance': 'argo-rollouts',
} as const;

/** values.yaml controller.containerPorts (argo-helm argo-rollouts-2.40.10): metrics 8090, healthz 8080. */
const METRICS_PORT = 8090;
const HEALTHZ_PORT = 8080;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Raw values that would make the NetworkPolicy select nothing or miss the probe ports are refused; every plugin the raw values add must carry a valid sha256. */
function checkRawValues(v: PropsValidator, raw: Readonly<Record<string, unknown>>): void {
  const fixed =
    "is fixed: the controller NetworkPolicy selects the chart's default labels and ports (argo-helm argo-rollouts-2.40.10 values.yaml)";
  if (raw.nameOverride !== undefined) v.fail('values.nameOverride', raw.nameOverride, fixed);
  const controller = raw.controller;
  if (!isRecord(controller)) return;
  if (controller.component !== undefined) v.fail('values.controller.component', controller.component, fixed);
  if (controller.containerPorts !== undefined)
    v.fail('values.controller.containerPorts', controller.containerPorts, fixed);
  for (const list of PLUGIN_LISTS) {
    const items = controller[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      const sha = isRecord(item) ? item.sha256 : undefined;
      if (typeof sha !== 'string' || !SHA256_HEX.test(sha))
        v.fail(`values.controller.${list}[${i}].sha256`, sha, SHA256_RULE);
    });
  }
}

/**
 * The controller's NetworkPolicy. The controller reads every Secret in the cluster (the chart's
 * ClusterRole: templates/_helpers.tpl `argo-rollouts.controller.roleRules`, "secret read access to
 * run analysis templates") and fetches URLs for the `web` metric provider, and the chart has no
 * NetworkPolicy option (argo-helm argo-rollouts-2.40.10: no template, no values key), so egress is
 * held to DNS, HTTPS and the API server, and the platform's Prometheus when given.
 */
function controllerNetworkPolicy(namespace: string, prometheus: RolloutsPrometheusProps | undefined): ManifestObject {
  const egress: Record<string, unknown>[] = [
    coreDnsEgress(),
    // the API server; 443 also covers the plugin download (github.com release assets), notifications
    // and `web` metrics over HTTPS
    apiServerEgress(),
  ];
  if (prometheus !== undefined) {
    egress.push({
      to: [sourcePeer(prometheus)],
      ports: [{ port: prometheus.port ?? 9090, protocol: 'TCP' }],
    });
  }
  return companion('networking.k8s.io/v1', 'NetworkPolicy', 'argo-rollouts-controller', namespace, {
    spec: {
      podSelector: { matchLabels: { ...CONTROLLER_POD_LABELS } },
      policyTypes: ['Ingress', 'Egress'],
      // metrics (Prometheus scrapes, readiness probe) and healthz (liveness probe) only, from anywhere:
      // the controller serves no webhook
      ingress: [
        {
          ports: [
            { port: METRICS_PORT, protocol: 'TCP' },
            { port: HEALTHZ_PORT, protocol: 'TCP' },
          ],
        },
      ],
      egress,
    },
  });
}

/**
 * Checks the gatewayAPI plugin's version, architecture and digest; returns the digest the controller
 * verifies the download against (the one given, or the one known for the version and architecture).
 */
function pluginDigest(v: PropsValidator, plugin: GatewayApiPluginProps): string | undefined {
  let sha256: string | undefined;
  v.check('gatewayApiPlugin.version', plugin.version, rules.exactVersion);
  if (plugin.arch !== 'amd64' && plugin.arch !== 'arm64') {
    v.fail('gatewayApiPlugin.arch', plugin.arch, 'must be "amd64" or "arm64" (the nodes\' architecture)');
  } else if (plugin.sha256 !== undefined) {
    v.check('gatewayApiPlugin.sha256', plugin.sha256, (s) => (SHA256_HEX.test(s) ? undefined : SHA256_RULE));
    sha256 = plugin.sha256;
  } else {
    sha256 = KNOWN_PLUGIN_DIGESTS[`${plugin.version}/linux-${plugin.arch}`];
    if (sha256 === undefined)
      v.fail(
        'gatewayApiPlugin.sha256',
        undefined,
        `is required for ${plugin.version} linux-${plugin.arch} (no digest is known for that pair): set it to the \`sha256sum\` of the release asset gatewayapi-plugin-linux-${plugin.arch} of ${plugin.version}`,
      );
  }
  return sha256;
}

/** Argo Rollouts: the controller behind canary and blue-green releases. */
export function argoRollouts(props: ArgoRolloutsProps = {}): AddonDeclaration {
  const v = addonValidator('argo-rollouts', props, {
    size: SIZE_SPEC,
    gatewayApiPlugin: [
      objectSpec<GatewayApiPluginProps>({ version: 'string', arch: 'string', sha256: 'string' }, ['version', 'arch']),
      'false',
    ],
    prometheus: objectSpec<RolloutsPrometheusProps>({ namespace: 'string', podLabels: 'string-map', port: 'number' }, [
      'namespace',
    ]),
  });
  const plugin = props.gatewayApiPlugin ?? { version: 'v0.15.0', arch: 'amd64' as const };
  const sha256 = plugin !== false ? pluginDigest(v, plugin) : undefined;
  const prometheus = props.prometheus;
  if (prometheus !== undefined) {
    v.check('prometheus.namespace', prometheus.namespace, rules.dns1123Label);
    for (const [key, value] of Object.entries(prometheus.podLabels ?? {})) {
      v.check(`prometheus.podLabels.${key}`, key, rules.labelKey);
      v.check(`prometheus.podLabels.${key}`, value, rules.labelValue);
    }
    v.check('prometheus.port', prometheus.port, rules.port);
  }
  checkRawValues(v, props.values ?? {});
  // argo-helm argo-rollouts-2.40.10 values.yaml: controller.trafficRouterPlugins, passed through with
  // toYaml into the argo-rollouts-config ConfigMap (templates/controller/configmap.yaml), so `sha256`
  // reaches the controller; providerRBAC.providers.gatewayAPI (default true) grants the HTTPRoute rights.
  // Release assets are gatewayapi-plugin-linux-<arch> (the plugin's Makefile, v0.15.0)
  const trafficRouterPlugins =
    plugin === false
      ? []
      : [
          {
            name: 'argoproj-labs/gatewayAPI',
            location: `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/${plugin.version}/gatewayapi-plugin-linux-${plugin.arch}`,
            sha256: sha256 ?? '',
          },
        ];
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  return declareAddon({
    id: 'argo-rollouts',
    props,
    validator: v,
    defaultNamespace: 'argo-rollouts',
    values: {
      installCRDs: true,
      keepCRDs: true,
      controller: { replicas: 1, resources: requestsOf(size), trafficRouterPlugins },
      dashboard: { enabled: false },
      // Helm merges maps: every provider the chart enables by default (argo-helm argo-rollouts-2.40.10
      // values.yaml providerRBAC.providers: istio, smi, ambassador, … all true) must be turned off by
      // name, or the controller may rewrite any namespace's VirtualServices, Mappings, TraefikServices…
      providerRBAC: {
        enabled: true,
        providers: {
          istio: false,
          smi: false,
          ambassador: false,
          awsLoadBalancerController: false,
          awsAppMesh: false,
          traefik: false,
          apisix: false,
          contour: false,
          glooPlatform: false,
          gatewayAPI: true,
        },
      },
    },
    companions: (namespace) => [controllerNetworkPolicy(namespace, prometheus)],
    provides: () => ({ progressiveDelivery: { gatewayApiTrafficRouting: plugin !== false } }),
    providesCrds: ['argoproj.io'],
    // argoproj.io is shared with Argo CD: this chart serves only the Rollouts kinds
    providesKinds: {
      'argoproj.io': ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'],
    },
    components: { controller: size },
  });
}

/** The profile's `rollouts` key: Argo Rollouts, whose NetworkPolicy lets it reach the Prometheus the monitoring add-on offers. */
export const argoRolloutsAddon = registerAddon({
  profileKey: 'rollouts',
  defaultProps: {},
  declare: (props: ArgoRolloutsProps, ctx) => {
    const prometheus = ctx.declared.find((d) => d.provides.monitoring !== undefined)?.provides.monitoring?.prometheus;
    return argoRollouts({ ...(prometheus ? { prometheus } : {}), ...props });
  },
  example: {},
  parts: [part('argo-rollouts', argoRollouts, {})],
});
