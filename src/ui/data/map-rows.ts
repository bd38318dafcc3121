/**
 * Rows of the TUI's `:map` view: the allowed edges into and out of the current namespace's
 * workloads (the engine's connectivity map, README "map and diff"), each beside the denied
 * attempts the logs showed for the same pair, so policy and observed traffic read side by side.
 */
import type { MapConnection, MapEdge, MapWorkload } from '../../engine/index.js';
import { parseRuleRef, type RuleRef } from '../../model/rule-ref.js';
import { assertNever } from '../../util/assert-never.js';
import { connectionText, httpText } from '../../report/map/connection-text.js';
import { stripControl } from '../sanitize.js';

export interface MapRow {
  /** `src>dst`: the row's identity */
  readonly key: string;
  /** workload ids (`ns/Kind/name`, `external/CIDR`) */
  readonly src: string;
  readonly dst: string;
  /** `TCP 8080 mTLS, UDP all` */
  readonly ports: string;
  /** the layers whose rules admit the edge (`netpol authz`), `default` when no rule had to */
  readonly layers: string;
  /** what the ALLOW rules admit on HTTP ports, empty when every request is */
  readonly http: string;
  readonly mtls: boolean;
  /** denials the logs showed from a pod of src to a pod of dst (counts summed) */
  readonly deniedSeen: number;
  /**
   * What explain takes for each side: a pod (`ns/name`), or for an external class the address the
   * map evaluated it with (no pod's or Service's); null when the map named none.
   */
  readonly srcPeer: string | null;
  readonly dstPeer: string | null;
  /** the first allowed TCP port, to prefill explain */
  readonly port: number | null;
}

/** A denial as the TUI holds it: pod keys (`ns/name` or `unknown`) and its repeat count. */
export interface SeenDenial {
  readonly source: string;
  readonly destination: string;
  readonly count: number;
}

function layerOf(ref: RuleRef): string | null {
  switch (ref.type) {
    case 'section':
      return ref.kind === 'NetworkPolicy' ? 'netpol' : ref.kind === 'AdminNetworkPolicy' ? 'anp' : 'banp';
    case 'istio':
      return 'authz';
    case 'calico':
      return 'calico';
    case 'ztunnel':
      return 'ztunnel';
    case 'none':
      return null;
    default:
      return assertNever(ref, 'rule reference');
  }
}

function layersOf(connections: readonly MapConnection[]): string {
  const layers = new Set<string>();
  for (const c of connections) {
    for (const by of c.by) {
      const ref = parseRuleRef(by);
      const layer = ref ? layerOf(ref) : null;
      if (layer) layers.add(layer);
    }
  }
  return layers.size > 0 ? [...layers].join(' ') : 'default';
}

function peerOf(w: MapWorkload | undefined, addresses: ReadonlyMap<string, string>): string | null {
  if (w?.kind === 'External') return addresses.get(w.id) ?? null;
  const pod = w?.pods[0];
  return w && w.namespace !== null && pod !== undefined ? `${w.namespace}/${pod}` : null;
}

/** `ns/pod` -> workload id, for every pod of every workload. */
function workloadByPod(workloads: readonly MapWorkload[]): Map<string, string> {
  const byPod = new Map<string, string>();
  for (const w of workloads) for (const p of w.pods) if (w.namespace !== null) byPod.set(`${w.namespace}/${p}`, w.id);
  return byPod;
}

function deniedCounts(denials: readonly SeenDenial[], byPod: ReadonlyMap<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of denials) {
    const src = byPod.get(d.source);
    const dst = byPod.get(d.destination);
    if (src === undefined || dst === undefined) continue;
    counts.set(`${src}>${dst}`, (counts.get(`${src}>${dst}`) ?? 0) + d.count);
  }
  return counts;
}

function touches(namespace: string | null, ...ws: (MapWorkload | undefined)[]): boolean {
  return namespace === null || ws.some((w) => w?.namespace === namespace);
}

/**
 * One row per allowed edge, and one per pair the logs showed denied that the map has no edge
 * for (`nothing` allowed), among the pairs touching `namespace` (all when null).
 */
export function mapRows(
  workloads: readonly MapWorkload[],
  edges: readonly MapEdge[],
  denials: readonly SeenDenial[],
  namespace: string | null,
  addresses: ReadonlyMap<string, string> = new Map(),
): MapRow[] {
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const denied = deniedCounts(denials, workloadByPod(workloads));
  const withEdge = new Set(edges.map((e) => `${e.src}>${e.dst}`));
  const deniedOnly: MapEdge[] = [...denied.keys()]
    .filter((pair) => !withEdge.has(pair))
    .map((pair) => pair.split('>') as [string, string])
    .filter(([src, dst]) => touches(namespace, byId.get(src), byId.get(dst)))
    .map(([src, dst]) => ({ src, dst, connections: [] }));
  return [...edges, ...deniedOnly].map((e) => {
    const tcp = e.connections.find((c) => c.protocol === 'TCP');
    return {
      key: `${e.src}>${e.dst}`,
      src: stripControl(e.src),
      dst: stripControl(e.dst),
      ports: e.connections.length > 0 ? stripControl(e.connections.map(connectionText).join(', ')) : 'nothing',
      layers: e.connections.length > 0 ? layersOf(e.connections) : '-',
      http: stripControl(
        e.connections
          .map(httpText)
          .filter((t) => t !== '')
          .join('; '),
      ),
      mtls: e.connections.some((c) => c.mtls),
      deniedSeen: denied.get(`${e.src}>${e.dst}`) ?? 0,
      srcPeer: peerOf(byId.get(e.src), addresses),
      dstPeer: peerOf(byId.get(e.dst), addresses),
      port: tcp?.ports[0]?.[0] ?? null,
    };
  });
}

export type MapSortKey = 'source' | 'destination' | 'denials';

/** Sorted copy: by source (then destination), by destination (then source), or most denied first. */
export function sortMapRows(rows: readonly MapRow[], key: MapSortKey, descending: boolean): MapRow[] {
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const compare = (a: MapRow, b: MapRow): number => {
    switch (key) {
      case 'source':
        return text(a.src, b.src) || text(a.dst, b.dst);
      case 'destination':
        return text(a.dst, b.dst) || text(a.src, b.src);
      case 'denials':
        return b.deniedSeen - a.deniedSeen || text(a.src, b.src) || text(a.dst, b.dst);
      default:
        return assertNever(key, 'map sort key');
    }
  };
  const sorted = [...rows].sort(compare);
  return descending ? sorted.reverse() : sorted;
}

/** Case-insensitive substring over every column. */
export function filterMapRows(rows: readonly MapRow[], filter: string): MapRow[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return [...rows];
  return rows.filter((r) => `${r.src} ${r.dst} ${r.ports} ${r.layers} ${r.http}`.toLowerCase().includes(f));
}
