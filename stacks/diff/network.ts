/**
 * NetworkPolicy widened: a rule admitting a peer or a port the policy did not admit before (a new
 * policy counts as admitting everything its rules list), a direction no longer restricted, a
 * changed pod selector (the pods it stops selecting lose its restrictions), a policy removed.
 */
import { asList, at, canonical, finding, type Finding, type Json, kindOf, type ObjectChange, stringsAt } from './model';

/** One direction of a policy: its rule key and the key of its peers. */
const DIRECTIONS = [
  { type: 'Ingress', rules: 'ingress', peers: 'from', word: 'from' },
  { type: 'Egress', rules: 'egress', peers: 'to', word: 'to' },
] as const;

type Direction = (typeof DIRECTIONS)[number];

/** The policy types a policy enforces (the API's default when `policyTypes` is left out). */
export function policyTypes(policy: Json | undefined): Set<string> {
  const explicit = stringsAt(policy, 'spec', 'policyTypes');
  if (explicit.length > 0) return new Set(explicit);
  return new Set(['Ingress', ...(at(policy, 'spec', 'egress') !== undefined ? ['Egress'] : [])]);
}

/** What a direction admits: each peer and each port, as canonical text; `*` for any. */
function admitted(policy: Json | undefined, d: Direction): { peers: Set<string>; ports: Set<string> } {
  const peers = new Set<string>();
  const ports = new Set<string>();
  for (const rule of asList(at(policy, 'spec', d.rules))) {
    const ps = asList(at(rule, d.peers));
    if (ps.length === 0) peers.add('*');
    for (const p of ps) peers.add(canonical(p));
    const pts = asList(at(rule, 'ports'));
    if (pts.length === 0) ports.add('*');
    for (const p of pts) ports.add(canonical(p));
  }
  return { peers, ports };
}

const describe = (item: string, what: string): string => (item === '*' ? `any ${what}` : item);

function directionFindings(change: ObjectChange, d: Direction): Finding[] {
  const { before, after } = change;
  const beforeTypes = before === undefined ? policyTypes(after) : policyTypes(before);
  const afterTypes = policyTypes(after);
  if (!afterTypes.has(d.type)) {
    return beforeTypes.has(d.type)
      ? [finding('network', change, `no longer restricts ${d.rules} (policyTypes ${[...afterTypes].join(', ')})`)]
      : [];
  }
  if (!beforeTypes.has(d.type)) return [];
  const old = admitted(before, d);
  const now = admitted(after, d);
  const out: Finding[] = [];
  const peers = [...now.peers].filter((p) => !old.peers.has(p) && !old.peers.has('*'));
  if (peers.length > 0)
    out.push(
      finding('network', change, `${d.rules} now admits ${d.word} ${peers.map((p) => describe(p, 'peer')).join(', ')}`),
    );
  const ports = [...now.ports].filter((p) => !old.ports.has(p) && !old.ports.has('*'));
  if (ports.length > 0)
    out.push(
      finding('network', change, `${d.rules} now admits port ${ports.map((p) => describe(p, 'port')).join(', ')}`),
    );
  return out;
}

/** The NetworkPolicy risk family. */
export function networkRisks(change: ObjectChange): readonly Finding[] {
  if (kindOf(change) !== 'NetworkPolicy') return [];
  if (change.after === undefined)
    return [finding('network', change, 'policy removed: the pods it selected lose its restrictions')];
  const out: Finding[] = [];
  const selector = at(change.after, 'spec', 'podSelector');
  if (change.before !== undefined && canonical(selector) !== canonical(at(change.before, 'spec', 'podSelector'))) {
    out.push(
      finding(
        'network',
        change,
        `podSelector changed to ${canonical(selector)}: pods it no longer selects lose its restrictions`,
      ),
    );
  }
  for (const d of DIRECTIONS) out.push(...directionFindings(change, d));
  return out;
}
