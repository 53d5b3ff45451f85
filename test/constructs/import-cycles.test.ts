/** No import cycles in `constructs/` (type-only imports count), and the check finds a planted one. */
import * as path from 'path';
import { importCycles, importGraph } from '../helpers/import-graph';

describe('import cycles', () => {
  test('constructs/ has none', () => {
    const graph = importGraph(path.join(__dirname, '../../constructs'));
    expect(graph.size).toBeGreaterThan(50);
    expect(importCycles(graph)).toEqual([]);
  });

  test('a planted cycle, a longer one and a self-import are each found; a diamond is not a cycle', () => {
    const graph = new Map([
      ['addons/addon.ts', ['platform/contract.ts']],
      ['platform/contract.ts', ['addons/addon.ts', 'internal/rules.ts']],
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['self.ts', ['self.ts']],
      ['top.ts', ['left.ts', 'right.ts']],
      ['left.ts', ['internal/rules.ts']],
      ['right.ts', ['internal/rules.ts']],
      ['internal/rules.ts', []],
    ]);
    expect(importCycles(graph)).toEqual(
      expect.arrayContaining([['addons/addon.ts', 'platform/contract.ts'], ['a.ts', 'b.ts', 'c.ts'], ['self.ts']]),
    );
    expect(importCycles(graph)).toHaveLength(3);
  });
});
