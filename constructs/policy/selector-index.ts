/** Label selectors, and the indexes that match NetworkPolicies, PodDisruptionBudgets and Services to Pod templates in linear time. */
import { arr, rec, type Json } from './malformed';
import type { PodOwner } from './pod-security';
import type { ManifestObject } from './rules-table';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

/** True when `selector` (a LabelSelector) selects an object carrying `labels`. An empty selector selects everything. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  for (const [k, val] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== val) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A label selector as written, keeping only well-formed parts (a malformed one selects nothing it should not). */
export function selectorOf(x: unknown): LabelSelector | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const raw = x as Json;
  const matchLabels = Object.fromEntries(
    Object.entries(rec(raw.matchLabels)).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const matchExpressions = arr(raw.matchExpressions)
    .filter((e) => typeof e.key === 'string' && typeof e.operator === 'string')
    .map((e) => ({
      key: e.key as string,
      operator: e.operator as string,
      values: Array.isArray(e.values) ? (e.values as unknown[]).filter((v): v is string => typeof v === 'string') : [],
    }));
  return { matchLabels, matchExpressions };
}

/** Where a selector's candidates are filed: under `key` with one of `values`, or under `key` with any value (undefined). */
interface LabelPart {
  readonly key: string;
  readonly values: readonly string[] | undefined;
}

function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The items filed under one label key: with any value, and by value. */
interface LabelEntry<T> {
  readonly any: T[];
  readonly byValue: Map<string, T[]>;
}

/** Items filed by namespace, label key and label value (or any value). */
class LabelTable<T> {
  private readonly namespaces = new Map<string, Map<string, LabelEntry<T>>>();

  private entry(namespace: string, key: string): LabelEntry<T> {
    let keys = this.namespaces.get(namespace);
    if (!keys) this.namespaces.set(namespace, (keys = new Map<string, LabelEntry<T>>()));
    let e = keys.get(key);
    if (!e) keys.set(key, (e = { any: [], byValue: new Map<string, T[]>() }));
    return e;
  }

  /** Files `item` under `part`: under each of its values, or under its key with any value. */
  add(namespace: string, part: LabelPart, item: T): void {
    const e = this.entry(namespace, part.key);
    if (part.values === undefined) e.any.push(item);
    else for (const v of part.values) pushTo(e.byValue, v, item);
  }

  /** Files `item` under `key=value`; true when it is the first item there. */
  addPair(namespace: string, key: string, value: string, item: T): boolean {
    const e = this.entry(namespace, key);
    const list = e.byValue.get(value);
    if (list) list.push(item);
    else e.byValue.set(value, [item]);
    return list === undefined;
  }

  /** The items filed under `key=value` in `namespace`. */
  pair(namespace: string, key: string, value: string): readonly T[] {
    return this.namespaces.get(namespace)?.get(key)?.byValue.get(value) ?? [];
  }

  /** How many items `namespace` files under `key=value`, or under `key` with any value (`value` undefined). */
  count(namespace: string, key: string, value: string | undefined): number {
    const e = this.namespaces.get(namespace)?.get(key);
    return (value === undefined ? e?.any : e?.byValue.get(value))?.length ?? 0;
  }

  /** The lists filed under `part` in `namespace`: one per value, or the key's any-value list. */
  lists(namespace: string, part: LabelPart): Array<readonly T[]> {
    const e = this.namespaces.get(namespace)?.get(part.key);
    if (!e) return [];
    return part.values === undefined ? [e.any] : part.values.map((v) => e.byValue.get(v) ?? []);
  }

  /** Calls `visit` with the lists of `namespace` filed under a pair of `labels` or under one of their keys with any value. */
  meeting(namespace: string, labels: Readonly<Record<string, string>>, visit: (list: readonly T[]) => void): void {
    const keys = this.namespaces.get(namespace);
    if (!keys) return;
    for (const k of Object.keys(labels)) {
      const e = keys.get(k);
      if (!e) continue;
      const byValue = e.byValue.get(labels[k]);
      if (byValue) visit(byValue);
      if (e.any.length > 0) visit(e.any);
    }
  }
}

/**
 * The Pod templates, indexed for selector matching within a namespace by each of their label pairs
 * and label keys, so that what a selector can select is found from its most selective part and
 * checking stays linear whatever the label layout (selectors that all begin with a shared
 * `environment: prod` included).
 */
export class PodIndex {
  /** Each Pod under each of its pairs (`values: [v]`) and under each of its keys (any value). */
  private readonly table = new LabelTable<PodOwner>();
  private readonly byNamespace = new Map<string, PodOwner[]>();
  /** Per namespace, the listing {@link selectedBy} keeps for selectors without matchLabels: Pods without labels, then pair lists in the order first filled. */
  private readonly unlabeled = new Map<string, PodOwner[]>();
  private readonly pairLists = new Map<string, Array<readonly PodOwner[]>>();
  private readonly everyLabelOf = new Map<string, readonly PodOwner[]>();

  constructor(pods: readonly PodOwner[]) {
    for (const p of pods) {
      pushTo(this.byNamespace, p.namespace, p);
      const pairs = Object.entries(p.labels);
      if (pairs.length === 0) pushTo(this.unlabeled, p.namespace, p);
      for (const [k, v] of pairs) {
        if (this.table.addPair(p.namespace, k, v, p))
          pushTo(this.pairLists, p.namespace, this.table.pair(p.namespace, k, v));
        this.table.add(p.namespace, { key: k, values: undefined }, p);
      }
    }
  }

