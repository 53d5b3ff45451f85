/**
 * The platform contract: what the enabled add-ons (and the cluster itself) provide, derived from
 * their declarations. Apps and companions read ingress classes, Gateways, issuers, secret stores,
 * storage classes and CRD groups from here instead of restating them, so turning an add-on off
 * cannot leave a dangling reference: asking for something nobody provides is a construction error
 * naming the consumer and what is missing.
 */
import type { ExternalObject } from './external-objects';
import type { AddonDeclaration } from '../addons/addon';
import type { AddonId } from '../addons/catalog';
import { requestedHostnames } from '../internal/hostnames';
import { GroundworkValidationError, type PropsValidator } from '../internal/validator';
import type {
  IngressClassOffer,
  GatewayOffer,
  StorageClassOffer,
  MonitoringOffer,
  ProgressiveDeliveryOffer,
  MeshOffer,
  SecretStoreOffer,
  CertificatesOffer,
  TracingOffer,
  LogsOffer,
  VerticalPodAutoscalingOffer,
} from '../addons/offers';

// the offer types live with the add-ons that declare them (addons/offers.ts); importers of this module keep finding them here
export type {
  TrafficSource,
  IngressClassOffer,
  GatewayListenerOffer,
  GatewayOffer,
  StorageClassOffer,
  MonitoringOffer,
  ProgressiveDeliveryOffer,
  MeshOffer,
  SecretStoreOffer,
  AddonProvides,
  CertificatesOffer,
  TracingOffer,
  LogsOffer,
  VerticalPodAutoscalingOffer,
} from '../addons/offers';

/** What the cluster itself provides, before any add-on (environment data). */
export interface ClusterFacts {
  /**
   * StorageClasses the cluster ships (kind: `standard`).
   * @default - none
   */
  readonly storageClasses?: readonly StorageClassOffer[];
  /**
   * Namespaces the cluster's own components run in (policy baselines exempt them).
   * @default ['kube-system']
   */
  readonly systemNamespaces?: readonly string[];
  /**
   * The cluster serves the resource metrics API without an add-on (e.g. GKE).
   * @default false
   */
  readonly metricsApi?: boolean;
  /**
   * Objects made outside the rendering that it may refer to (a CI runner's ServiceAccount bound by
   * an app's RoleBinding), each with what creates it: `verifyPlatform` counts them as there.
   * @default - none
   */
  readonly externalObjects?: readonly ExternalObject[];
}

/** Something the contract lists, with who provides it (an add-on id or `cluster`). */
export interface Provided<T> {
  readonly value: T;
  readonly by: AddonId | 'cluster';
}

/** The platform's offers, derived from the enabled add-ons and the cluster facts. */
export class PlatformContract {
  readonly ingressClasses: readonly Provided<IngressClassOffer>[];
  readonly gateways: readonly Provided<GatewayOffer>[];
  readonly clusterIssuers: readonly Provided<string>[];
  readonly secretStores: readonly Provided<string>[];
  /** The stores with their backends. */
  readonly secretStoreBackends: readonly Provided<SecretStoreOffer>[];
  readonly storageClasses: readonly Provided<StorageClassOffer>[];
  readonly monitoring?: Provided<MonitoringOffer>;
  readonly mesh?: Provided<MeshOffer>;
  readonly progressiveDelivery?: Provided<ProgressiveDeliveryOffer>;
  readonly tracing?: Provided<TracingOffer>;
  readonly logs?: Provided<LogsOffer>;
  readonly verticalPodAutoscaling?: Provided<VerticalPodAutoscalingOffer>;
  readonly certificates?: Provided<CertificatesOffer>;
  /** Namespaces the platform's add-ons run in or create (no tenant or app may hold them). */
  readonly platformNamespaces: readonly Provided<string>[];
  /** Hosts the platform's own routes and Ingresses serve (no tenant may own them). */
  readonly platformHostnames: readonly Provided<string>[];
  /** Who serves the resource metrics API, if anyone. */
  readonly metricsApi?: AddonId | 'cluster';
  /** Add-ons serving each CRD API group. */
  readonly crdProviders: ReadonlyMap<string, readonly AddonId[]>;
  /** Namespaces the cluster's own components run in. */
  readonly systemNamespaces: readonly string[];

