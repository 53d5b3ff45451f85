/**
 * What a Kubernetes object needs and what it brings into existence, read from the object itself.
 * The add-on planner orders steps by it and `verifyPlatform` walks the rendered output with it, so
 * both agree on what "points at something" means.
 */
import type { ManifestObject } from '../policy/check-manifests';

/** A reference from one object to another. `namespace` undefined: cluster-scoped. */
export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Field path of the reference, for messages (`spec.issuerRef`). */
  readonly via: string;
}

/** API groups every conformant cluster serves (no add-on needed). `''` is the core group. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io',
  'events.k8s.io',
]);

/** The API group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> `''`). */
export function apiGroupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped). */
export function describeObject(kind: string, name: string | undefined, namespace: string | undefined): string {
  return `${kind} ${namespace !== undefined ? `${namespace}/` : ''}${name ?? '<unnamed>'}`;
}

/** Identity key of an object or reference. */
export function objectKey(kind: string, name: string | undefined, namespace: string | undefined): string {
  return `${kind}|${namespace ?? ''}|${name ?? ''}`;
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObj) : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);

const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  Rollout: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const p of path) cur = isObj(cur) ? cur[p] : undefined;
  return cur;
}

/** The Pod spec of a workload object, if it has one. */
export function podSpecOf(o: ManifestObject): Json | undefined {
  const path = POD_TEMPLATE_PATHS[o.kind];
  const spec = path ? at(o, path) : undefined;
  return isObj(spec) ? spec : undefined;
}

function podRefs(spec: Json, ns: string | undefined, base: string): ObjectRef[] {
  const out: ObjectRef[] = [];
  const sa = str(spec.serviceAccountName);
  if (sa !== undefined)
    out.push({ kind: 'ServiceAccount', name: sa, namespace: ns, via: `${base}.serviceAccountName` });
  const containers = [...list(spec.initContainers), ...list(spec.containers)];
  for (const c of containers) {
    for (const e of list(c.env)) {
      const from = isObj(e.valueFrom) ? e.valueFrom : undefined;
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = isObj(from?.[field]) ? from?.[field] : undefined;
        if (ref && ref.optional !== true && str(ref.name))
          out.push({
            kind,
            name: ref.name as string,
            namespace: ns,
            via: `${base}.containers[${String(c.name)}].env[${String(e.name)}]`,
          });
      }
    }
    for (const e of list(c.envFrom)) {
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = isObj(e[field]) ? e[field] : undefined;
        if (ref && ref.optional !== true && str(ref.name))
          out.push({
            kind,
            name: ref.name as string,
            namespace: ns,
            via: `${base}.containers[${String(c.name)}].envFrom`,
          });
      }
    }
  }
  for (const v of list(spec.volumes)) {
    const cm = isObj(v.configMap) ? v.configMap : undefined;
    if (cm && cm.optional !== true && str(cm.name))
      out.push({
        kind: 'ConfigMap',
        name: cm.name as string,
        namespace: ns,
        via: `${base}.volumes[${String(v.name)}]`,
      });
    const secret = isObj(v.secret) ? v.secret : undefined;
    if (secret && secret.optional !== true && str(secret.secretName))
      out.push({
        kind: 'Secret',
        name: secret.secretName as string,
        namespace: ns,
        via: `${base}.volumes[${String(v.name)}]`,
      });
  }
  return out;
}

/** cert-manager's ingress-shim annotations: the issuer that signs the object's certificates. */
function issuerAnnotationRefs(o: ManifestObject, ns: string | undefined): ObjectRef[] {
  const out: ObjectRef[] = [];
  const annotations = o.metadata?.annotations ?? {};
  const clusterIssuer = str(annotations['cert-manager.io/cluster-issuer']);
  if (clusterIssuer !== undefined)
    out.push({
      kind: 'ClusterIssuer',
      name: clusterIssuer,
      via: 'metadata.annotations["cert-manager.io/cluster-issuer"]',
    });
  const issuer = str(annotations['cert-manager.io/issuer']);
  if (issuer !== undefined)
    out.push({ kind: 'Issuer', name: issuer, namespace: ns, via: 'metadata.annotations["cert-manager.io/issuer"]' });
  return out;
}

