import { GroundworkValidationError } from '../internal/validator';
import { type AddonDeclaration, type AddonProps, type AddonSlot, footprintOf } from './addon';
import { withNamespaces } from './addon-namespaces';
import { argoCd, type ArgoCdProps } from './argo-cd';
import { argoRollouts, type ArgoRolloutsProps } from './argo-rollouts';
import { certManager, type CertManagerProps } from './cert-manager';
import { envoyGateway, type EnvoyGatewayProps } from './envoy-gateway';
import type { ExternalDnsProps } from './external-dns';
import { externalSecrets, type ExternalSecretsProps } from './external-secrets';
import { flux, type FluxProps } from './flux';
import { gatekeeper } from './gatekeeper';
import { type AddonPlan, planAddons } from './graph';
import { registeredAt, type RegisteredAddonEntry } from './registry';
import { ingressNginx, type IngressNginxProps } from './ingress-nginx';
import { istio, type IstioProps } from './istio';
import { kubePrometheusStack, type MonitoringProps } from './kube-prometheus-stack';
import { kyverno, type PolicyProps } from './kyverno';
import { linkerd, type LinkerdProps } from './linkerd';
import { loki, type LokiProps } from './loki';
import type { MetricsServerProps } from './metrics-server';
import { openTelemetryCollector, type OpenTelemetryCollectorProps } from './opentelemetry-collector';
import { jaeger, type JaegerProps } from './jaeger';
import type { VerticalPodAutoscalerProps } from './vertical-pod-autoscaler';
import type { ClusterAutoscalerProps } from './cluster-autoscaler';
import type { TelepresenceProps } from './telepresence';
import type { VeleroProps } from './velero';
import type { AwsEbsCsiDriverProps } from './aws-ebs-csi-driver';
import { type ClusterFacts, PlatformContract } from '../platform/contract';
import { referencesOf } from '../platform/references';

/** The add-on profile of one environment: which essentials are on, and how they are set. */
export interface PlatformAddonsProps {
  /**
   * What the cluster provides before any add-on (storage classes, its own system namespaces).
   * @default - nothing but `kube-system`
   */
  readonly cluster?: ClusterFacts;
  /**
   * Amazon EBS CSI driver and its StorageClass (EKS).
   * @default false
   */
  readonly awsEbsCsi?: AwsEbsCsiDriverProps | false;
  /**
   * Nodes in the cluster (DaemonSet components count once per node in the footprint).
   * @default 3
   */
  readonly nodes?: number;
  /**
   * Ingress controllers; at most one may be `default`.
   * @default - envoy-gateway alone, as the default
   */
  readonly ingress?: {
    readonly envoyGateway?: EnvoyGatewayProps | false;
    readonly ingressNginx?: IngressNginxProps | false;
  };
  /**
   * cert-manager and its ClusterIssuers; `false` installs none (then no add-on may ask it for a
   * certificate: a Gateway's `clusterIssuer`, Linkerd's identity issuer, an acting VPA's webhook).
   */
  readonly certManager: CertManagerProps | false;
  /**
   * External-DNS; off (`false`) where there is no public DNS, e.g. kind.
   * @default false
   */
  readonly externalDns?: ExternalDnsProps | false;
  /**
   * GitOps engine.
   * @default { engine: 'argo-cd' }
   */
  readonly gitops?: { readonly engine: 'argo-cd'; readonly argoCd?: ArgoCdProps } | { readonly engine: 'flux'; readonly flux?: FluxProps } | false;
  /**
   * Service mesh.
   * @default false
   */
  readonly mesh?: { readonly engine: 'istio'; readonly istio?: IstioProps } | { readonly engine: 'linkerd'; readonly linkerd: LinkerdProps } | false;
  /**
   * Backups.
   * @default false
   */
  readonly backup?: VeleroProps | false;
  /**
   * Policy engine and its baseline.
   * @default { engine: 'kyverno' }
   */
  readonly policy?: { readonly engine: 'kyverno' | 'gatekeeper'; readonly settings?: PolicyProps } | false;
  /**
   * Monitoring (kube-prometheus-stack).
   * @default {}
   */
  readonly monitoring?: MonitoringProps | false;
  /**
   * Logs (Loki and Alloy).
   * @default {}
   */
  readonly logs?: LokiProps | false;
  /**
   * Tracing pipeline (OpenTelemetry Collector). It exports traces to the tracing backend unless
   * `tracesEndpoint` says otherwise.
   * @default {}
   */
  readonly tracing?: OpenTelemetryCollectorProps | false;
  /**
   * Tracing backend (Jaeger v2): stores traces and serves the query UI.
   * @default {} (in memory; use { storage: { type: 'badger', size } } to keep traces across restarts)
   */
  readonly tracingBackend?: JaegerProps | false;
  /**
   * Vertical Pod Autoscaler (WebService `verticalScaling` needs it).
   * @default {} (recommendations only)
   */
  readonly verticalPodAutoscaler?: VerticalPodAutoscalerProps | false;
  /**
   * Cluster Autoscaler (EKS: scales tagged Auto Scaling groups). GKE and AKS autoscale node pools
   * themselves; kind has no node groups.
   * @default false
   */
  readonly clusterAutoscaler?: ClusterAutoscalerProps | false;
  /**
   * metrics-server (HPAs need it; managed clusters may ship their own).
   * @default {}
   */
  readonly metricsServer?: MetricsServerProps | false;
  /**
   * Telepresence (development environments only).
   * @default false
   */
  readonly telepresence?: TelepresenceProps | false;
  /**
   * Argo Rollouts (canary and blue-green).
   * @default {}
   */
  readonly rollouts?: ArgoRolloutsProps | false;
  /**
   * External Secrets and its ClusterSecretStore.
   * @default false
   */
  readonly externalSecrets?: ExternalSecretsProps | false;
}

