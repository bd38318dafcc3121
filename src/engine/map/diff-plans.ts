/**
 * `meshdbg diff` at scale: two maps compared per pair of class pairs, not per edge. Workloads of
 * one class get one answer (connectivity-map.ts), so the changes between a before class pair and
 * an after class pair are computed once and stamped on every workload pair that has those two;
 * the order and content are those of `diffMaps` over every edge of both maps. The changes come
 * lazily (a generator), one source workload at a time, as destinations and shared change lists:
 * a diff of two 10k-pod meshes has tens of millions of changes, and an object and a generator
 * step for each cost more than finding them (2.3 s of a 3.4 s walk).
 */
import type { MapConnection, MapPlan, SourceProgress } from './connectivity-map.js';
import { diffConnectionLists, type MapChange, type PairChange } from './diff.js';

/** One source workload's changes: destination `dsts[k]` gets `changes[k]` (lists shared by pairs with the same classes, never empty). */
export interface SourceChanges {
  readonly src: string;
  readonly dsts: readonly string[];
  readonly changes: readonly (readonly PairChange[])[];
}

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

/**
 * Per source (an index into the sorted union of ids): for each destination d, the pair's
 * destination classes as one key, (class before + 1) * (after width + 1) + (class after + 1), with
 * 0 for a side that does not list the pair (MapPlan.listedRow); 0 when neither does.
 */
class RowKeys {
  private readonly keys: Int32Array;
  /** the keys of a source that both sides list with every other workload they have */
  private readonly everyone: Int32Array;
  private readonly bListed: Uint8Array;
  private readonly aListed: Uint8Array;
  private readonly aWidth1: number;

  constructor(
    size: number,
    private readonly before: MapPlan,
    private readonly after: MapPlan,
    private readonly b: Int32Array,
    private readonly a: Int32Array,
    private readonly bClass: Int32Array,
    private readonly aClass: Int32Array,
  ) {
    this.keys = new Int32Array(size);
    this.bListed = new Uint8Array(before.workloads.length);
    this.aListed = new Uint8Array(after.workloads.length);
    const aWidth1 = (this.aWidth1 = classCount(after) + 1);
    this.everyone = Int32Array.from(bClass, (bc, d) => bc * aWidth1 + (aClass[d] as number));
  }

  /**
   * The keys of `dsts` only (the other slots keep whatever they held): for a source that is external
   * on each side that has it (no map lists an external with another, so its other keys are 0), or
   * one whose pairs with the other destinations cannot have changed (edit-scope.ts).
   */
  ofSome(s: number, dsts: Int32Array): Int32Array {
    const bs = this.b[s] as number;
    const as = this.a[s] as number;
    for (const d of dsts) {
      const bd = this.b[d] as number;
      const ad = this.a[d] as number;
      const bc = bs >= 0 && bd >= 0 && this.before.listed(bs, bd) ? (this.bClass[d] as number) : 0;
      const ac = as >= 0 && ad >= 0 && this.after.listed(as, ad) ? (this.aClass[d] as number) : 0;
      this.keys[d] = bc * this.aWidth1 + ac;
    }
    return this.keys;
  }

  of(s: number): Int32Array {
    const bs = this.b[s] as number;
    const as = this.a[s] as number;
    const bCount = bs >= 0 ? this.before.listedRow(bs, this.bListed) : -1;
    const aCount = as >= 0 ? this.after.listedRow(as, this.aListed) : -1;
    if (bCount === this.before.workloads.length - 1 && aCount === this.after.workloads.length - 1) {
      // both list s with everyone else: every destination keeps its classes, itself gets none
      this.keys.set(this.everyone);
      this.keys[s] = 0;
      return this.keys;
    }
    const aWidth1 = this.aWidth1;
    for (let d = 0; d < this.keys.length; d++) {
      const bd = this.b[d] as number;
      const ad = this.a[d] as number;
      const bc = bs >= 0 && bd >= 0 && this.bListed[bd] === 1 ? (this.bClass[d] as number) : 0;
      const ac = as >= 0 && ad >= 0 && this.aListed[ad] === 1 ? (this.aClass[d] as number) : 0;
      this.keys[d] = bc * aWidth1 + ac;
    }
    return this.keys;
  }
}