/** Reads the references particular to one kind: the object, its spec (`{}` when absent) and its namespace. */
type KindRefs = (o: ManifestObject, spec: Json, ns: string | undefined) => ObjectRef[];

const ingressRefs: KindRefs = (_o, spec) => {
  const cls = str(spec.ingressClassName);
  return cls !== undefined ? [{ kind: 'IngressClass', name: cls, via: 'spec.ingressClassName' }] : [];
};

const gatewayRefs: KindRefs = (_o, spec, ns) => {
  const out: ObjectRef[] = [];
  const cls = str(spec.gatewayClassName);
  if (cls !== undefined) out.push({ kind: 'GatewayClass', name: cls, via: 'spec.gatewayClassName' });
  const params = at(spec, ['infrastructure', 'parametersRef']);
  if (isObj(params) && str(params.kind) && str(params.name))
    out.push({
      kind: params.kind as string,
      name: params.name as string,
      namespace: ns,
      via: 'spec.infrastructure.parametersRef',
    });
  return out;
};

const routeRefs: KindRefs = (_o, spec, ns) => {
  const out: ObjectRef[] = [];
  for (const p of list(spec.parentRefs)) {
    const kind = str(p.kind) ?? 'Gateway';
    if (str(p.name))
      out.push({ kind, name: p.name as string, namespace: str(p.namespace) ?? ns, via: 'spec.parentRefs' });
  }
  return out;
};

/** A reference at `spec[field]` whose kind defaults to `defaultKind` and is cluster-scoped when it is `clusterKind`. */
function scopedSpecRef(field: string, defaultKind: string, clusterKind: string): KindRefs {
  return (_o, spec, ns) => {
    const ref = isObj(spec[field]) ? spec[field] : undefined;
    if (!(ref && str(ref.name))) return [];
    const kind = str(ref.kind) ?? defaultKind;
    return [{ kind, name: ref.name as string, namespace: kind === clusterKind ? undefined : ns, via: `spec.${field}` }];
  };
}

const hpaRefs: KindRefs = (_o, spec, ns) => {
  const t = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
  return t && str(t.kind) && str(t.name)
    ? [{ kind: t.kind as string, name: t.name as string, namespace: ns, via: 'spec.scaleTargetRef' }]
    : [];
};

const pvcRefs: KindRefs = (_o, spec) => {
  const sc = str(spec.storageClassName);
  return sc !== undefined ? [{ kind: 'StorageClass', name: sc, via: 'spec.storageClassName' }] : [];
};

const bindingRefs: KindRefs = (o, _spec, ns) => {
  const out: ObjectRef[] = [];
  const role = isObj(o.roleRef) ? o.roleRef : undefined;
  if (role && str(role.kind) && str(role.name))
    out.push({
      kind: role.kind as string,
      name: role.name as string,
      namespace: role.kind === 'Role' ? ns : undefined,
      via: 'roleRef',
    });
  for (const s of list(o.subjects)) {
    if (s.kind === 'ServiceAccount' && str(s.name))
      out.push({ kind: 'ServiceAccount', name: s.name as string, namespace: str(s.namespace) ?? ns, via: 'subjects' });
  }
  return out;
};

const volumeClaimTemplateRefs: KindRefs = (_o, spec) => {
  const out: ObjectRef[] = [];
  for (const t of list(spec.volumeClaimTemplates)) {
    const sc = str(at(t, ['spec', 'storageClassName']));
    if (sc !== undefined)
      out.push({
        kind: 'StorageClass',
        name: sc,
        via: `spec.volumeClaimTemplates[${String(at(t, ['metadata', 'name']))}]`,
      });
  }
  return out;
};

