/** The map's answer for one pair, protocol and port, and whether it agrees with `explain`'s. */
import { planMap, type MapEdge } from '../../../src/engine/map/connectivity-map.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { explainOk } from '../../helpers/snapshot.js';

export const ALL = { namespaces: null, focus: null, includeDenied: false } as const;
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

function mapAnswer(edges: ReadonlyMap<string, MapEdge>, src: string, dst: string, protocol: Protocol, port: number) {
  const edge = edges.get(`${src}>${dst}`);
  const c = edge?.connections.find((x) => x.protocol === protocol && x.ports.some(([a, b]) => port >= a && port <= b));
  return c ?? null;
}

export function edgesOf(snapshot: Snapshot): Map<string, MapEdge> {
  return new Map([...planMap(snapshot, ALL).pairs()].map((e) => [`${e.src}>${e.dst}`, e]));
}

/** Disagreements between the map and explain for one pair, protocol and port. */
export function disagreement(
  snapshot: Snapshot,
  edges: ReadonlyMap<string, MapEdge>,
  src: string,
  dst: string,
  protocol: Protocol,
  port: number,
): string | null {
  return disagreementAt(snapshot, edges, { src, dst }, { src, dst }, protocol, port);
}

/**
 * The same, with the map's workload ids (`external/CIDR`) and explain's peers (an address in that
 * class) given apart.
 */
export function disagreementAt(
  snapshot: Snapshot,
  edges: ReadonlyMap<string, MapEdge>,
  workloads: { readonly src: string; readonly dst: string },
  peers: { readonly src: string; readonly dst: string },
  protocol: Protocol,
  port: number,
): string | null {
  const e = explainOk(snapshot, { src: peers.src, dst: peers.dst, port, protocol });
  const c = mapAnswer(edges, workloads.src, workloads.dst, protocol, port);
  const where = `${peers.src} (${workloads.src}) -> ${peers.dst} (${workloads.dst}) ${protocol}/${port}`;
  if (c === null) return e.verdict === 'denied' ? null : `${where}: map has nothing, explain says ${e.verdict}`;
  if (c.http !== null) {
    // a request without HTTP attributes meets only ALLOW rules that ask for them: explain denies it at authz-allow
    if (e.verdict === 'allowed') return `${where}: map restricts HTTP, explain allows any request`;
    return null;
  }
  return c.verdict === e.verdict ? null : `${where}: map says ${c.verdict}, explain says ${e.verdict}`;
}

const PORT_KEY = /^(port|endPort|start|end|portNumber)$/;

/** Every port number a generated world's policies write (port, endPort, range ends), with both neighbours: where a wrong cut shows. */
export function portsAround(value: unknown, key = ''): number[] {
  if (typeof value === 'number')
    return PORT_KEY.test(key) ? [value - 1, value, value + 1].filter((p) => p >= 1 && p <= 65535) : [];
  if (Array.isArray(value)) return value.flatMap((v) => portsAround(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => portsAround(v, k));
  return [];
}
