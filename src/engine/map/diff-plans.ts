/**
 * `meshdbg diff` at scale: two maps compared per pair of class pairs, not per edge. Workloads of
 * one class get one answer (connectivity-map.ts), so the changes between a before class pair and
 * an after class pair are computed once and stamped on every workload pair that has those two;
 * the order and content are those of `diffMaps` over every edge of both maps. The changes come
 * lazily (a generator): a diff of two 10k-pod meshes has tens of millions of them.
 */
import type { MapConnection, MapPlan } from './connectivity-map.js';
import { diffConnectionLists, type MapChange, type PairChange } from './diff.js';

const NONE: readonly MapConnection[] = [];

/** One side's workload index per id of the sorted union, -1 when the side lacks it. */
function indexIn(plan: MapPlan, ids: readonly string[]): Int32Array {
  const at = new Map(plan.workloads.map((w, i) => [w.id, i]));
  return Int32Array.from(ids, (id) => at.get(id) ?? -1);
}

/** The connections a side lists from workload i to workload j. */
function connections(plan: MapPlan, i: number, j: number): readonly MapConnection[] {
  if (i < 0 || j < 0 || !plan.listed(i, j)) return NONE;
  return plan.resultOf(plan.classOf[i] as number, plan.classOf[j] as number).connections;
}

export function* diffPlans(before: MapPlan, after: MapPlan): Generator<MapChange> {
  const ids = [...new Set([...before.workloads, ...after.workloads].map((w) => w.id))].sort();
  const b = indexIn(before, ids);
  const a = indexIn(after, ids);
  const classes = (plan: MapPlan, i: number): number => (i < 0 ? -1 : (plan.classOf[i] as number));
  // (before class pair, after class pair) -> changes; keyed per source row, then per destination
  const memo = new Map<string, Map<number, readonly PairChange[]>>();
  const bWidth = before.classOf.reduce((m, c) => Math.max(m, c), -1) + 2;
  for (const [s, src] of ids.entries()) {
    const rowKey = `${classes(before, b[s] as number)},${classes(after, a[s] as number)}`;
    let row = memo.get(rowKey);
    if (!row) memo.set(rowKey, (row = new Map()));
    for (const [d, dst] of ids.entries()) {
      if (s === d) continue;
      const bc = connections(before, b[s] as number, b[d] as number);
      const ac = connections(after, a[s] as number, a[d] as number);
      if (bc.length === 0 && ac.length === 0) continue;
      const bKey = bc === NONE ? 0 : classes(before, b[d] as number) + 1;
      const key = bKey + bWidth * (ac === NONE ? 0 : classes(after, a[d] as number) + 1);
      let changes = row.get(key);
      if (!changes) row.set(key, (changes = diffConnectionLists(bc, ac)));
      for (const c of changes) yield { src, dst, ...c };
    }
  }
}
