import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import { findSecrets, SECRET_ADVICE } from '../internal/secrets';
import { type PropShapes, PropsValidator, type Spec } from '../internal/validator';
import { type AddonId, CATALOG, type ChartRef } from './catalog';
import { MANAGED_BY, type PodSecurityLevel, podSecurityLabels } from '../internal/labels';
import type { AddonProvides } from './offers';
import { checkSizes, type ComponentSize, SIZE_SPEC } from './addon-sizes';

export { type ComponentSize, SIZE_SPEC };

/** Options every add-on accepts. */
export interface AddonProps {
  /**
   * Namespace the chart is installed into.
   * @default - the add-on's conventional namespace
   */
  readonly namespace?: string;
  /**
   * Chart version override (an exact pin).
   * @default - the catalog pin
   */
  readonly version?: string;
  /**
   * Raw Helm values deep-merged over the typed ones: the explicit escape hatch for keys the typed
   * props do not cover.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Everything needed to install one add-on, in either rendering. Pure data. */
export interface AddonDeclaration {
  readonly id: AddonId;
  readonly chart: ChartRef;
  readonly namespace: string;
  /** Helm release name. */
  readonly releaseName: string;
  /** Final Helm values (typed values with the raw escape hatch merged in). */
  readonly values: Readonly<Record<string, unknown>>;
  /** API groups whose CRDs the chart installs. */
  readonly providesCrds: readonly string[];
  /**
   * Groups this chart shares with another add-on, narrowed to the kinds it serves (Argo CD and Argo
   * Rollouts both serve `argoproj.io`). Groups not listed serve every kind.
   */
  readonly providesKinds: Readonly<Record<string, readonly string[]>>;
  /** API groups whose CRDs the chart's own objects need (ordered after the add-on providing them). */
  readonly requiresCrds: readonly string[];
  /** Add-ons that must be running first for reasons other than CRDs (e.g. Alloy pushes to Loki). */
  readonly dependsOn: readonly AddonId[];
  /** Resource requests of the add-on's components (the footprint). */
  readonly components: Readonly<Record<string, ComponentSize>>;
  /** Objects the chart needs before it installs (a Secret fed by an ExternalSecret, an issuer certificate). */
  readonly prerequisites: readonly ManifestObject[];
  /** Custom resources applied after the chart (issuers, policies, backup schedules…). */
  readonly companions: readonly ManifestObject[];
  /** What the add-on offers the rest of the platform (ingress classes, Gateways, storage classes…). */
  readonly provides: AddonProvides;
  /** Pod Security level its namespace needs (the chart's Pods, read from its templates). */
  readonly podSecurity: PodSecurityLevel;
  /** Advice shown at synth time (e.g. a retired upstream). */
  readonly warnings: readonly string[];
}

/** What an add-on function hands to {@link declareAddon}. */
export interface AddonInput {
  readonly id: AddonId;
  readonly props: AddonProps;
  readonly defaultNamespace: string;
  readonly values: Record<string, unknown>;
  /**
   * API groups whose CRDs the chart installs.
   * @default - none
   */
  readonly providesCrds?: readonly string[];
  /**
   * Kinds the chart's CRDs define, by API group.
   * @default - none
   */
  readonly providesKinds?: Readonly<Record<string, readonly string[]>>;
  /**
   * API groups whose CRDs must be served before the chart installs.
   * @default - none
   */
  readonly requiresCrds?: readonly string[];
  /**
   * Add-ons installed before this one.
   * @default - none
   */
  readonly dependsOn?: readonly AddonId[];
  readonly components: Readonly<Record<string, ComponentSize>>;
  /**
   * Builds the prerequisites once the namespace is known.
   * @default - none
   */
  readonly prerequisites?: (namespace: string) => ManifestObject[];
  /**
   * Builds the companions once the namespace is known.
   * @default - none
   */
  readonly companions?: (namespace: string) => ManifestObject[];
  /**
   * Builds what the add-on offers once the namespace is known.
   * @default - nothing offered
   */
  readonly provides?: (namespace: string) => AddonProvides;
  /**
   * Pod Security level the chart's Pods need in its namespace.
   * @default 'baseline' (charts not shown to meet `restricted`)
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Warnings about choosing the add-on (platformAddons lists them).
   * @default - none
   */
  readonly warnings?: readonly string[];
  /**
   * Validator that already holds the add-on's own checks; they are thrown together.
   * @default - a fresh validator for the add-on
   */
  readonly validator?: PropsValidator;
}

/** The prop shapes each add-on validator checked its props against: declareAddon reads from them which props are sizes. */
const SHAPES_OF = new WeakMap<PropsValidator, Readonly<Record<string, Spec>>>();

/** Validator for an add-on's props, with the unknown-option check (typos from JSON or JavaScript callers). */
export function addonValidator<P extends AddonProps>(
  id: AddonId,
  props: P,
  shapes: PropShapes<Omit<P, keyof AddonProps>>,
): PropsValidator {
  const v = new PropsValidator('Addon', id);
  const all: Readonly<Record<string, Spec>> = { ...ADDON_SHAPES, ...shapes };
  SHAPES_OF.set(v, all);
  v.knownProps(props, all, `is not an option of ${id}; allowed:`);
  return v;
}

/** The JavaScript shape of the options every add-on takes. */
const ADDON_SHAPES: PropShapes<AddonProps> = { namespace: 'string', version: 'string', values: 'object' };

/** Resolves and validates an add-on declaration (throws with every problem listed). */
export function declareAddon(input: AddonInput): AddonDeclaration {
  const v = input.validator ?? new PropsValidator('Addon', input.id);
  const catalog = CATALOG[input.id];
  const version = input.props.version ?? catalog.version;
  v.check('version', version, rules.exactVersion);
  const namespace = input.props.namespace ?? input.defaultNamespace;
  v.check('namespace', namespace, rules.dns1123Label);
  checkSizes(
    v,
    input.props,
    input.validator === undefined ? undefined : SHAPES_OF.get(input.validator),
    input.components,
  );
  // values reach Helm, the GitOps files and Pulumi state as they are: no literal secret may be among them
  const values = deepMerge(input.values, input.props.values ?? {});
  for (const f of findSecrets(values, 'values'))
    v.fail(f.path, '<redacted>', `looks like a secret (${f.why}): ${SECRET_ADVICE}`);
  v.throwIfInvalid();
  return {
    id: input.id,
    chart: { ...catalog, version },
    namespace,
    releaseName: input.id,
    values,
    providesCrds: input.providesCrds ?? [],
    providesKinds: input.providesKinds ?? {},
    requiresCrds: input.requiresCrds ?? [],
    dependsOn: input.dependsOn ?? [],
    components: input.components,
    prerequisites: input.prerequisites?.(namespace) ?? [],
    companions: input.companions?.(namespace) ?? [],
    provides: input.provides?.(namespace) ?? {},
    podSecurity: input.podSecurity ?? 'baseline',
    warnings: input.warnings ?? [],
  };
}

/**
 * The container security context of the Pod Security Standards `restricted` profile, for charts
 * that leave it to their values (Jaeger, the VPA, Cluster Autoscaler).
 */
export function restrictedContainer(): Record<string, unknown> {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
}

/** A `restricted` Pod security context running as `uid` (and group `uid`, unless the chart sets fsGroup from it). */
export function restrictedPod(uid: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, ...extra, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Helm-style `resources` block for a component. */
export function requestsOf(c: ComponentSize): {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
} {
  return { requests: { cpu: c.cpu, memory: c.memory }, limits: { memory: c.memoryLimit ?? memoryHeadroom(c.memory) } };
}

/** Twice a memory quantity, in Mi (the request as given when it cannot be read). */
export function memoryHeadroom(request: string): string {
  const bytes = rules.parseQuantity(request);
  return bytes === undefined ? request : `${Math.ceil((2 * bytes) / 2 ** 20)}Mi`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep merge of plain objects; arrays and scalars in `over` replace those in `base`. */
export function deepMerge(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, val] of Object.entries(over)) {
    out[k] = isPlainObject(val) && isPlainObject(out[k]) ? deepMerge(out[k], val) : val;
  }
  return out;
}

/** Total requests of a set of add-ons on a cluster of `nodes` nodes, in CPU cores and bytes. */
export function footprintOf(
  addons: readonly AddonDeclaration[],
  nodes: number,
): { cpuCores: number; memoryBytes: number } {
  let cpuCores = 0;
  let memoryBytes = 0;
  for (const a of addons) {
    for (const c of Object.values(a.components)) {
      const n = (c.replicas ?? 1) * (c.perNode ? nodes : 1);
      cpuCores += (rules.parseQuantity(c.cpu) ?? 0) * n;
      memoryBytes += (rules.parseQuantity(c.memory) ?? 0) * n;
    }
  }
  return { cpuCores, memoryBytes };
}

/** Extra metadata of a companion resource. */
export interface CompanionMeta {
  /**
   * Labels besides `app.kubernetes.io/managed-by`.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A custom resource that accompanies an add-on. `namespace` undefined: cluster-scoped. */
export function companion(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
  body: Record<string, unknown>,
  meta: CompanionMeta = {},
): ManifestObject {
  const metadata: Record<string, unknown> = { name, labels: { ...MANAGED_BY, ...meta.labels } };
  if (namespace !== undefined) metadata.namespace = namespace;
  if (meta.annotations !== undefined) metadata.annotations = { ...meta.annotations };
  return { apiVersion, kind, metadata, ...body };
}

/** A Namespace an add-on's companions live in, with Pod Security admission enforcing `restricted`. */
export function namespaceCompanion(name: string): ManifestObject {
  return companion(
    'v1',
    'Namespace',
    name,
    undefined,
    {},
    { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  );
}

/**
 * A Namespace created ahead of a chart, labelled with the Pod Security level the chart's own Pods
 * need; the chart's `CreateNamespace` then finds it in place.
 */
export function chartNamespace(name: string, podSecurity: PodSecurityLevel, extra: CompanionMeta = {}): ManifestObject {
  return companion(
    'v1',
    'Namespace',
    name,
    undefined,
    {},
    { ...extra, labels: { ...extra.labels, ...podSecurityLabels(podSecurity) } },
  );
}