/** The registered add-ons' profile keys and props, as the registry types them. */
type RegisteredProfile = { readonly [E in RegisteredAddonEntry as E['profileKey']]?: Parameters<E['declare']>[0] | false };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: every registry key is a profile key (`Pick` refuses others) with its entry's props type. */
export const REGISTRY_MATCHES_PROFILE: Same<RegisteredProfile, Pick<PlatformAddonsProps, RegisteredAddonEntry['profileKey']>> = true;

/** Declarations, their install plan and footprint. */
export interface PlatformAddons {
  readonly declarations: readonly AddonDeclaration[];
  readonly plan: AddonPlan;
  readonly footprint: { readonly cpuCores: number; readonly memoryBytes: number };
  readonly warnings: readonly string[];
  /** What the enabled add-ons and the cluster provide: apps read their references from it. */
  readonly contract: PlatformContract;
}

/** Every key of the profile: a Record over the interface's keys, so a new prop that is not listed fails to compile. */
const PROFILE_KEY_SET: Readonly<Record<keyof PlatformAddonsProps, true>> = {
  cluster: true,
  awsEbsCsi: true,
  nodes: true,
  ingress: true,
  certManager: true,
  externalDns: true,
  gitops: true,
  mesh: true,
  backup: true,
  policy: true,
  monitoring: true,
  logs: true,
  tracing: true,
  tracingBackend: true,
  verticalPodAutoscaler: true,
  clusterAutoscaler: true,
  metricsServer: true,
  telepresence: true,
  rollouts: true,
  externalSecrets: true,
};
const PROFILE_KEYS = Object.keys(PROFILE_KEY_SET) as (keyof PlatformAddonsProps)[];

const isOn = <T>(x: T | false | undefined): x is T => x !== undefined && x !== false;

/** Builds the enabled add-ons from a profile, checks cross-add-on rules and plans the install order. */
export function platformAddons(props: PlatformAddonsProps): PlatformAddons {
  checkProfile(props);
  const collected = new Collected();
  collectNetworking(props, collected);
  collectObservability(props, collected);
  const systemNamespaces = collectDelivery(props, collected);
  if (props.certManager === false) certManagerNeeds(collected);
  if (collected.problems.length > 0) throw new GroundworkValidationError(collected.problems);
  const labelled = withNamespaces(collected.decls, systemNamespaces);
  const plan = planAddons(labelled);
  const contract = new PlatformContract(labelled, props.cluster);
  return {
    declarations: labelled,
    plan,
    footprint: footprintOf(labelled, props.nodes ?? 3),
    warnings: labelled.flatMap((d) => d.warnings.map((w) => `${d.id}: ${w}`)),
    contract,
  };
}

