/**
 * `meshdbg map`: for every ordered pair of workloads, what is allowed end to end across every
 * layer, per protocol as port ranges, with the rules that decide it (README "map and diff").
 * Each answer is the engine's own flow evaluation (the function `explain` runs), once per pair of
 * pod classes and per port interval that no rule can split (pair-evaluation.ts), so the map agrees
 * with `explain`; workloads of one class share their class's answers.
 */
import type { Pod } from '../../model/k8s.js';
import type { PodGroup, Snapshot } from '../../model/snapshot.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { dataplaneMode } from '../../model/ambient.js';
import { classify, podClassSignature } from './pod-classes.js';
import { policyFacts, type PolicyFacts } from './policy-facts.js';
import { externalClasses, type ExternalClass } from './external-classes.js';
import { addressSignature, addressTests } from './address-tests.js';
import { evaluatePair, type MapConnection, type MapDenied, type PairResult } from './pair-evaluation.js';
import type { PeerEndpoint } from './pair-probes.js';

export { type MapConnection, type MapDenied, type PairResult } from './pair-evaluation.js';
export { MAP_PROTOCOLS } from './pair-probes.js';

export interface MapWorkload {
  readonly id: string;
  readonly namespace: string | null;
  readonly kind: string;
  readonly name: string;
  readonly pods: readonly string[];
  readonly sidecar: boolean;
  readonly ambient: boolean;
}

export interface MapEdge {
  readonly src: string;
  readonly dst: string;
  readonly connections: readonly MapConnection[];
  /** what the pair is refused, when asked for */
  readonly denied?: readonly MapDenied[];
}

/** How far a long walk over source workloads is: `done` of `total` sources are behind it. */
export type SourceProgress = (done: number, total: number) => void;

export interface MapOptions {
  /** only these namespaces' workloads (null: all) */
  readonly namespaces: ReadonlySet<string> | null;
  /** only edges into or out of this workload id */
  readonly focus: string | null;
  readonly includeDenied: boolean;
  /** only edges into or out of these namespaces' workloads, to and from any peer (the TUI's `:map`) */
  readonly touching?: ReadonlySet<string> | null;
}

type Peer = PeerEndpoint & { readonly workload: MapWorkload; readonly classId: number };

function workloadOf(group: PodGroup, snapshot: Snapshot): MapWorkload {
  const pod = group.pods[0] as Pod;
  const ambient = dataplaneMode(pod, snapshot.namespaces.get(pod.namespace)) === 'ambient';
  return {
    id: `${group.namespace}/${group.kind}/${group.name}`,
    namespace: group.namespace,
    kind: group.kind,
    name: group.name,
    pods: group.pods.map((p) => p.name),
    sidecar: podHasSidecar(pod),
    ambient,
  };
}

function externalWorkload(c: ExternalClass): MapWorkload {
  return { id: c.id, namespace: null, kind: 'External', name: c.cidr, pods: [], sidecar: false, ambient: false };
}

export interface MapPlan {
  readonly workloads: readonly MapWorkload[];
  /** the edges with something to show, in workload order, lazily (a generator); `onSource` hears each source start */
  readonly pairs: (onSource?: SourceProgress) => Generator<MapEdge>;
  /** `classOf[i]` is the class of `workloads[i]`: workloads of one class get the same answers */
  readonly classOf: readonly number[];
  /** the answer for a source class and a destination class, evaluated on first use */
  readonly resultOf: (srcClass: number, dstClass: number) => PairResult;
  /** whether the map lists this pair of workloads at all (not itself, not external to external, the focus) */
  readonly listed: (src: number, dst: number) => boolean;
  /** `listed(src, j)` for every workload j, into `out` (1 listed, 0 not): one call per row for the diff's walk; returns how many are listed */
  readonly listedRow: (src: number, out: Uint8Array) => number;
  /**
   * an address of each external class (by workload id) that is no pod's or Service's: its edges were
   * evaluated with it, or with one of a class the policies cannot tell it from (address-tests.ts)
   */
  readonly addresses: ReadonlyMap<string, string>;
  /** how many classes there are (classOf's values are below it) */
  readonly classCount: number;
  /**
   * Evaluates now every class pair the map can list (each pod class with every class, and each
   * external class with the pod classes); `onSourceClass` hears each source class start, as (done, total).
   */
  readonly evaluateAll: (onSourceClass?: SourceProgress) => ClassPairTable;
  /** Takes the answers of another plan of the same Snapshot and options (evaluateAll there): the diff's other thread. */
  readonly adopt: (table: ClassPairTable) => void;
}

