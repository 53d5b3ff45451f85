/**
 * A line diff (Myers' O(ND) algorithm) and its unified rendering. The common head and tail are
 * trimmed first, so one changed line in a 5,000-line ConfigMap costs a scan; past `maxEdits` edits
 * the rest is shown as one replaced block instead of searching further (no quadratic blowup).
 */

/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** Edits searched for before the middle is shown as one replaced block. */
export const MAX_EDITS = 2000;

/** The Myers edit script of `a` -> `b` (no common head or tail), or undefined past `maxEdits`. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): DiffLine[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return undefined;
}

/** Walks the saved frontiers back from (n, m): trace[d] holds v[-d-1 .. d+1] before step d. */
function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[], last: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d > 0; d--) {
    const v = trace[d];
    const get = (k: number): number => v[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && get(k - 1) < get(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = get(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: ' ', text: a[--x] });
      y--;
    }
    if (down) out.push({ op: '+', text: b[--y] });
    else out.push({ op: '-', text: a[--x] });
  }
  while (x > 0 && y > 0) {
    out.push({ op: ' ', text: a[--x] });
    y--;
  }
  return out.reverse();
}

/** The edit script of `a` -> `b`: common head and tail kept, the middle by Myers (or replaced whole past `maxEdits`). */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits: number = MAX_EDITS): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle = myers(midA, midB, maxEdits) ?? [
    ...midA.map((text) => ({ op: '-' as const, text })),
    ...midB.map((text) => ({ op: '+' as const, text })),
  ];
  return [
    ...a.slice(0, head).map((text) => ({ op: ' ' as const, text })),
    ...middle,
    ...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text })),
  ];
}

/** `a` -> `b` as unified-diff hunks (`@@ -l,n +l,n @@`) with `context` lines around each change; empty when equal. */
export function unifiedDiff(a: readonly string[], b: readonly string[], context = 3): string[] {
  const lines = diffLines(a, b);
  // line numbers in a and b where each diff line starts
  const aAt = new Int32Array(lines.length + 1);
  const bAt = new Int32Array(lines.length + 1);
  lines.forEach((l, i) => {
    aAt[i + 1] = aAt[i] + (l.op === '+' ? 0 : 1);
    bAt[i + 1] = bAt[i] + (l.op === '-' ? 0 : 1);
  });
  const changed = lines.map((l, i) => (l.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [];
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i] - context);
    let end = changed[i];
    while (i + 1 < changed.length && changed[i + 1] - end <= 2 * context + 1) end = changed[++i];
    i++;
    const stop = Math.min(lines.length, end + context + 1);
    const aLen = aAt[stop] - aAt[start];
    const bLen = bAt[stop] - bAt[start];
    const header = `@@ -${aLen === 0 ? aAt[start] : aAt[start] + 1},${aLen} +${bLen === 0 ? bAt[start] : bAt[start] + 1},${bLen} @@`;
    out.push(header, ...lines.slice(start, stop).map((l) => `${l.op}${l.text}`));
  }
  return out;
}
