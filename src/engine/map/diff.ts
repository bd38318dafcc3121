/**
 * `meshdbg diff`: the edges a change opens, closes, narrows or widens (README "map and diff").
 * Compared per (src, dst, protocol) and per port: ports only the new map allows are opened (no
 * connection before) or widened; ports only the old one allows are closed or narrowed; a port
 * allowed by both whose HTTP restriction or verdict changed is narrowed (more restricted) or widened.
 */
import type { Protocol } from '../../model/k8s.js';
import type { MapConnection, MapEdge } from './connectivity-map.js';
import { mergeRanges, type PortRange } from './port-intervals.js';
import { MAP_PROTOCOLS } from './pair-probes.js';

export type ChangeKind = 'opened' | 'closed' | 'narrowed' | 'widened';

export interface MapChange {
  readonly src: string;
  readonly dst: string;
  readonly protocol: Protocol;
  readonly ports: readonly PortRange[];
  readonly change: ChangeKind;
  readonly before: MapConnection | null;
  readonly after: MapConnection | null;
}

type Side = ReadonlyMap<string, readonly MapConnection[]>;

function keyOf(src: string, dst: string, protocol: Protocol): string {
  return `${src}\u0000${dst}\u0000${protocol}`;
}

/** (src, dst, protocol) -> connections, from a stream of edges. */
export function indexEdges(edges: Iterable<MapEdge>): Map<string, MapConnection[]> {
  const index = new Map<string, MapConnection[]>();
  for (const edge of edges) {
    for (const c of edge.connections) {
      const key = keyOf(edge.src, edge.dst, c.protocol);
      index.set(key, [...(index.get(key) ?? []), c]);
    }
  }
  return index;
}

/** Boundaries where either side's connections start or end, so each piece has one connection per side. */
function pieces(before: readonly MapConnection[], after: readonly MapConnection[]): PortRange[] {
  const cuts = new Set<number>([1]);
  for (const c of [...before, ...after]) {
    for (const [a, b] of c.ports) {
      cuts.add(a);
      if (b < 65535) cuts.add(b + 1);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.map((s, i) => [s, (sorted[i + 1] ?? 65536) - 1] as const);
}

function at(connections: readonly MapConnection[], port: number): MapConnection | null {
  return connections.find((c) => c.ports.some(([a, b]) => port >= a && port <= b)) ?? null;
}

function httpRules(c: MapConnection): Set<string> {
  return new Set((c.http?.rules ?? []).map((r) => JSON.stringify(r.match)));
}

/** How one port's answer changed; null when it did not. */
function classify(before: MapConnection | null, after: MapConnection | null, wholeBefore: boolean): ChangeKind | null {
  if (before === null && after === null) return null;
  if (before === null) return wholeBefore ? 'widened' : 'opened';
  if (after === null) return 'closed';
  const open = (c: MapConnection): number => (c.verdict === 'allowed' && c.http === null ? 2 : 1);
  if (open(after) !== open(before)) return open(after) > open(before) ? 'widened' : 'narrowed';
  const b = httpRules(before);
  const a = httpRules(after);
  if (a.size === b.size && [...a].every((r) => b.has(r))) return null;
  return [...a].every((r) => b.has(r)) ? 'narrowed' : 'widened';
}

/** A change without its pair: what one (src, dst) pair's connections of one protocol turn into. */
export type PairChange = Omit<MapChange, 'src' | 'dst'>;

function diffConnections(
  protocol: Protocol,
  before: readonly MapConnection[],
  after: readonly MapConnection[],
): PairChange[] {
  const changes = new Map<string, PairChange & { ports: PortRange[] }>();
  for (const piece of pieces(before, after)) {
    const b = at(before, piece[0]);
    const a = at(after, piece[0]);
    let kind = classify(b, a, before.length > 0);
    if (kind === 'closed' && after.length > 0) kind = 'narrowed';
    if (kind === null) continue;
    const group = `${kind}\u0000${JSON.stringify(b)}\u0000${JSON.stringify(a)}`;
    const existing = changes.get(group);
    if (existing) existing.ports.push(piece);
    else changes.set(group, { protocol, ports: [piece], change: kind, before: b, after: a });
  }
  return [...changes.values()].map((c) => ({ ...c, ports: mergeRanges(c.ports) }));
}

export function diffMaps(before: Side, after: Side): MapChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: MapChange[] = [];
  for (const key of keys) {
    const [src, dst, protocol] = key.split('\u0000') as [string, string, Protocol];
    for (const c of diffConnections(protocol, before.get(key) ?? [], after.get(key) ?? []))
      out.push({ src, dst, ...c });
  }
  return out;
}

/** diffMaps's key order: protocol names sorted as strings */
const DIFF_PROTOCOLS: readonly Protocol[] = [...MAP_PROTOCOLS].sort();

/** The changes between two connection lists of one pair, protocol by protocol in the order diffMaps sorts them. */
export function diffConnectionLists(before: readonly MapConnection[], after: readonly MapConnection[]): PairChange[] {
  const out: PairChange[] = [];
  for (const protocol of DIFF_PROTOCOLS) {
    const b = before.filter((c) => c.protocol === protocol);
    const a = after.filter((c) => c.protocol === protocol);
    if (b.length > 0 || a.length > 0) out.push(...diffConnections(protocol, b, a));
  }
  return out;
}
