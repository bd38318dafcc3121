/**
 * Rows of the pods table, derived once per Snapshot, and the fuzzy filter over them.
 */
import Fuse from 'fuse.js';
import type { MtlsMode } from '../../model/istio.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { stripControl } from '../sanitize.js';
import type { DataplaneMode } from '../../model/ambient.js';
import { dataplaneOf, waypointsOf } from './ambient-facts.js';
import { authorizationPoliciesFor, isolationOf, mtlsFor, networkPoliciesSelecting, podKey } from './pod-facts.js';

export interface PodRow {
  readonly key: string;
  readonly pod: Pod;
  readonly namespace: string;
  readonly name: string;
  readonly workload: string;
  readonly ready: string;
  readonly sidecar: boolean;
  /** sidecar, ambient (ztunnel) or none */
  readonly dataplane: DataplaneMode;
  /** the waypoint(s) traffic to it goes through, `-` for none */
  readonly waypoint: string;
  readonly serviceAccount: string;
  /** `I`, `E`, `IE` or `-`: which directions NetworkPolicy isolates */
  readonly isolation: string;
  readonly authzPolicies: readonly string[];
  readonly mtls: MtlsMode;
  readonly labelsText: string;
}

function readyText(pod: Pod): string {
  if (pod.ready === null) return pod.fromTemplate ? 'tmpl' : '-';
  return pod.ready ? 'yes' : 'no';
}

function workloadOf(snapshot: Snapshot, pod: Pod): string {
  const group = snapshot.index.groupOfPod.get(pod);
  if (group) return `${group.kind}/${group.name}`;
  const owner = pod.owners[0];
  return owner ? `${owner.kind}/${owner.name}` : `Pod/${pod.name}`;
}

export function buildPodRow(snapshot: Snapshot, pod: Pod, hasSidecar: (pod: Pod) => boolean): PodRow {
  const iso = isolationOf(networkPoliciesSelecting(snapshot, pod));
  const isolation = `${iso.ingress ? 'I' : ''}${iso.egress ? 'E' : ''}` || '-';
  return {
    key: podKey(pod),
    pod,
    namespace: stripControl(pod.namespace),
    name: stripControl(pod.name),
    workload: stripControl(workloadOf(snapshot, pod)),
    ready: readyText(pod),
    sidecar: hasSidecar(pod),
    dataplane: dataplaneOf(snapshot, pod),
    waypoint: stripControl([...new Set(waypointsOf(snapshot, pod).map((w) => w.waypoint))].join(',') || '-'),
    serviceAccount: stripControl(pod.serviceAccount),
    isolation,
    authzPolicies: authorizationPoliciesFor(snapshot, pod).map((ap) => stripControl(`${ap.name}.${ap.namespace}`)),
    mtls: mtlsFor(snapshot, pod).mode,
    labelsText: stripControl(
      Object.entries(pod.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ),
  };
}

export function buildPodRows(snapshot: Snapshot, hasSidecar: (pod: Pod) => boolean): PodRow[] {
  return snapshot.pods.map((pod) => buildPodRow(snapshot, pod, hasSidecar));
}

export interface PodSearch {
  readonly rows: readonly PodRow[];
  /** lower-cased `name namespace serviceAccount labels` per row, for the substring pass */
  readonly haystacks: readonly string[];
  readonly fuse: Fuse<PodRow>;
}

/** Builds the fuzzy index once per row list; `filterPods` reuses it for every keystroke. */
export function indexPods(rows: readonly PodRow[]): PodSearch {
  const fuse = new Fuse([...rows], {
    keys: [
      { name: 'name', weight: 3 },
      { name: 'namespace', weight: 2 },
      { name: 'serviceAccount', weight: 1 },
      { name: 'labelsText', weight: 1 },
    ],
    threshold: 0.3,
    ignoreLocation: true,
  });
  const haystacks = rows.map((r) => `${r.name} ${r.namespace} ${r.serviceAccount} ${r.labelsText}`.toLowerCase());
  return { rows, haystacks, fuse };
}

/** Rows containing the query as typed, names that start with it first. */
function substringMatches(search: PodSearch, query: string): PodRow[] {
  const q = query.toLowerCase();
  const first: PodRow[] = [];
  const rest: PodRow[] = [];
  search.rows.forEach((row, i) => {
    if (!(search.haystacks[i] ?? '').includes(q)) return;
    (row.name.toLowerCase().startsWith(q) ? first : rest).push(row);
  });
  return first.concat(rest);
}

/**
 * Rows in `namespace` (null: all) matching `query`, best match first (empty: all).
 * Exact substrings answer at once (20k pods in a few ms); only a query that matches no
 * row as typed goes to the fuzzy search, which forgives typos.
 */
export function filterPods(search: PodSearch, query: string, namespace: string | null): PodRow[] {
  const inNamespace = (row: PodRow): boolean => namespace === null || row.namespace === namespace;
  const q = query.trim();
  if (q === '') return search.rows.filter(inNamespace);
  const exact = substringMatches(search, q).filter(inNamespace);
  if (exact.length > 0) return exact;
  return search.fuse
    .search(q)
    .map((r) => r.item)
    .filter(inNamespace);
}

export type PodSortKey = 'namespace' | 'name' | 'denials';

export function sortPods(
  rows: readonly PodRow[],
  key: PodSortKey,
  descending: boolean,
  denialCount: (row: PodRow) => number,
): PodRow[] {
  const compare = (a: PodRow, b: PodRow): number => {
    switch (key) {
      case 'name':
        return a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace);
      case 'namespace':
        return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
      case 'denials':
        return denialCount(a) - denialCount(b) || a.name.localeCompare(b.name);
      default:
        return 0;
    }
  };
  const sorted = [...rows].sort(compare);
  return descending ? sorted.reverse() : sorted;
}
