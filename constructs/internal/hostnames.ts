/**
 * Hostname ownership: which names a tenant may serve and certify. Pure functions shared by the
 * Tenant (construction errors, its admission policy) and the checks over rendered objects.
 *
 * Matching follows Gateway API (kubernetes-sigs/gateway-api v1.4.1 apis/v1/httproute_types.go,
 * `HTTPRouteSpec.Hostnames`): a leading `*.` label is a suffix match over any number of labels
 * (`*.example.com` matches `test.example.com` and `foo.test.example.com`, never `example.com`).
 */

/** True when the owned `pattern` (exact name or `*.` wildcard) covers `host` (a name or a wildcard itself). */
export function hostnameCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/** True when some name is matched by both `a` and `b`. */
export function hostnamesOverlap(a: string, b: string): boolean {
  return hostnameCovers(a, b) || hostnameCovers(b, a);
}

/** The hosts of a route, Ingress or Certificate that a tenant must own (undefined entries: a host left open). */
export function requestedHostnames(o: { readonly kind: string; readonly spec?: unknown }): (string | undefined)[] {
  const spec = (typeof o.spec === 'object' && o.spec !== null ? o.spec : {}) as Record<string, unknown>;
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((h): h is string => typeof h === 'string') : [];
  const list = (x: unknown): Record<string, unknown>[] =>
    Array.isArray(x) ? x.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  switch (o.kind) {
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TLSRoute': {
      // a route without hostnames takes every name its listener serves
      const hosts = strings(spec.hostnames);
      return hosts.length > 0 ? hosts : [undefined];
    }
    case 'Ingress':
      return [
        ...(spec.defaultBackend !== undefined ? [undefined] : []),
        ...list(spec.rules).map((r) => (typeof r.host === 'string' ? r.host : undefined)),
        ...list(spec.tls).flatMap((t) => strings(t.hosts)),
      ];
    case 'Certificate':
      return [...strings(spec.dnsNames), ...(typeof spec.commonName === 'string' ? [spec.commonName] : [])];
    default:
      return [];
  }
}
