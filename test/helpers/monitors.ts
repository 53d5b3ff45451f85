/**
 * What a ServiceMonitor scrapes: the Services in the namespaces it selects whose labels its selector
 * matches and which expose its endpoint's port by name (prometheus-operator v0.93.0
 * Documentation/api-reference/api.md ServiceMonitorSpec, Endpoint.port: "Name of the Service port").
 * What a PodMonitor scrapes: the Pods in the namespaces it selects whose labels its selector matches
 * and which declare its endpoint's port by name (same file, PodMetricsEndpoint.port: "The `Pod` port
 * name which exposes the endpoint").
 */
import {
  type AddonDeclaration,
  type EnvironmentRendering,
  type ManifestObject,
  platformAddons,
  type VeleroProps,
} from '../../constructs';
import { type LabelSelector, selectorMatches } from '../../constructs/policy/check-manifests';

/** A Service as a chart renders it. */
export interface RenderedService {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Its ports by name: the Pod port each targets (a number or a container port's name). */
  readonly ports: Readonly<Record<string, number | string>>;
  /** The Pods it sends to (spec.selector). */
  readonly selector: Readonly<Record<string, string>>;
}

/** A workload's Pods as a chart renders their template: labels and named container ports. */
export interface RenderedPods {
  readonly namespace: string;
  /** The workload's name. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container port numbers by name. */
  readonly ports: Readonly<Record<string, number>>;
}

type Endpoints = readonly { readonly port?: string; readonly path?: string }[];
interface MonitorSpec {
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
  readonly selector?: LabelSelector;
  readonly endpoints?: Endpoints;
  readonly podMetricsEndpoints?: Endpoints;
}

/** Whether `monitor` looks into namespace `ns` (its own when it names none). */
function looksInto(monitor: ManifestObject, ns: string): boolean {
  const selector = (monitor.spec as MonitorSpec | undefined)?.namespaceSelector;
  if (selector?.any === true) return true;
  return selector?.matchNames !== undefined ? selector.matchNames.includes(ns) : ns === monitor.metadata?.namespace;
}

/** `namespace/name:port` of every workload's Pods (by container port name) `monitor`, a PodMonitor, scrapes. */
export function podsScrapedBy(monitor: ManifestObject, pods: readonly RenderedPods[]): string[] {
  const spec = (monitor.spec ?? {}) as MonitorSpec;
  return pods
    .filter((p) => looksInto(monitor, p.namespace) && selectorMatches(spec.selector ?? {}, p.labels))
    .flatMap((p) =>
      (spec.podMetricsEndpoints ?? [])
        .filter((e) => e.port !== undefined && e.port in p.ports)
        .map((e) => `${p.namespace}/${p.name}:${e.port}`),
    );
}

/** `namespace/name:port` of every Service port `monitor` scrapes among `services`. */
export function scrapedBy(monitor: ManifestObject, services: readonly RenderedService[]): string[] {
  const spec = (monitor.spec ?? {}) as MonitorSpec;
  const inNamespace = (ns: string): boolean => looksInto(monitor, ns);
  return services
    .filter((s) => inNamespace(s.namespace) && selectorMatches(spec.selector ?? {}, s.labels))
    .flatMap((s) =>
      (spec.endpoints ?? [])
        .filter((e) => e.port !== undefined && e.port in s.ports)
        .map((e) => `${s.namespace}/${s.name}:${e.port}`),
    );
}

/** The rendering's Service as `helm template` prints it, reduced to what a monitor reads. */
export function renderedService(o: ManifestObject): RenderedService {
  const spec = (o.spec ?? {}) as {
    ports?: { name?: string; targetPort?: number | string; port?: number }[];
    selector?: Record<string, string>;
  };
  return {
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    labels: { ...o.metadata?.labels },
    ports: Object.fromEntries((spec.ports ?? []).map((p) => [p.name ?? '', p.targetPort ?? p.port ?? 0])),
    selector: { ...spec.selector },
  };
}

/** A rendering's add-ons, or any list of declarations (a planted one). */
export interface WithAddons {
  readonly addons: { readonly declarations: readonly AddonDeclaration[] };
}

/** The add-on `id` as `r` declares it (throws when it is not declared). */
export function declarationOf(r: WithAddons, id: string): AddonDeclaration {
  const d = r.addons.declarations.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no add-on ${id} is declared`);
  return d;
}

/** The objects the monitoring add-on carries beside its chart. */
function monitoringCompanions(r: WithAddons): readonly ManifestObject[] {
  return r.addons.declarations.find((d) => d.provides.monitoring !== undefined)?.companions ?? [];
}

/** The platform's ServiceMonitors: those the monitoring add-on carries. */
export function platformMonitors(r: WithAddons): ManifestObject[] {
  return monitoringCompanions(r).filter((o) => o.kind === 'ServiceMonitor');
}

/** The platform's PodMonitors: those the monitoring add-on carries. */
export function platformPodMonitors(r: WithAddons): ManifestObject[] {
  return monitoringCompanions(r).filter((o) => o.kind === 'PodMonitor');
}

/** The names of the platform rule groups (the PrometheusRule the monitoring add-on carries). */
export function platformRuleGroups(r: WithAddons): string[] {
  const rules = monitoringCompanions(r).find((o) => o.kind === 'PrometheusRule');
  return ((rules?.spec as { groups?: { name: string }[] } | undefined)?.groups ?? []).map((g) => g.name);
}

/** `r` (dev's) with Velero's own chart ServiceMonitor on or off: the cloud stacks ship it on. */
export function veleroVariant(r: EnvironmentRendering, serviceMonitor: boolean): EnvironmentRendering {
  const backup = { ...(r.env.addons.backup as VeleroProps), serviceMonitor };
  return { ...r, addons: platformAddons({ ...r.env.addons, backup }) };
}