/** JavaScript and JSON callers: an unknown key or engine is refused, never dropped or defaulted. */
function checkProfile(props: PlatformAddonsProps): void {
  const problems: string[] = [];
  for (const key of Object.keys(props)) {
    if (!PROFILE_KEYS.includes(key as keyof PlatformAddonsProps))
      problems.push(`PlatformAddons: ${key} is not an add-on profile key; allowed: ${PROFILE_KEYS.join(', ')}`);
  }
  const engine = (field: string, value: { readonly engine?: unknown } | false | undefined, allowed: readonly string[]): void => {
    if (value !== undefined && value !== false && !allowed.includes(value.engine as string)) {
      problems.push(`PlatformAddons: ${field}.engine (${JSON.stringify(value.engine)}) must be one of ${allowed.join(', ')}`);
    }
  };
  engine('gitops', props.gitops, ['argo-cd', 'flux']);
  engine('mesh', props.mesh, ['istio', 'linkerd']);
  engine('policy', props.policy, ['kyverno', 'gatekeeper']);
  if (props.nodes !== undefined && (!Number.isInteger(props.nodes) || props.nodes < 1))
    problems.push(`PlatformAddons: nodes (${JSON.stringify(props.nodes)}) must be a whole number >= 1 (per-node agents are counted once per node)`);
  // JavaScript and JSON callers may leave it out: it has no default, the choice is the profile's
  if (props.certManager === undefined)
    problems.push('PlatformAddons: certManager (undefined) is required: its props ({} for the defaults), or false to install no cert-manager');
  if (problems.length > 0) throw new GroundworkValidationError(problems);
}

/** The declarations of the profile in profile order, and the problems their builders reported. */
class Collected {
  readonly problems: string[] = [];
  readonly decls: AddonDeclaration[] = [];

  /** The declarations `build` returns; its validation problems are collected instead of thrown. */
  declare(build: () => AddonDeclaration | AddonDeclaration[]): AddonDeclaration[] {
    try {
      const out = build();
      return Array.isArray(out) ? out : [out];
    } catch (e) {
      if (e instanceof GroundworkValidationError) this.problems.push(...e.problems);
      else throw e;
      return [];
    }
  }

  collect(build: () => AddonDeclaration | AddonDeclaration[]): void {
    this.decls.push(...this.declare(build));
  }

  /**
   * The registered add-ons of `slot` the profile turns on, in registry order. A key left out takes
   * the entry's default; `null` counts as left out only where the default is on (as before the registry).
   */
  registered(props: PlatformAddonsProps, slot: AddonSlot): void {
    for (const entry of registeredAt(slot)) {
      const given: unknown = props[entry.profileKey];
      // a copy of the default: the registry is exported, and no profile may share (or change) another's props
      const value = entry.defaultProps === false ? given : (given ?? structuredClone(entry.defaultProps));
      const declare = entry.declare as (p: AddonProps) => AddonDeclaration | AddonDeclaration[];
      if (value !== undefined && value !== false) this.collect(() => declare(value as AddonProps));
    }
  }

  /** Like `collect` for one declaration, returned so others can read what it provides. */
  collectOne(build: () => AddonDeclaration): AddonDeclaration | undefined {
    const before = this.decls.length;
    this.collect(build);
    return this.decls.length > before ? this.decls[this.decls.length - 1] : undefined;
  }
}

