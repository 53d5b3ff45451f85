/**
 * Unknown fields in Kubernetes objects, as `kubectl apply --validate=strict` (server-side field
 * validation) would report them. Neither kubernetes-models' validate() nor a CRD's structural
 * schema rejects an unknown field by itself, so the known fields are found by recording reads:
 * the object is handed, behind a proxy that records every field read, to code that reads exactly
 * the fields its schema has. A field nobody read is unknown.
 *
 * - Core kinds: the generated serializers of cdk8s-plus-28's Kubernetes 1.28 import
 *   (`toJson_Kube<Kind>Props`). Free-form maps (labels, resources, data) are read whole through
 *   Object.entries and so count as known.
 * - Custom resources: the schema validator of the kind's @kubernetes-models model (Ajv, compiled
 *   ahead of time or at run time). Ajv's generated code tests every property its schema declares (`data.spec !== undefined`), iterates
 *   maps with `for…in` (all keys known), and reads nothing inside an object whose schema declares
 *   no properties: such an object (`x-kubernetes-preserve-unknown-fields`, Helm values) is free-form.
 */
import type { ManifestObject } from '../../constructs';

type Reader = (obj: unknown) => unknown;
import * as k8sImport from 'cdk8s-plus-28/lib/imports/k8s';

/** The import's exports by name (serializers are looked up by kind). */
const k8s: Readonly<Record<string, unknown>> = k8sImport;

/** The serializer of a core kind (`HorizontalPodAutoscaler` in autoscaling/v2 is the V2 one). */
function serializerFor(apiVersion: string, kind: string): Reader | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (group !== '' && !group.endsWith('.k8s.io') && !['apps', 'batch', 'autoscaling', 'policy'].includes(group))
    return undefined;
  const suffix = apiVersion === 'autoscaling/v2' ? 'V2' : '';
  const fn = k8s[`toJson_Kube${kind}${suffix}Props`];
  return typeof fn === 'function' ? (fn as Reader) : undefined;
}

/**
 * Runs `reader` on `value` behind a recording proxy and returns the paths of fields it never read.
 * `unreadIsFreeForm`: an object none of whose keys was read is free-form (schema validators read
 * every declared property, so only an object without declared properties has none read).
 */
function unreadFields(value: Record<string, unknown>, reader: Reader, unreadIsFreeForm: boolean): string[] {
  const read = new WeakMap<object, Set<PropertyKey>>();
  const proxies = new WeakMap<object, unknown>();
  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const target = v;
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
  reader(wrap(value));
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    const seen = read.get(v);
    if (seen === undefined) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    // the core import renames acronyms (clusterIP is read as clusterIp): compare without case
    const known = new Set([...seen].filter((k): k is string => typeof k === 'string').map((k) => k.toLowerCase()));
    const keys = Object.keys(v);
    if (unreadIsFreeForm && keys.length > 0 && !keys.some((k) => known.has(k.toLowerCase()))) return;
    for (const [k, child] of Object.entries(v)) {
      const childPath = path === '' ? k : `${path}.${k}`;
      if (!known.has(k.toLowerCase())) out.push(childPath);
      else walk(child, childPath);
    }
  };
  walk(value, '');
  return out;
}

/** Unknown field paths of a core object (`spec.template.spec.containers[0].fooBar`); undefined when its kind is not core. */
export function unknownFields(o: ManifestObject): string[] | undefined {
  const serialize = serializerFor(o.apiVersion, o.kind);
  if (serialize === undefined) return undefined;
  const { apiVersion: _v, kind: _k, ...props } = o;
  return unreadFields(props, serialize, false);
}

/**
 * Unknown field paths of a custom resource, read by its model's schema validator (`validate()` of
 * the model's prototype, run on the data with that prototype: older model packages look their
 * schema id up on it).
 */
export function unknownCustomFields(
  data: Record<string, unknown>,
  model: { readonly prototype: { validate(this: unknown): void } },
): string[] {
  const instance: Record<string, unknown> = Object.assign(Object.create(model.prototype) as object, data);
  return unreadFields(
    instance,
    (proxy) => {
      try {
        model.prototype.validate.call(proxy);
      } catch {
        // schema errors are reported by the caller's own validate() run; here only the reads matter
      }
    },
    true,
  );
}
