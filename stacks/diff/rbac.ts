/**
 * RBAC widened: a Role or ClusterRole granting a verb on a resource it did not grant before (a new
 * role counts as granting everything it lists), a binding gaining a subject or pointing at another
 * role, a ClusterRole aggregating more. Cluster-scoped objects say so: they reach every namespace.
 */
import {
  asList,
  asMap,
  asString,
  at,
  canonical,
  finding,
  type Finding,
  type Json,
  kindOf,
  type ObjectChange,
  stringsAt,
} from './model';

const ROLES = new Set(['Role', 'ClusterRole']);
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);
/** At most this many grants are spelled out per object; the rest are counted. */
const MAX_LISTED = 8;

/** One rule of a role, as lists. */
interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

function rulesOf(role: Json | undefined): PolicyRule[] {
  return asList(at(role, 'rules')).map((r) => ({
    apiGroups: stringsAt(r, 'apiGroups'),
    resources: stringsAt(r, 'resources'),
    verbs: stringsAt(r, 'verbs'),
    resourceNames: stringsAt(r, 'resourceNames'),
    nonResourceURLs: stringsAt(r, 'nonResourceURLs'),
  }));
}

const matches = (list: readonly string[], value: string): boolean => list.includes('*') || list.includes(value);

/** Whether some rule of `before` already grants `verb` on `group`/`resource` (for `names`, or every name when empty). */
function covered(
  before: readonly PolicyRule[],
  group: string,
  resource: string,
  verb: string,
  names: readonly string[],
): boolean {
  return before.some(
    (r) =>
      matches(r.apiGroups, group) &&
      matches(r.resources, resource) &&
      matches(r.verbs, verb) &&
      (r.resourceNames.length === 0 || (names.length > 0 && names.every((n) => r.resourceNames.includes(n)))),
  );
}

function coveredUrl(before: readonly PolicyRule[], url: string, verb: string): boolean {
  return before.some(
    (r) => matches(r.verbs, verb) && (r.nonResourceURLs.includes(url) || r.nonResourceURLs.includes('*')),
  );
}

/** `resource` in group `group` as `kubectl` names it (`deployments.apps`, `pods`). */
const qualified = (group: string, resource: string): string => (group === '' ? resource : `${resource}.${group}`);

/** The grants of `after` that `before` does not have, as `verb[, verb…] on resource` phrases. */
export function newGrants(before: Json | undefined, after: Json | undefined): string[] {
  const old = rulesOf(before);
  const byResource = new Map<string, string[]>();
  const add = (what: string, verb: string): void => {
    const verbs = byResource.get(what) ?? [];
    if (!verbs.includes(verb)) verbs.push(verb);
    byResource.set(what, verbs);
  };
  for (const r of rulesOf(after)) {
    const names = r.resourceNames.length > 0 ? ` (names ${r.resourceNames.join(', ')})` : '';
    for (const group of r.apiGroups)
      for (const resource of r.resources)
        for (const verb of r.verbs)
          if (!covered(old, group, resource, verb, r.resourceNames)) add(qualified(group, resource) + names, verb);
    for (const url of r.nonResourceURLs)
      for (const verb of r.verbs) if (!coveredUrl(old, url, verb)) add(`URL ${url}`, verb);
  }
  return [...byResource].map(([what, verbs]) => {
    const wild = verbs.includes('*') || what.startsWith('*') || what.includes('.*') ? ' (wildcard)' : '';
    return `${verbs.join(', ')} on ${what}${wild}`;
  });
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join('; ');
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

function roleFindings(change: ObjectChange): Finding[] {
  const scope = kindOf(change) === 'ClusterRole' ? ' in every namespace' : '';
  const grants = newGrants(change.before, change.after);
  const out: Finding[] = [];
  if (grants.length > 0)
    out.push(
      finding(
        'rbac',
        change,
        `${change.before === undefined ? 'new role grants' : 'grants newly'}${scope}: ${listed(grants)}`,
      ),
    );
  const aggregation = at(change.after, 'aggregationRule');
  if (aggregation !== undefined && canonical(aggregation) !== canonical(at(change.before, 'aggregationRule'))) {
    out.push(
      finding(
        'rbac',
        change,
        `aggregationRule ${change.before === undefined ? 'set' : 'changed'}: aggregates ${canonical(aggregation)}`,
      ),
    );
  }
  return out;
}

function subjectName(s: Json): string {
  const m = asMap(s) ?? {};
  const ns = typeof m.namespace === 'string' ? `${m.namespace}/` : '';
  return `${asString(m.kind) ?? '?'} ${ns}${asString(m.name) ?? '?'}`;
}

function bindingFindings(change: ObjectChange): Finding[] {
  const out: Finding[] = [];
  const cluster = kindOf(change) === 'ClusterRoleBinding' ? ' (cluster-scoped binding: every namespace)' : '';
  const roleRef = at(change.after, 'roleRef');
  const role = `${asString(at(roleRef, 'kind')) ?? '?'} ${asString(at(roleRef, 'name')) ?? '?'}`;
  if (change.before !== undefined && canonical(roleRef) !== canonical(at(change.before, 'roleRef'))) {
    out.push(finding('rbac', change, `now binds ${role}${cluster}`));
  }
  const old = new Set(asList(at(change.before, 'subjects')).map(canonical));
  const added = asList(at(change.after, 'subjects')).filter((s) => !old.has(canonical(s)));
  if (added.length > 0)
    out.push(finding('rbac', change, `new subjects bound to ${role}${cluster}: ${listed(added.map(subjectName))}`));
  return out;
}

/** The RBAC risk family. */
export function rbacRisks(change: ObjectChange): readonly Finding[] {
  if (change.after === undefined) return [];
  const kind = kindOf(change);
  if (ROLES.has(kind)) return roleFindings(change);
  if (BINDINGS.has(kind)) return bindingFindings(change);
  return [];
}
