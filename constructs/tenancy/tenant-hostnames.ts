/**
 * A tenant's hostnames: resolved once from its props and the platform (the default is a subdomain
 * of the shared Gateway's domain), claimed against the other tenants of the same tree, and checked
 * against the routes, Ingresses and Certificates later placed in its namespaces.
 */
import type { Construct } from 'constructs';
import { hostnameCovers, hostnamesOverlap, requestedHostnames } from '../internal/hostnames';
import * as rules from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import type { PlatformContract } from '../platform/contract';
import type { ManifestObject } from '../policy/check-manifests';

/** The wildcard hostnames of the shared Gateways' listeners (`*.example.com`): a tenant never owns one of them whole. */
function listenerWildcards(platform: PlatformContract): string[] {
  return platform.gateways
    .flatMap((g) => g.value.listeners.map((l) => l.hostname))
    .filter((h): h is string => h !== undefined && h.startsWith('*.'));
}

/**
 * The hostnames tenant `name` owns: `given`, or `*.<name>.<domain>` under the default Gateway's
 * wildcard listener (none without one). Each must be a DNS name, may not claim a listener's whole
 * wildcard (or the domain above it), and may not overlap a host the platform serves itself.
 */
export function resolveTenantHostnames(
  v: PropsValidator,
  name: string,
  given: readonly string[] | undefined,
  platform: PlatformContract,
): string[] {
  const wildcards = listenerWildcards(platform);
  const gateway = platform.defaultGateway();
  const domainWildcard = gateway?.listeners.map((l) => l.hostname).find((h) => h?.startsWith('*.'));
  const hostnames =
    given !== undefined ? [...given] : domainWildcard !== undefined ? [`*.${name}${domainWildcard.slice(1)}`] : [];
  hostnames.forEach((h, i) => {
    const at = `hostnames[${i}]`;
    const problem = rules.ingressHost(h);
    if (problem !== undefined) return v.fail(at, h, problem);
    const whole = wildcards.find((w) => hostnameCovers(h, w) || h === w.slice(2));
    if (whole !== undefined)
      return v.fail(
        at,
        h,
        `claims the shared Gateway's whole domain (${whole}): a tenant owns names below it, e.g. "*.${name}${whole.slice(1)}"`,
      );
    const platformHost = platform.platformHostnames.find((p) => hostnamesOverlap(h, p.value));
    if (platformHost !== undefined)
      v.fail(at, h, `overlaps ${platformHost.value}, which the platform serves (${platformHost.by})`);
  });
  v.check('hostnames', hostnames, rules.unique<string>('hostnames'));
  return hostnames;
}

/** Hostnames claimed by tenants, per construct tree: a name belongs to one tenant. */
const CLAIMS = new WeakMap<Construct, Map<string, string>>();

/** Fails when one of `hostnames` overlaps a hostname another tenant in the same tree owns; returns the claim to record once valid. */
export function claimHostnames(v: PropsValidator, tenant: Construct, hostnames: readonly string[]): () => void {
  const root = tenant.node.root;
  const claims = CLAIMS.get(root) ?? new Map<string, string>();
  CLAIMS.set(root, claims);
  const mine = tenant.node.path;
  let clash = false;
  hostnames.forEach((h, i) => {
    for (const [other, owner] of claims) {
      if (owner !== mine && hostnamesOverlap(h, other)) {
        v.fail(
          `hostnames[${i}]`,
          h,
          `overlaps ${other}, which Tenant '${owner}' owns: a hostname belongs to one tenant`,
        );
        clash = true;
      }
    }
  });
  return () => {
    if (!clash) for (const h of hostnames) claims.set(h, mine);
  };
}

/**
 * Problems of the routes, Ingresses and Certificates among `objects` (those placed in the tenant's
 * namespaces, from any chart) whose hosts the tenant does not own: the admission policy would refuse them.
 */
export function hostnameProblems(
  objects: readonly ManifestObject[],
  owned: readonly string[],
  prefix: string,
): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (!['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'Ingress', 'Certificate'].includes(o.kind)) continue;
    for (const h of requestedHostnames(o)) {
      if (h !== undefined && owned.some((p) => hostnameCovers(p, h))) continue;
      out.push(
        `${prefix}: ${o.kind} ${o.metadata?.namespace}/${o.metadata?.name} ${h === undefined ? 'leaves its hostname open (every name of the listener)' : `serves ${h}`}, which the tenant does not own (hostnames: ${owned.length > 0 ? owned.join(', ') : 'none'}); the API server would refuse it`,
      );
    }
  }
  return out;
}