/** Ingress controllers, storage, cert-manager, External-DNS, the mesh and backups. */
function collectNetworking(props: PlatformAddonsProps, collected: Collected): void {
  const { problems } = collected;
  const ingress = props.ingress ?? { envoyGateway: { default: true } };
  const eg = ingress.envoyGateway;
  const nginx = ingress.ingressNginx;
  const defaults = [isOn(eg) && eg.default && 'envoy-gateway', isOn(nginx) && nginx.default && 'ingress-nginx'].filter(Boolean);
  if (defaults.length > 1) problems.push(`PlatformAddons: ingress (${defaults.join(', ')}) must mark at most one controller as default`);
  if (isOn(eg)) collected.collect(() => envoyGateway(eg));
  if (isOn(nginx)) collected.collect(() => ingressNginx(nginx));

  const cm = props.certManager;
  const solver = isOn(cm) ? cm.letsEncrypt?.solver : undefined;
  if (solver?.type === 'http01' && solver.gateway === undefined && !isOn(nginx)) {
    problems.push(
      `PlatformAddons: certManager.letsEncrypt.solver (http01 through IngressClass '${solver.ingressClassName ?? 'nginx'}') needs ingress-nginx; set solver.gateway to answer challenges through the Gateway`,
    );
  }
  collected.registered(props, 'after-ingress');
  if (isOn(cm)) collected.collect(() => certManager({ gatewayApi: isOn(eg), ...cm }));
  collected.registered(props, 'after-cert-manager');

  const mesh = props.mesh ?? false;
  if (mesh !== false) collected.collect(() => (mesh.engine === 'istio' ? istio(mesh.istio) : linkerd({ installGatewayApiCrds: !isOn(eg), ...mesh.linkerd })));
  collected.registered(props, 'after-mesh');
}

/** Monitoring, logs, tracing, autoscaling, metrics-server and Telepresence. */
function collectObservability(props: PlatformAddonsProps, collected: Collected): void {
  const monitoring = props.monitoring ?? {};
  const es = props.externalSecrets;
  // Grafana's admin Secret comes from the platform's secret store when there is one
  const grafanaAdmin = isOn(es) ? { secretStore: es.storeName, remoteKey: 'grafana-admin' } : undefined;
  const logs = props.logs ?? {};
  // Loki admits Grafana and Prometheus from where the monitoring add-on runs them
  const monitoringNamespace = monitoring !== false ? { monitoringNamespace: monitoring.namespace ?? 'monitoring' } : {};
  const logStore = logs !== false ? collected.declare(() => loki({ ...monitoringNamespace, ...logs })) : [];
  // Grafana queries the logs where the log store says they are, as its tenant
  const logsOffer = logStore.find((d) => d.provides.logs !== undefined)?.provides.logs;
  if (monitoring !== false)
    collected.collect(() => kubePrometheusStack({ ...(grafanaAdmin ? { grafanaAdmin } : {}), ...(logsOffer ? { logs: logsOffer } : {}), ...monitoring }));
  collected.decls.push(...logStore);
  const backend = props.tracingBackend ?? {};
  const tracingBackend = backend !== false ? collected.collectOne(() => jaeger(backend)) : undefined;
  const tracing = props.tracing ?? {};
  // the collector sends traces where the backend says it receives them
  const otlpEndpoint = tracingBackend?.provides.tracing?.otlpGrpcEndpoint;
  if (tracing !== false)
    collected.collect(() => openTelemetryCollector({ ...(otlpEndpoint !== undefined ? { tracesEndpoint: otlpEndpoint } : {}), ...tracing }));
  collected.registered(props, 'after-tracing');
}

