/**
 * Import cycles of an import graph: its strongly connected components of more than one module
 * (or a module importing itself), found with Tarjan's algorithm (R. Tarjan, "Depth-first search
 * and linear graph algorithms", SIAM J. Comput. 1(2), 1972). Only static value imports count:
 * a type-only import is erased at compile time, and an `import()` call loads its module when
 * it runs, after both modules have loaded, so neither can leave a module half-initialized.
 */
import type { ImportGraph } from './import-graph.js';

export interface ImportCycle {
  /** every module of the strongly connected component, sorted */
  readonly modules: readonly string[];
  /** one shortest way round, from the first module back to it: `a -> b -> a` */
  readonly path: readonly string[];
}

function staticImports(graph: ImportGraph, module: string): string[] {
  return (graph.get(module) ?? []).filter((e) => e.kind === 'static').map((e) => e.to);
}

/** Strongly connected components (Tarjan), each as a list of modules. */
function components(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of staticImports(graph, v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    found.push(component);
  };
  for (const module of graph.keys()) if (!index.has(module)) connect(module);
  return found;
}

/** The shortest import path from `start` back to itself inside `members` (breadth first). */
function shortestLoop(graph: ImportGraph, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const next of staticImports(graph, at)) {
      if (!members.has(next) || previous.has(next)) continue;
      previous.set(next, at);
      if (next === start) {
        const path = [start];
        for (let p = previous.get(start); p !== undefined && p !== start; p = previous.get(p)) path.unshift(p);
        return [start, ...path];
      }
      queue.push(next);
    }
  }
  return [start];
}

/** Every import cycle of `graph`, each with its modules and one way round. */
export function importCycles(graph: ImportGraph): ImportCycle[] {
  return components(graph)
    .filter((c) => c.length > 1 || staticImports(graph, c[0] ?? '').includes(c[0] ?? ''))
    .map((c) => {
      const modules = [...c].sort();
      const first = modules[0] ?? '';
      return { modules, path: shortestLoop(graph, first, new Set(modules)) };
    });
}

/** One line per cycle, for a test failure: `3 modules: a.ts -> b.ts -> c.ts -> a.ts`. */
export function describeCycles(cycles: readonly ImportCycle[]): string {
  return cycles
    .map((c) => `${c.modules.length} module${c.modules.length === 1 ? '' : 's'}: ${c.path.join(' -> ')}`)
    .join('\n');
}