  constructor(declarations: readonly AddonDeclaration[], cluster: ClusterFacts = {}) {
    const by = <T>(pick: (d: AddonDeclaration) => readonly T[] | undefined): Provided<T>[] =>
      declarations.flatMap((d) => (pick(d) ?? []).map((value) => ({ value, by: d.id })));
    this.ingressClasses = by((d) => d.provides.ingressClasses);
    this.gateways = by((d) => d.provides.gateways);
    const companionsOfKind =
      (kind: string) =>
      (d: AddonDeclaration): string[] =>
        d.companions.filter((o) => o.kind === kind).map((o) => o.metadata?.name ?? '');
    this.clusterIssuers = by(companionsOfKind('ClusterIssuer'));
    this.secretStoreBackends = by((d) =>
      d.companions
        .filter((o) => o.kind === 'ClusterSecretStore')
        .map((o) => ({
          name: o.metadata?.name ?? '',
          provider: (o.spec as { provider?: Record<string, unknown> } | undefined)?.provider ?? {},
        })),
    );
    this.secretStores = this.secretStoreBackends.map((s) => ({ value: s.value.name, by: s.by }));
    this.storageClasses = [
      ...(cluster.storageClasses ?? []).map((value) => ({ value, by: 'cluster' as const })),
      ...by((d) => d.provides.storageClasses),
    ];
    const monitoring = by((d) => (d.provides.monitoring ? [d.provides.monitoring] : []));
    this.monitoring = monitoring[0];
    const mesh = by((d) => (d.provides.mesh ? [d.provides.mesh] : []));
    this.mesh = mesh[0];
    this.progressiveDelivery = by((d) => (d.provides.progressiveDelivery ? [d.provides.progressiveDelivery] : []))[0];
    this.tracing = by((d) => (d.provides.tracing ? [d.provides.tracing] : []))[0];
    this.logs = by((d) => (d.provides.logs ? [d.provides.logs] : []))[0];
    this.verticalPodAutoscaling = by((d) =>
      d.provides.verticalPodAutoscaling ? [d.provides.verticalPodAutoscaling] : [],
    )[0];
    this.certificates = by((d) => (d.provides.certificates ? [d.provides.certificates] : []))[0];
    this.platformNamespaces = by((d) => [
      ...new Set([
        d.namespace,
        ...[...d.prerequisites, ...d.companions]
          .filter((o) => o.kind === 'Namespace')
          .map((o) => o.metadata?.name ?? ''),
      ]),
    ]).filter((n) => n.value !== '');
    this.platformHostnames = by((d) =>
      d.companions.flatMap((o) => requestedHostnames(o).filter((h): h is string => h !== undefined)),
    );
    this.metricsApi =
      declarations.find((d) => d.provides.metricsApi)?.id ?? (cluster.metricsApi ? 'cluster' : undefined);
    const crds = new Map<string, AddonId[]>();
    for (const d of declarations) for (const g of d.providesCrds) crds.set(g, [...(crds.get(g) ?? []), d.id]);
    this.crdProviders = crds;
    this.systemNamespaces = cluster.systemNamespaces ?? ['kube-system'];
    const defaults = [...this.storageClasses.filter((s) => s.value.default)];
    if (defaults.length > 1) {
      throw new GroundworkValidationError([
        `PlatformContract: storage classes ${defaults.map((s) => `'${s.value.name}' (${s.by})`).join(', ')} are all marked default; at most one may be`,
      ]);
    }
  }