/**
 * A plan's answers for every class pair it can list, as plain data that crosses threads (structured
 * clone): `index[src * classCount + dst]` is the pair's answer in `answers`, -1 for a pair never listed.
 */
export interface ClassPairTable {
  readonly classCount: number;
  readonly answers: readonly PairResult[];
  readonly index: Int32Array;
}

function inScope(workload: MapWorkload, options: MapOptions): boolean {
  return workload.namespace === null || options.namespaces === null || options.namespaces.has(workload.namespace);
}

function podPeers(snapshot: Snapshot, facts: PolicyFacts, options: MapOptions): Peer[] {
  const groups = snapshot.groups.filter((g) => g.pods.length > 0);
  const classes = classify(groups, (g) => podClassSignature(g.pods[0] as Pod, facts));
  const peers: Peer[] = groups.map((group, i) => ({
    type: 'pod',
    workload: workloadOf(group, snapshot),
    pod: group.pods[0] as Pod,
    classId: classes.classOf[i] as number,
  }));
  return peers.filter((p) => inScope(p.workload, options));
}

/**
 * One workload per external class; classes the policies cannot tell apart (address-tests.ts) share
 * a class id, so one evaluation answers them all (638 /32 blocks of one rule: one evaluation).
 */
function externalPeers(snapshot: Snapshot, facts: PolicyFacts, firstClassId: number): Peer[] {
  const taken = new Set<string>([...snapshot.index.podByIp.keys(), ...snapshot.index.serviceByIp.keys()]);
  const tests = addressTests(snapshot);
  const externals = externalClasses(facts.cidrs, taken);
  const signatures = externals.map((external) => addressSignature(tests, external.representative));
  const classes = classify(signatures, (signature) => signature);
  return externals.map((external, i) => ({
    type: 'external',
    workload: externalWorkload(external),
    external,
    classId: firstClassId + (classes.classOf[i] as number),
  }));
}

function touches(namespaces: ReadonlySet<string>, src: Peer, dst: Peer): boolean {
  return [src, dst].some((p) => p.workload.namespace !== null && namespaces.has(p.workload.namespace));
}

/** Peer indices per class, in peer order. */
function membersOf(peers: readonly Peer[], classCount: number): number[][] {
  const members: number[][] = Array.from({ length: classCount }, () => []);
  peers.forEach((p, i) => members[p.classId]?.push(i));
  return members;
}

const NOTHING: PairResult = { connections: [], denied: [] };

