/**
 * Which modules of an import graph no entry point uses: every import counts (static, `import()`,
 * and type-only, since a module of types is used by whoever names them).
 */
import type { ImportGraph } from './import-graph.js';

/** Modules reached from `entries` following every value import, breadth first. */
export function reachableModules(graph: ImportGraph, entries: readonly string[]): Set<string> {
  const reached = new Set(entries);
  const queue = [...entries];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const edge of graph.get(at) ?? []) {
      if (reached.has(edge.to)) continue;
      reached.add(edge.to);
      queue.push(edge.to);
    }
  }
  return reached;
}

/** Modules of `graph` that no entry reaches, sorted. */
export function unreachableModules(graph: ImportGraph, entries: readonly string[]): string[] {
  const reached = reachableModules(graph, entries);
  return [...graph.keys()].filter((m) => !reached.has(m)).sort();
}