  /** The Gateway marked default, else the first one; undefined when there is none. */
  defaultGateway(): GatewayOffer | undefined {
    return (this.gateways.find((g) => g.value.default) ?? this.gateways[0])?.value;
  }

  /** The environment's default entry point: the default Gateway, else the default IngressClass. */
  entryPoint(consumer: string): { readonly gateway: GatewayOffer } | { readonly ingressClass: IngressClassOffer } {
    const gw = this.gateways.find((g) => g.value.default);
    if (gw) return { gateway: gw.value };
    const ic = this.ingressClasses.find((c) => c.value.default);
    if (ic) return { ingressClass: ic.value };
    throw new GroundworkValidationError([
      `${consumer}: needs a default entry point (a Gateway or IngressClass marked default), which no enabled add-on provides; ${this.describe(
        'gateways',
        this.gateways.map((g) => `${g.value.namespace}/${g.value.name}`),
      )}, ${this.describe(
        'ingress classes',
        this.ingressClasses.map((c) => c.value.name),
      )}`,
    ]);
  }

  /** The Gateway `name` in `namespace` (default: the default Gateway); throws when none is provided. */
  gateway(consumer: string, ref?: { readonly name: string; readonly namespace: string }): GatewayOffer {
    const found = ref
      ? this.gateways.find((g) => g.value.name === ref.name && g.value.namespace === ref.namespace)?.value
      : this.defaultGateway();
    if (found) return found;
    const wanted = ref ? `Gateway '${ref.namespace}/${ref.name}'` : 'a Gateway';
    throw new GroundworkValidationError([
      `${consumer}: needs ${wanted}, which no enabled add-on provides (${this.describe(
        'gateways',
        this.gateways.map((g) => `${g.value.namespace}/${g.value.name}`),
      )}); enable envoy-gateway`,
    ]);
  }

  /** The IngressClass `name` (default: the default class); throws when none is provided. */
  ingressClass(consumer: string, name?: string): IngressClassOffer {
    const found =
      name !== undefined
        ? this.ingressClasses.find((c) => c.value.name === name)
        : (this.ingressClasses.find((c) => c.value.default) ?? this.ingressClasses[0]);
    if (found) return found.value;
    const wanted = name !== undefined ? `IngressClass '${name}'` : 'an IngressClass';
    throw new GroundworkValidationError([
      `${consumer}: needs ${wanted}, which no enabled add-on provides (${this.describe(
        'ingress classes',
        this.ingressClasses.map((c) => c.value.name),
      )}); enable ingress-nginx or route through the Gateway`,
    ]);
  }

  /** The ClusterIssuer `name`; throws when no enabled add-on creates it. */
  clusterIssuer(consumer: string, name: string): string {
    if (this.clusterIssuers.some((i) => i.value === name)) return name;
    throw new GroundworkValidationError([
      `${consumer}: needs ClusterIssuer '${name}', which no enabled add-on creates (${this.describe(
        'cluster issuers',
        this.clusterIssuers.map((i) => i.value),
      )})`,
    ]);
  }

  /** The ClusterSecretStore `name` (default: the only one); throws when none is created. */
  secretStore(consumer: string, name?: string): string {
    const found = name !== undefined ? this.secretStores.find((s) => s.value === name) : this.secretStores[0];
    if (found) return found.value;
    const wanted = name !== undefined ? `ClusterSecretStore '${name}'` : 'a ClusterSecretStore';
    throw new GroundworkValidationError([
      `${consumer}: needs ${wanted}, which no enabled add-on creates (${this.describe(
        'secret stores',
        this.secretStores.map((s) => s.value),
      )}); enable externalSecrets`,
    ]);
  }

