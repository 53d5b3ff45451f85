/** Reading Helm values (free-form by nature) in tests: by dotted path, as unknown. */
import type { AddonDeclaration } from '../../constructs';

/** The value at a dotted path (`grafana.admin.existingSecret`, `listeners.0.port`, `spec.rules[0].validate`); undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  return (path.match(/[^.[\]]+/g) ?? []).reduce<unknown>(
    (o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined),
    root,
  );
}

/** The value under `keys`, one key or index a step (for keys holding dots: `'oidc.config'`, `'auth.generic_oauth'`). */
export function at(root: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>(
    (o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined),
    root,
  );
}

/** The Helm value of add-on `d` at a dotted path. */
export function v(d: AddonDeclaration | undefined, path: string): unknown {
  return valueAt(d?.values, path);
}
