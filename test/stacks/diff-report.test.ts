/**
 * The line diff and the reports of `npm run diff`: hunks that apply, a 5,000-line ConfigMap in
 * milliseconds, the markdown comment and the last line.
 */
import type { ObjectDiff } from '../../stacks/diff/classify';
import { diffLines, unifiedDiff } from '../../stacks/diff/line-diff';
import type { DiffObject } from '../../stacks/diff/model';
import { parseEnvFile } from '../../stacks/diff/read-rendering';
import { markdownReport, summaryLine, textReport } from '../../stacks/diff/report';

/** `a` rebuilt into `b` from the edit script: kept and added lines. */
const apply = (a: string[], b: string[]): string[] =>
  diffLines(a, b)
    .filter((l) => l.op !== '-')
    .map((l) => l.text);

describe('line diff', () => {
  test('the edit script rebuilds both sides and is minimal on small inputs', () => {
    const a = ['a', 'b', 'c', 'a', 'b', 'b', 'a'];
    const b = ['c', 'b', 'a', 'b', 'a', 'c'];
    expect(apply(a, b)).toEqual(b);
    expect(
      diffLines(a, b)
        .filter((l) => l.op !== '+')
        .map((l) => l.text),
    ).toEqual(a);
    expect(diffLines(a, b).filter((l) => l.op !== ' ').length).toBe(5);
  });

  test('random edits rebuild, also past the edit limit', () => {
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 50; round++) {
      const a = Array.from({ length: rand(40) }, () => String(rand(5)));
      const b = Array.from({ length: rand(40) }, () => String(rand(5)));
      expect(apply(a, b)).toEqual(b);
      expect(
        diffLines(a, b, 3)
          .filter((l) => l.op !== '-')
          .map((l) => l.text),
      ).toEqual(b);
    }
  });

  test('unified hunks carry line numbers and three lines of context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = a.map((l) => (l === 'line 10' ? 'line ten' : l));
    expect(unifiedDiff(a, b)).toEqual([
      '@@ -7,7 +7,7 @@',
      ' line 7',
      ' line 8',
      ' line 9',
      '-line 10',
      '+line ten',
      ' line 11',
      ' line 12',
      ' line 13',
    ]);
    expect(unifiedDiff(a, a)).toEqual([]);
  });

  test('a 5,000-line ConfigMap with scattered changes stays fast', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `  key${i}: value ${i}`);
    const b = a.map((l, i) => (i % 50 === 0 ? `${l} changed` : l));
    const started = Date.now();
    const hunks = unifiedDiff(a, b);
    const reversed = unifiedDiff(a, [...a].reverse());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hunks.filter((l) => l.startsWith('+')).length).toBe(100);
    expect(reversed.length).toBeGreaterThan(0);
  });
});

describe('reports', () => {
  const role: DiffObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'wild', namespace: 'shop' },
  };
  const cm = (v: string): DiffObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'shop' },
    data: { k: v },
  });
  const diffs: ObjectDiff[] = [
    {
      key: 'rbac.authorization.k8s.io/Role shop/wild',
      after: role,
      status: 'added',
      findings: [{ risk: 'rbac', object: 'x', message: 'new role grants: * on *.* (wildcard)' }],
    },
    { key: 'ConfigMap shop/c', before: cm('1'), after: cm('2'), status: 'changed', findings: [] },
  ];
  const stack = { stack: 'prod', base: 'HEAD~1 (abc)', diffs };

  test('text: risks first, then the rest as unified diffs; the last line is the summary', () => {
    const lines = textReport(stack);
    expect(lines.indexOf('== RBAC widened (rbac): 1 object')).toBeLessThan(lines.indexOf('== Other changes: 1 object'));
    expect(lines).toContain('    -  k: "1"');
    expect(lines[lines.length - 1]).toBe('diff: stack=prod added=1 changed=1 removed=0 risky=1');
  });

  test('markdown: a PR comment with headings, findings and diff blocks, ending with the summary', () => {
    const text = markdownReport(stack).join('\n');
    expect(text).toContain('### Rendered diff: stack `prod`');
    expect(text).toContain('#### ⚠️ RBAC widened (rbac)');
    expect(text).toContain('  - **rbac**: new role grants: \\* on \\*.\\* (wildcard)');
    expect(text).toContain('  ```diff');
    expect(text.split('\n').pop()).toBe(summaryLine('prod', { added: 1, changed: 1, removed: 0, risky: 1 }));
  });

  test('engine.env is read back as values', () => {
    expect(parseEnvFile("# c\nA='x'\nB='it'\\''s'\n")).toEqual({ A: 'x', B: "it's" });
  });
});