  /** The StorageClass `name` (default: the default class); throws when none is available. */
  storageClass(consumer: string, name?: string): string {
    const found =
      name !== undefined
        ? this.storageClasses.find((s) => s.value.name === name)
        : this.storageClasses.find((s) => s.value.default);
    if (found) return found.value.name;
    const wanted = name !== undefined ? `StorageClass '${name}'` : 'a default StorageClass';
    throw new GroundworkValidationError([
      `${consumer}: needs ${wanted}, which neither the cluster nor an enabled add-on provides (${this.describe(
        'storage classes',
        this.storageClasses.map((s) => `${s.value.name}${s.value.default ? ' (default)' : ''}`),
      )})`,
    ]);
  }

  /** The progressive delivery controller; throws when none runs (or it cannot route Gateway API traffic and `gatewayApi` is asked). */
  progressiveDeliveryFor(consumer: string, gatewayApi: boolean): ProgressiveDeliveryOffer {
    const pd = this.progressiveDelivery?.value;
    if (pd === undefined)
      throw new GroundworkValidationError([
        `${consumer}: a Rollout needs Argo Rollouts, which is not enabled; enable rollouts in the add-on profile or use a Deployment`,
      ]);
    if (gatewayApi && !pd.gatewayApiTrafficRouting)
      throw new GroundworkValidationError([
        `${consumer}: canary traffic through the Gateway needs Argo Rollouts' gatewayAPI traffic-router plugin, which is off (rollouts.gatewayApiPlugin)`,
      ]);
    return pd;
  }

  /**
   * The Vertical Pod Autoscaler; throws when it is not enabled, or when `mode` acts on Pods
   * (`Recreate`, `InPlaceOrRecreate`) and its updater does not run.
   */
  verticalPodAutoscalerFor(
    consumer: string,
    mode: 'Off' | 'Initial' | 'Recreate' | 'InPlaceOrRecreate',
  ): VerticalPodAutoscalingOffer {
    const vpa = this.verticalPodAutoscaling?.value;
    if (vpa === undefined)
      throw new GroundworkValidationError([
        `${consumer}: a VerticalPodAutoscaler needs the Vertical Pod Autoscaler, which is not enabled; enable verticalPodAutoscaler in the add-on profile`,
      ]);
    if ((mode === 'Recreate' || mode === 'InPlaceOrRecreate') && !vpa.updater) {
      throw new GroundworkValidationError([
        `${consumer}: updateMode '${mode}' needs the VPA updater, which is off (verticalPodAutoscaler.updater); use 'Off' or 'Initial'`,
      ]);
    }
    return vpa;
  }

  /** The monitoring stack (where Prometheus runs, the labels it selects monitors by); throws naming `consumer` when none is enabled. */
  monitoringFor(consumer: string): MonitoringOffer {
    if (this.monitoring === undefined) {
      throw new GroundworkValidationError([
        `${consumer}: needs a monitoring stack (Prometheus Operator), which no enabled add-on provides; enable monitoring`,
      ]);
    }
    return this.monitoring.value;
  }

  /** Throws unless something serves the resource metrics API (HPAs read it). */
  requireMetricsApi(consumer: string): void {
    if (this.metricsApi === undefined) {
      throw new GroundworkValidationError([
        `${consumer}: autoscaling needs the resource metrics API (metrics.k8s.io), which no enabled add-on serves; enable metricsServer`,
      ]);
    }
  }

  /** Add-ons serving the CRD group of `apiVersion`/`kind`; empty when none does. */
  providersOf(group: string): readonly AddonId[] {
    return this.crdProviders.get(group) ?? [];
  }

  private describe(what: string, names: readonly string[]): string {
    return names.length === 0 ? `no ${what} are provided` : `provided ${what}: ${names.join(', ')}`;
  }
}

/** Records a problem at `platform` unless `value` is the PlatformContract (a JavaScript caller's plain object or copy has none of its lookups). */
export function checkPlatformContract(v: PropsValidator, value: unknown): void {
  if (!(value instanceof PlatformContract))
    v.failType('platform', value, 'must be the PlatformContract of platformAddons(...).contract');
}