/** The kind-specific reference readers (a Map: a kind such as `constructor` finds nothing). */
const KIND_REFS: ReadonlyMap<string, KindRefs> = new Map<string, KindRefs>([
  ['Ingress', ingressRefs],
  ['Gateway', gatewayRefs],
  ['HTTPRoute', routeRefs],
  ['GRPCRoute', routeRefs],
  ['TLSRoute', routeRefs],
  ['TCPRoute', routeRefs],
  ['Certificate', scopedSpecRef('issuerRef', 'Issuer', 'ClusterIssuer')],
  ['ExternalSecret', scopedSpecRef('secretStoreRef', 'SecretStore', 'ClusterSecretStore')],
  ['HorizontalPodAutoscaler', hpaRefs],
  ['PersistentVolumeClaim', pvcRefs],
  ['RoleBinding', bindingRefs],
  ['ClusterRoleBinding', bindingRefs],
  ['StatefulSet', volumeClaimTemplateRefs],
]);

/**
 * Objects `o` refers to by name and needs to exist: IngressClass, issuers, GatewayClass and
 * Gateway parents, secret stores, ServiceAccounts, ConfigMaps and Secrets a Pod reads (non-optional),
 * StorageClasses, HPA targets and RBAC roles. Its own namespace is not included.
 */
export function referencesOf(o: ManifestObject): ObjectRef[] {
  const ns = o.metadata?.namespace;
  const spec = isObj(o.spec) ? o.spec : {};
  const out: ObjectRef[] = issuerAnnotationRefs(o, ns);
  const kindRefs = KIND_REFS.get(o.kind);
  if (kindRefs) out.push(...kindRefs(o, spec, ns));
  const pod = podSpecOf(o);
  if (pod) out.push(...podRefs(pod, ns, POD_TEMPLATE_PATHS[o.kind].join('.')));
  return out;
}

/** Objects that come into existence because `o` is applied: itself, and Secrets its controller writes. */
export function producedBy(o: ManifestObject): ObjectRef[] {
  const ns = o.metadata?.namespace;
  const spec = isObj(o.spec) ? o.spec : {};
  const out: ObjectRef[] = [{ kind: o.kind, name: o.metadata?.name ?? '', namespace: ns, via: 'metadata.name' }];
  if (o.kind === 'ExternalSecret') {
    const target = str(at(spec, ['target', 'name'])) ?? o.metadata?.name;
    if (target !== undefined) out.push({ kind: 'Secret', name: target, namespace: ns, via: 'spec.target.name' });
  }
  if (o.kind === 'Certificate' && str(spec.secretName))
    out.push({ kind: 'Secret', name: spec.secretName as string, namespace: ns, via: 'spec.secretName' });
  if (o.kind === 'Ingress' && o.metadata?.annotations?.['cert-manager.io/cluster-issuer'] !== undefined) {
    for (const t of list(spec.tls))
      if (str(t.secretName)) out.push({ kind: 'Secret', name: t.secretName as string, namespace: ns, via: 'spec.tls' });
  }
  if (o.kind === 'Gateway' && o.metadata?.annotations?.['cert-manager.io/cluster-issuer'] !== undefined) {
    for (const l of list(spec.listeners)) {
      for (const c of list(at(l, ['tls', 'certificateRefs'])))
        if (str(c.name)) out.push({ kind: 'Secret', name: c.name as string, namespace: ns, via: 'spec.listeners.tls' });
    }
  }
  return out;
}

/** API groups whose kinds `o` defines once applied (a CRD, or a Gatekeeper ConstraintTemplate). */
export function groupsDefinedBy(o: ManifestObject): string[] {
  if (o.kind === 'CustomResourceDefinition') {
    const g = str(at(o, ['spec', 'group']));
    return g === undefined ? [] : [g];
  }
  if (o.kind === 'ConstraintTemplate') return ['constraints.gatekeeper.sh'];
  return [];
}