/** Workloads first, then edges lazily (a generator), so output can stream. */
export function planMap(snapshot: Snapshot, options: MapOptions): MapPlan {
  const facts = policyFacts(snapshot);
  const pods = podPeers(snapshot, facts, options);
  const externals = externalPeers(
    snapshot,
    facts,
    pods.reduce((m, p) => Math.max(m, p.classId + 1), 0),
  );
  const peers = [...pods, ...externals];
  const classCount = peers.reduce((m, p) => Math.max(m, p.classId + 1), 0);
  const members = membersOf(peers, classCount);
  const cache = new Map<number, PairResult>();
  const answers = new Map<string, PairResult>();
  // a class pair is answered by the first two peers of those classes (two different pods for a class with itself)
  const resultOf = (srcClass: number, dstClass: number): PairResult => {
    const key = srcClass * classCount + dstClass;
    let result = cache.get(key);
    if (result) return result;
    const src = peers[members[srcClass]?.[0] ?? -1];
    const dst = peers[members[dstClass]?.[srcClass === dstClass ? 1 : 0] ?? -1];
    if (src && dst) {
      // most class pairs get one of a few answers: keep one copy of each (memory at 10k pods)
      const answer = evaluatePair(snapshot, facts, src, dst);
      result = answers.get(answer.key) ?? answer.result;
      answers.set(answer.key, result);
    } else result = NOTHING;
    cache.set(key, result);
    return result;
  };
  const classOf = Int32Array.from(peers, (p) => p.classId);
  const external = Uint8Array.from(peers, (p) => (p.type === 'external' ? 1 : 0));
  const firstExternal = pods.length;
  // with no focus and no namespace filter, a pair is listed unless it is one peer or two externals
  const everyPair = options.focus === null && !options.touching;
  const listed = (i: number, j: number): boolean => {
    if (i === j || (external[i] === 1 && external[j] === 1)) return false;
    if (everyPair) return true;
    const src = peers[i] as Peer;
    const dst = peers[j] as Peer;
    if (options.focus !== null && src.workload.id !== options.focus && dst.workload.id !== options.focus) return false;
    return !options.touching || touches(options.touching, src, dst);
  };
  const listedRow = (i: number, out: Uint8Array): number => {
    let count = 0;
    if (!everyPair) {
      for (let j = 0; j < peers.length; j++) count += out[j] = listed(i, j) ? 1 : 0;
      return count;
    }
    // the same answers as listed(i, j), a row at a time: all but itself, and no external to external
    out.fill(1, 0, peers.length);
    if (external[i] === 1) for (let j = 0; j < peers.length; j++) if (external[j] === 1) out[j] = 0;
    out[i] = 0;
    for (let j = 0; j < peers.length; j++) count += out[j] as number;
    return count;
  };
  const shows = (r: PairResult): boolean => r.connections.length > 0 || (options.includeDenied && r.denied.length > 0);
  const edgeOf = (src: Peer, dst: Peer, result: PairResult): MapEdge =>
    options.includeDenied
      ? { src: src.workload.id, dst: dst.workload.id, connections: result.connections, denied: result.denied }
      : { src: src.workload.id, dst: dst.workload.id, connections: result.connections };
  // indexed loops over typed arrays, no per-pair allocation or Map lookup: a 10k-pod map visits 10^8 pairs
  function* pairs(onSource?: SourceProgress): Generator<MapEdge> {
    // the source class's answer per destination class: undefined not yet known, null nothing to show.
    // Over every pair each source class's row is kept (the answers are cached per class pair anyway);
    // otherwise one row, refilled when the source class changes
    const rows: (PairResult | null | undefined)[][] = [];
    let row = new Array<PairResult | null | undefined>(classCount);
    let rowClass = -1;
    for (let i = 0; i < peers.length; i++) {
      onSource?.(i, peers.length);
      const src = peers[i] as Peer;
      const srcClass = classOf[i] as number;
      if (srcClass !== rowClass) {
        if (everyPair) row = rows[srcClass] ??= new Array<PairResult | null | undefined>(classCount);
        else row.fill(undefined);
        rowClass = srcClass;
      }
      // externals come after the pods, and no external-to-external pair is listed: a policy naming
      // thousands of blocks makes thousands of externals, whose rows then cost their pods only
      const end = external[i] === 1 ? firstExternal : peers.length;
      for (let j = 0; j < end; j++) {
        const dstClass = classOf[j] as number;
        let result = row[dstClass];
        if (result === null || !listed(i, j)) continue;
        if (result === undefined) {
          const r = resultOf(srcClass, dstClass);
          row[dstClass] = result = shows(r) ? r : null;
          if (result === null) continue;
        }
        yield edgeOf(src, peers[j] as Peer, result);
      }
    }
    onSource?.(peers.length, peers.length);
  }
  // classes below this hold pods; the others are external address classes, never listed with each other
  const podClassCount = pods.reduce((m, p) => Math.max(m, p.classId + 1), 0);
  const evaluateAll = (onSourceClass?: SourceProgress): ClassPairTable => {
    const index = new Int32Array(classCount * classCount).fill(-1);
    const numbers = new Map<PairResult, number>();
    const answers: PairResult[] = [];
    for (let s = 0; s < classCount; s++) {
      onSourceClass?.(s, classCount);
      const end = s < podClassCount ? classCount : podClassCount;
      for (let d = 0; d < end; d++) {
        const result = resultOf(s, d);
        let n = numbers.get(result);
        if (n === undefined) numbers.set(result, (n = answers.push(result) - 1));
        index[s * classCount + d] = n;
      }
    }
    onSourceClass?.(classCount, classCount);
    return { classCount, answers, index };
  };
  const adopt = (table: ClassPairTable): void => {
    if (table.classCount !== classCount || table.index.length !== classCount * classCount)
      throw new Error(`class pair table of ${table.classCount} classes given to a plan of ${classCount}`);
    table.index.forEach((n, key) => {
      const result = table.answers[n];
      if (result) cache.set(key, result);
    });
  };
  const addresses = new Map(
    externals.flatMap((p) => (p.type === 'external' ? [[p.workload.id, p.external.representative] as const] : [])),
  );
  return {
    workloads: peers.map((p) => p.workload),
    pairs,
    classOf: peers.map((p) => p.classId),
    resultOf,
    listed,
    listedRow,
    addresses,
    classCount,
    evaluateAll,
    adopt,
  };
}
