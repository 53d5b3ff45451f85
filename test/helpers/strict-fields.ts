/**
 * Unknown fields in core Kubernetes objects, as `kubectl apply --validate=strict` would report
 * them. kubernetes-models' validate() accepts unknown fields, so the field list comes from the
 * generated serializers of cdk8s-plus-28's Kubernetes 1.28 import (`toJson_Kube<Kind>Props`):
 * each reads exactly the fields its type has. The object is handed to the serializer behind a
 * proxy that records every field read; a field the serializer never read is unknown. Free-form
 * maps (labels, resources, data) are read whole through Object.entries and so count as known.
 * Custom resources are checked by their schemas (the hand-written ones reject unknown fields).
 */
import type { ManifestObject } from '../../constructs';

type Serializer = (obj: unknown) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const k8s = require('cdk8s-plus-28/lib/imports/k8s') as Record<string, unknown>;

/** The serializer of a core kind (`HorizontalPodAutoscaler` in autoscaling/v2 is the V2 one). */
function serializerFor(apiVersion: string, kind: string): Serializer | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (group !== '' && !group.endsWith('.k8s.io') && !['apps', 'batch', 'autoscaling', 'policy'].includes(group)) return undefined;
  const suffix = apiVersion === 'autoscaling/v2' ? 'V2' : '';
  const fn = k8s[`toJson_Kube${kind}${suffix}Props`];
  return typeof fn === 'function' ? (fn as Serializer) : undefined;
}

/** Unknown field paths of one object (`spec.template.spec.containers[0].fooBar`); undefined when its kind is not core. */
export function unknownFields(o: ManifestObject): string[] | undefined {
  const serialize = serializerFor(o.apiVersion, o.kind);
  if (serialize === undefined) return undefined;
  const read = new WeakMap<object, Set<PropertyKey>>();
  const proxies = new WeakMap<object, unknown>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const target = value;
    let proxy = proxies.get(target);
    if (proxy === undefined) {
      const seen = new Set<PropertyKey>();
      read.set(target, seen);
      proxy = new Proxy(target, {
        get: (t, key, receiver) => {
          seen.add(key);
          return wrap(Reflect.get(t, key, receiver));
        },
        ownKeys: (t) => {
          for (const k of Reflect.ownKeys(t)) seen.add(k);
          return Reflect.ownKeys(t);
        },
      });
      proxies.set(target, proxy);
    }
    return proxy;
  };
  const { apiVersion: _v, kind: _k, ...props } = o;
  serialize(wrap(props));
  const out: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    const seen = read.get(value);
    if (seen === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    // the import renames acronyms (clusterIP is read as clusterIp): compare without case
    const known = new Set([...seen].filter((k): k is string => typeof k === 'string').map((k) => k.toLowerCase()));
    for (const [k, v] of Object.entries(value)) {
      if (!known.has(k.toLowerCase())) out.push(path === '' ? k : `${path}.${k}`);
      else walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(props, '');
  return out;
}