/** A source's changes one by one, in order. */
export function* changesOf(source: SourceChanges): Generator<MapChange> {
  const { src, dsts, changes } = source;
  for (let k = 0; k < dsts.length; k++) {
    const dst = dsts[k] as string;
    // the keys in MapChange order (what `{ src, dst, ...c }` gives), written out: V8 builds these faster
    for (const c of changes[k] as readonly PairChange[])
      yield { src, dst, protocol: c.protocol, ports: c.ports, change: c.change, before: c.before, after: c.after };
  }
}

/**
 * The changes from `before` to `after`, per source workload that has some, in order; `onSource`
 * hears each source workload (of the union) start. With `touched` (edit-scope.ts), only pairs with a
 * workload of that set, or with an external peer, are evaluated: any other pair has no change.
 */
export function* diffSources(
  before: MapPlan,
  after: MapPlan,
  onSource?: SourceProgress,
  touched?: ReadonlySet<string> | null,
): Generator<SourceChanges> {
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
  const rows = new RowKeys(ids.length, before, after, b, a, bClass, aClass);
  const aWidth1 = aWidth + 1;
  // a policy naming thousands of address blocks makes thousands of externals: their rows walk the pods only
  const externalIn = (plan: MapPlan, i: number, id: string): boolean => i < 0 || plan.addresses.has(id);
  const externalOnly = Uint8Array.from(ids, (id, s) =>
    externalIn(before, b[s] as number, id) && externalIn(after, a[s] as number, id) ? 1 : 0,
  );
  const pods = Int32Array.from(ids.flatMap((_, d) => (externalOnly[d] === 1 ? [] : [d])));
  // with an edit of one mesh, the pairs that may have changed: a touched workload or an external peer on either side
  const mayChange = touched
    ? Uint8Array.from(ids, (id, s) =>
        touched.has(id) || externalIn(before, b[s] as number, id) || externalIn(after, a[s] as number, id) ? 1 : 0,
      )
    : null;
  const changing = mayChange ? Int32Array.from(ids.flatMap((_, d) => (mayChange[d] === 1 ? [d] : []))) : null;
  for (let s = 0; s < ids.length; s++) {
    onSource?.(s, ids.length);
    const src = ids[s] as string;
    const srcB = (bClass[s] as number) - 1;
    const srcA = (aClass[s] as number) - 1;
    const rowKey = (srcB + 1) * aWidth1 + srcA + 1;
    let row = memo.get(rowKey);
    if (!row) memo.set(rowKey, (row = new Map()));
    cache.startRow(row);
    // a row walks the pods only (an external source), the workloads that may have changed (a source
    // no edit touches), or everyone
    const some = externalOnly[s] === 1 ? pods : mayChange?.[s] === 0 ? changing : null;
    const keys = some ? rows.ofSome(s, some) : rows.of(s);
    const dsts = some ? some.length : ids.length;
    const changed: string[] = [];
    const lists: (readonly PairChange[])[] = [];
    for (let k = 0; k < dsts; k++) {
      const d = some ? (some[k] as number) : k;
      const key = keys[d] as number;
      if (key === 0) continue;
      let changes = cache.get(key);
      if (!changes) {
        const bc = Math.floor(key / aWidth1);
        const ac = key % aWidth1;
        const beforeConnections = bc === 0 ? NONE : before.resultOf(srcB, bc - 1).connections;
        changes = diffConnectionLists(beforeConnections, ac === 0 ? NONE : after.resultOf(srcA, ac - 1).connections);
        cache.set(key, changes);
      }
      if (changes.length === 0) continue;
      changed.push(ids[d] as string);
      lists.push(changes);
    }
    if (changed.length > 0) yield { src, dsts: changed, changes: lists };
  }
  onSource?.(ids.length, ids.length);
}
