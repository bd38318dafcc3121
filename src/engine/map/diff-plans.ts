/**
 * `meshdbg diff` at scale: two maps compared per pair of class pairs, not per edge. Workloads of
 * one class get one answer (connectivity-map.ts), so the changes between a before class pair and
 * an after class pair are computed once and stamped on every workload pair that has those two;
 * the order and content are those of `diffMaps` over every edge of both maps. The changes come
 * lazily (a generator): a diff of two 10k-pod meshes has tens of millions of them.
 */
import type { MapConnection, MapPlan, SourceProgress } from './connectivity-map.js';
import { diffConnectionLists, type MapChange, type PairChange } from './diff.js';

const NONE: readonly MapConnection[] = [];

/** One side's workload index per id of the sorted union, -1 when the side lacks it. */
function indexIn(plan: MapPlan, ids: readonly string[]): Int32Array {
  const at = new Map(plan.workloads.map((w, i) => [w.id, i]));
  return Int32Array.from(ids, (id) => at.get(id) ?? -1);
}

function classCount(plan: MapPlan): number {
  return plan.classOf.reduce((m, c) => Math.max(m, c), -1) + 1;
}

/**
 * The current source row's answers by (destination class before, after), in a typed array: a 10k-pod
 * diff looks one up per workload pair (10^8), a Map lookup each would cost seconds. `row` keeps them
 * for later rows with the same source classes; only the slots one row used are cleared.
 */
class RowCache {
  private readonly slot: Int32Array;
  private readonly used: number[] = [];
  private answers: (readonly PairChange[])[] = [];
  private row = new Map<number, readonly PairChange[]>();

  constructor(size: number) {
    this.slot = new Int32Array(size).fill(-1);
  }

  startRow(row: Map<number, readonly PairChange[]>): void {
    for (const k of this.used) this.slot[k] = -1;
    this.used.length = 0;
    this.answers = [];
    this.row = row;
  }

  /** the row's answer for `key`, undefined when not known yet */
  get(key: number): readonly PairChange[] | undefined {
    const at = this.slot[key] as number;
    if (at >= 0) return this.answers[at];
    const changes = this.row.get(key);
    if (changes) this.remember(key, changes);
    return changes;
  }

  set(key: number, changes: readonly PairChange[]): void {
    this.row.set(key, changes);
    this.remember(key, changes);
  }

  private remember(key: number, changes: readonly PairChange[]): void {
    this.slot[key] = this.answers.push(changes) - 1;
    this.used.push(key);
  }
}

/** The changes from `before` to `after`; `onSource` hears each source workload (of the union) start. */
export function* diffPlans(before: MapPlan, after: MapPlan, onSource?: SourceProgress): Generator<MapChange> {
  const ids = [...new Set([...before.workloads, ...after.workloads].map((w) => w.id))].sort();
  const b = indexIn(before, ids);
  const a = indexIn(after, ids);
  const bWidth = classCount(before);
  const aWidth = classCount(after);
  // per (source class before, after): (destination class before, after) -> changes. Equal class
  // pairs get equal changes; two small integer keys (a single key over both class pairs would pass
  // 2^31 at 10k pods, and V8 hashes such keys as heap numbers)
  const memo = new Map<number, Map<number, readonly PairChange[]>>();
  const cache = new RowCache((bWidth + 1) * (aWidth + 1));
  const classIn = (plan: MapPlan, i: number): number => (i < 0 ? 0 : (plan.classOf[i] as number) + 1);
  // per side: each union index's class + 1 (0 when the side lacks the workload), and the source row's listing
  const bClass = Int32Array.from(b, (i) => classIn(before, i));
  const aClass = Int32Array.from(a, (i) => classIn(after, i));
  const bListed = new Uint8Array(before.workloads.length);
  const aListed = new Uint8Array(after.workloads.length);
  for (let s = 0; s < ids.length; s++) {
    onSource?.(s, ids.length);
    const src = ids[s] as string;
    const bs = b[s] as number;
    const as = a[s] as number;
    if (bs >= 0) before.listedRow(bs, bListed);
    if (as >= 0) after.listedRow(as, aListed);
    const rowKey = (bClass[s] as number) * (aWidth + 1) + (aClass[s] as number);
    let row = memo.get(rowKey);
    if (!row) memo.set(rowKey, (row = new Map()));
    cache.startRow(row);
    for (let d = 0; d < ids.length; d++) {
      const bd = b[d] as number;
      const ad = a[d] as number;
      // the destination's class + 1 on each side where the pair is listed, else 0 (itself is never listed)
      const bc = bs >= 0 && bd >= 0 && bListed[bd] === 1 ? (bClass[d] as number) : 0;
      const ac = as >= 0 && ad >= 0 && aListed[ad] === 1 ? (aClass[d] as number) : 0;
      if (bc === 0 && ac === 0) continue;
      const key = bc * (aWidth + 1) + ac;
      let changes = cache.get(key);
      if (!changes)
        cache.set(
          key,
          (changes = diffConnectionLists(
            bc === 0 ? NONE : before.resultOf((bClass[s] as number) - 1, bc - 1).connections,
            ac === 0 ? NONE : after.resultOf((aClass[s] as number) - 1, ac - 1).connections,
          )),
        );
      if (changes.length === 0) continue;
      const dst = ids[d] as string;
      // the keys in MapChange order (what `{ src, dst, ...c }` gives), written out: V8 builds these faster
      for (const c of changes)
        yield { src, dst, protocol: c.protocol, ports: c.ports, change: c.change, before: c.before, after: c.after };
    }
  }
  onSource?.(ids.length, ids.length);
}
