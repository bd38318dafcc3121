/**
 * Rows of the TUI's `:map` view: for each workload of the namespace, its allowed outgoing and
 * incoming edges (from the engine's connectivity map) beside the denied attempts the logs showed
 * for the same pair, so policy and observed traffic read side by side.
 */
import type { MapEdge, MapWorkload } from '../../engine/map/connectivity-map.js';
import type { Denial, DenialPeer } from '../../correlate/denial.js';
import { connectionText } from '../../report/map/connection-text.js';
import { stripControl } from '../sanitize.js';

export interface MapRow {
  readonly key: string;
  readonly workload: string;
  readonly direction: 'out' | 'in';
  readonly peer: string;
  /** `TCP 8080 mTLS, UDP all`, or `nothing` for a pair seen only in denials */
  readonly allowed: string;
  readonly mtls: boolean;
  /** denials the logs showed from src to dst (counts summed) */
  readonly deniedSeen: number;
  readonly src: string;
  readonly dst: string;
  /** the first allowed TCP port, to prefill explain */
  readonly port: number | null;
}

/** The map's workload id of a denial's peer (`ns/Kind/name`), when the log named one. */
export function workloadIdOf(peer: DenialPeer | 'unknown'): string | null {
  if (peer === 'unknown' || peer.namespace === null) return null;
  if (peer.workload) return `${peer.namespace}/${peer.workload}`;
  return peer.kind === 'Pod' && peer.name ? `${peer.namespace}/Pod/${peer.name}` : null;
}

function deniedCounts(denials: readonly Denial[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of denials) {
    const src = workloadIdOf(d.source);
    const dst = workloadIdOf(d.destination);
    if (src === null || dst === null) continue;
    const key = `${src}>${dst}`;
    counts.set(key, (counts.get(key) ?? 0) + d.count);
  }
  return counts;
}

function rowOf(
  workload: string,
  direction: 'out' | 'in',
  src: string,
  dst: string,
  edge: MapEdge | null,
  denied: number,
): MapRow {
  const connections = edge?.connections ?? [];
  const tcp = connections.find((c) => c.protocol === 'TCP');
  return {
    key: `${direction}:${src}>${dst}`,
    workload: stripControl(workload),
    direction,
    peer: stripControl(direction === 'out' ? dst : src),
    allowed: connections.length > 0 ? stripControl(connections.map(connectionText).join(', ')) : 'nothing',
    mtls: connections.some((c) => c.mtls),
    deniedSeen: denied,
    src,
    dst,
    port: tcp?.ports[0]?.[0] ?? null,
  };
}

/** Rows for the workloads of `namespace` (all when null), outgoing edges first, then incoming. */
export function mapRows(
  workloads: readonly MapWorkload[],
  edges: readonly MapEdge[],
  namespace: string | null,
  denials: readonly Denial[],
): MapRow[] {
  const denied = deniedCounts(denials);
  const byPair = new Map(edges.map((e) => [`${e.src}>${e.dst}`, e]));
  const out = new Map<string, [string, string][]>();
  const into = new Map<string, [string, string][]>();
  for (const pair of new Set([...byPair.keys(), ...denied.keys()])) {
    const [src, dst] = pair.split('>') as [string, string];
    out.set(src, [...(out.get(src) ?? []), [src, dst]]);
    into.set(dst, [...(into.get(dst) ?? []), [src, dst]]);
  }
  const rows: MapRow[] = [];
  for (const w of workloads) {
    if (w.kind === 'External' || (namespace !== null && w.namespace !== namespace)) continue;
    for (const [direction, index] of [
      ['out', out],
      ['in', into],
    ] as const) {
      for (const [src, dst] of index.get(w.id) ?? []) {
        const pair = `${src}>${dst}`;
        rows.push(rowOf(w.id, direction, src, dst, byPair.get(pair) ?? null, denied.get(pair) ?? 0));
      }
    }
  }
  return rows;
}
