/**
 * The import graph of a folder of TypeScript sources (relative imports and re-exports, type-only
 * ones included: a type cycle is still a layering knot), read with TypeScript's own pre-processor,
 * and its cycles (Tarjan's strongly connected components, linear in the graph).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** File (relative to the folder) to the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Reads every `.ts` file under `root`. */
export function importGraph(root: string): ImportGraph {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.d.ts')) files.push(f);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps: string[] = [];
    for (const ref of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), ref.fileName);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target !== undefined) deps.push(path.relative(root, target));
    }
    graph.set(path.relative(root, file), deps);
  }
  return graph;
}

/** Every cycle of `graph`: each strongly connected component of more than one file, or a file importing itself. */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