/** Argo Rollouts, External Secrets, the GitOps engine and, last, the policy engine; returns the cluster's own namespaces. */
function collectDelivery(props: PlatformAddonsProps, collected: Collected): readonly string[] {
  const { decls } = collected;
  const rollouts = props.rollouts ?? {};
  // the controller's NetworkPolicy lets it reach the platform's Prometheus (analysis runs), read from its offer
  const prometheus = decls.find((d) => d.provides.monitoring !== undefined)?.provides.monitoring?.prometheus;
  if (rollouts !== false) collected.collect(() => argoRollouts({ ...(prometheus ? { prometheus } : {}), ...rollouts }));
  const es = props.externalSecrets;
  if (isOn(es)) {
    // the shared store serves only the add-ons' own ExternalSecrets (Grafana's admin) unless told otherwise
    const users = [
      ...new Set(
        decls
          .flatMap((d) => [...d.prerequisites, ...d.companions])
          .filter((o) => o.kind === 'ExternalSecret' && (o.spec as { secretStoreRef?: { name?: string } } | undefined)?.secretStoreRef?.name === es.storeName)
          .map((o) => o.metadata?.namespace ?? ''),
      ),
    ].sort();
    collected.collect(() => externalSecrets({ allowedNamespaces: users, ...es }));
  }
  const gitops = props.gitops ?? { engine: 'argo-cd' as const };
  if (gitops !== false) collected.collect(() => gitopsEngine(gitops, decls, prometheus));
  // the policy engine comes last so its baseline can exempt every add-on namespace (their charts
  // run node agents and controllers that the restricted profile would reject) and the namespaces
  // the cluster runs its own components in (kind's local-path-provisioner starts unlabelled
  // hostPath helper Pods in its own namespace: rancher/local-path-provisioner v0.0.37 provisioner.go
  // `helperPod.Namespace = p.namespace`)
  const systemNamespaces = props.cluster?.systemNamespaces ?? ['kube-system'];
  const policy = props.policy ?? { engine: 'kyverno' as const };
  if (policy !== false) {
    // every namespace an add-on's chart runs Pods in: its own, and those created before the chart (node-exporter's)
    const created = decls.flatMap((d) => d.prerequisites.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name ?? ''));
    const excludeNamespaces =
      policy.settings?.excludeNamespaces ?? [...new Set([...systemNamespaces, ...decls.map((d) => d.namespace), ...created.filter((n) => n !== '')])].sort();
    const settings: PolicyProps = { ...policy.settings, excludeNamespaces };
    collected.collect(() => (policy.engine === 'kyverno' ? kyverno(settings) : gatekeeper(settings)));
  }
  return systemNamespaces;
}

/** The GitOps engine, registering every OCI chart repository of the profile (Argo CD needs enableOCI). */
function gitopsEngine(
  gitops: Exclude<PlatformAddonsProps['gitops'], false | undefined>,
  decls: readonly AddonDeclaration[],
  prometheus: NonNullable<AddonDeclaration['provides']['monitoring']>['prometheus'] | undefined,
): AddonDeclaration | AddonDeclaration[] {
  const ociRepositories = [...new Set(decls.map((d) => d.chart.repository).filter((r) => r.startsWith('oci://')))].map((r) => ({
    name: r.slice('oci://'.length).replace(/[^a-z0-9]+/g, '-'),
    url: r.slice('oci://'.length),
  }));
  // the Argo CD server admits the Gateways' proxies, its metrics ports the platform's Prometheus (read from their offers)
  const gatewayProxies = decls.flatMap((d) => d.provides.gateways ?? []).map((g) => g.proxies);
  return gitops.engine === 'argo-cd'
    ? argoCd({
        ...(ociRepositories.length > 0 ? { ociRepositories } : {}),
        ...(gatewayProxies.length > 0 ? { gatewayProxies } : {}),
        ...(prometheus ? { prometheus } : {}),
        ...gitops.argoCd,
      })
    : flux(gitops.flux);
}

/** Without cert-manager, what asks it for certificates would wait for them forever: names each add-on and why. */
function certManagerNeeds({ decls, problems }: Collected): void {
  for (const d of decls) {
    const needs = d.requiresCrds.includes('cert-manager.io') ? ['its chart needs the cert-manager.io CRDs'] : [];
    for (const o of [...d.prerequisites, ...d.companions]) {
      const what = `its ${o.kind} '${o.metadata?.namespace !== undefined ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}'`;
      if (o.apiVersion.startsWith('cert-manager.io/')) needs.push(`${what} is a cert-manager object`);
      else
        for (const r of referencesOf(o))
          if (r.kind === 'ClusterIssuer' || r.kind === 'Issuer') needs.push(`${what} asks ${r.kind} '${r.name}' for a certificate (${r.via})`);
    }
    if (needs.length > 0) problems.push(`PlatformAddons: certManager (false) installs no cert-manager, which ${d.id} needs: ${needs.join('; ')}`);
  }
}