  /**
   * The most selective part of `selector`: the matchLabels pair carried by the fewest Pods of
   * `namespace`, an `In` expression (its values) or an `Exists` expression (its key), whichever
   * leads to the fewest. Every Pod it selects is filed under that part. Undefined when no part
   * narrows it (an empty selector, or only `NotIn` and `DoesNotExist`): every Pod is a candidate.
   */
  narrowest(namespace: string, selector: LabelSelector): LabelPart | undefined {
    let best: LabelPart | undefined;
    let cost = Infinity;
    const matchLabels = selector.matchLabels ?? {};
    for (const k of Object.keys(matchLabels)) {
      const c = this.table.count(namespace, k, matchLabels[k]);
      if (c < cost) {
        best = { key: k, values: [matchLabels[k]] };
        cost = c;
      }
    }
    for (const e of selector.matchExpressions ?? []) {
      if (e.operator === 'In') {
        const values = [...new Set(e.values ?? [])];
        const c = values.reduce((n, v) => n + this.table.count(namespace, e.key, v), 0);
        if (c < cost) {
          best = { key: e.key, values };
          cost = c;
        }
      } else if (e.operator === 'Exists') {
        const c = this.table.count(namespace, e.key, undefined);
        if (c < cost) {
          best = { key: e.key, values: undefined };
          cost = c;
        }
      }
    }
    return best;
  }

  /** The Pods that may match `selector`: those under its narrowest part, or every Pod of the namespace (each once: a Pod has one value per key). */
  private candidates(namespace: string, selector: LabelSelector): Array<readonly PodOwner[]> {
    const part = this.narrowest(namespace, selector);
    return part === undefined ? [this.byNamespace.get(namespace) ?? []] : this.table.lists(namespace, part);
  }

  /** The Pod templates of `namespace` that `selector` selects, each once (in no promised order). */
  selected(namespace: string, selector: LabelSelector | undefined): PodOwner[] {
    if (!selector) return [];
    return this.candidates(namespace, selector).flatMap((l) => l.filter((p) => selectorMatches(selector, p.labels)));
  }

  /** Whether `selector` selects any Pod template of `namespace`. */
  selectsAny(namespace: string, selector: LabelSelector | undefined): boolean {
    if (!selector) return false;
    return this.candidates(namespace, selector).some((l) => l.some((p) => selectorMatches(selector, p.labels)));
  }

  /**
   * The Pod templates of `namespace` that `selector` selects. With matchLabels, in the order of the
   * objects; without (a Service's `selector: {}`), as the checks have always listed them: the
   * unlabeled Pods, then each labeled Pod once per label pair, grouped by pair (so reports stay as
   * they were: a test image behind such a Service is reported once per label of its Pod).
   */
  selectedBy(namespace: string, selector: LabelSelector | undefined): PodOwner[] {
    if (!selector) return [];
    const match = (p: PodOwner): boolean => selectorMatches(selector, p.labels);
    const pairs = Object.entries(selector.matchLabels ?? {});
    if (pairs.length === 0) return this.everyLabel(namespace).filter(match);
    let rarest: readonly PodOwner[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.table.pair(namespace, k, v);
      if (rarest === undefined || list.length < rarest.length) rarest = list;
    }
    return (rarest ?? []).filter(match);
  }

  private everyLabel(namespace: string): readonly PodOwner[] {
    let list = this.everyLabelOf.get(namespace);
    if (!list) {
      list = [...(this.unlabeled.get(namespace) ?? []), ...(this.pairLists.get(namespace) ?? []).flat()];
      this.everyLabelOf.set(namespace, list);
    }
    return list;
  }
}

/** An object with a label selector (a NetworkPolicy, a PodDisruptionBudget) and the selector as read. */
interface Selecting {
  readonly obj: ManifestObject;
  readonly selector: LabelSelector;
}

/**
 * Objects with a label selector, indexed so that each Pod is compared only with those that may
 * select it: each is filed under its selector's most selective part ({@link PodIndex.narrowest}),
 * which every Pod it selects carries, so the work is linear in the objects even when every selector
 * begins with the same labels. Selectors no part narrows are compared with every Pod of their
 * namespace.
 */
export class SelectorIndex {
  private readonly table = new LabelTable<Selecting>();
  private readonly broad = new Map<string, Selecting[]>();

  constructor(private readonly pods: PodIndex) {}

  /** Files `obj`; an absent selector selects nothing and is not filed. */
  add(namespace: string, selector: LabelSelector | undefined, obj: ManifestObject): void {
    if (!selector) return;
    const part = this.pods.narrowest(namespace, selector);
    if (part === undefined) pushTo(this.broad, namespace, { obj, selector });
    else this.table.add(namespace, part, { obj, selector });
  }

  /** The filed objects of `namespace` whose selector selects a Pod carrying `labels`. */
  selecting(namespace: string, labels: Readonly<Record<string, string>>): ManifestObject[] {
    const out: ManifestObject[] = [];
    const take = (list: readonly Selecting[]): void => {
      for (const s of list) if (selectorMatches(s.selector, labels)) out.push(s.obj);
    };
    take(this.broad.get(namespace) ?? []);
    // a Pod has one value per key: it meets a selector filed under an `In` expression's values once
    this.table.meeting(namespace, labels, take);
    return out;
  }
}
