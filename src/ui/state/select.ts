/**
 * Derived data: what each view shows, computed from UiData and AppState.
 * The reducer (cursor bounds, Enter targets) and the views use the same selectors.
 */
import { filterPods, sortPods, type PodRow } from '../data/pod-rows.js';
import { filterPeerChoices, ipChoice, type PeerChoice } from '../data/peer-choices.js';
import { policyItemKey, type PolicyItem } from '../data/policy-items.js';
import { filterMapRows, mapRows, sortMapRows, type MapRow, type MapSortKey } from '../data/map-rows.js';
import type { PodSortKey } from '../data/pod-rows.js';
import type { AppState, ShownDenial, StoredLogLine, UiData } from './app-state.js';
import type { ViewEntry } from './navigation.js';
import { namespaceItems, type NamespaceItem, type ServiceItem } from '../data/service-items.js';
import type { Finding } from '../../model/findings.js';
import { DENIAL_SORTS, FINDING_SORTS, NAMESPACE_SORTS, POLICY_SORTS, SERVICE_SORTS, sortRows } from './table-sort.js';

const RECENT_MS = 5 * 60 * 1000;

export function denialCountsByPod(denials: readonly ShownDenial[], now: number): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const d of denials) {
    if (now - d.time > RECENT_MS) continue;
    counts.set(d.destination, (counts.get(d.destination) ?? 0) + d.count);
  }
  return counts;
}

export function recentDenialTotal(denials: readonly ShownDenial[], now: number): number {
  return denials.filter((d) => now - d.time <= RECENT_MS).reduce((n, d) => n + d.count, 0);
}

let podCache: { key: unknown[]; rows: PodRow[] } | null = null;

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The pods table after namespace, filter and sort; memoized on its inputs. */
export function visiblePods(data: UiData, state: AppState): PodRow[] {
  const filter = state.filters.pods ?? '';
  const key = [
    data.podSearch,
    filter,
    state.namespace,
    state.sort.key,
    state.sort.descending,
    state.sort.key === 'denials' ? state.denials : null,
  ];
  if (podCache && sameKey(podCache.key, key)) return podCache.rows;
  const counts = denialCountsByPod(state.denials, state.now);
  const filtered = filterPods(data.podSearch, filter, state.namespace);
  const rows =
    filter.trim() !== '' && state.sort.key === 'namespace' && !state.sort.descending
      ? filtered
      : sortPods(filtered, state.sort.key, state.sort.descending, (r) => counts.get(r.key) ?? 0);
  podCache = { key, rows };
  return rows;
}

function matchesText(text: string, filter: string | undefined): boolean {
  return filter === undefined || filter === '' || text.toLowerCase().includes(filter.toLowerCase());
}

export function visibleDenials(state: AppState): ShownDenial[] {
  const ns = state.namespace;
  const rows = state.denials.filter(
    (d) =>
      (ns === null || d.destination.startsWith(`${ns}/`) || d.source.startsWith(`${ns}/`)) &&
      matchesText(
        `${d.source} ${d.destination} ${d.request} ${d.ruleRef ?? 'none'} ${d.policy?.name ?? ''}`,
        state.filters.denials,
      ),
  );
  return state.tableSorts.denials ? sortRows(rows, DENIAL_SORTS, state.tableSorts.denials) : rows;
}

/** `kind:NetworkPolicy` (what `:netpol` sets) keeps one kind exactly; other text filters by substring. */
export function visiblePolicies(data: UiData, state: AppState): PolicyItem[] {
  const ns = state.namespace;
  const filter = state.filters.policies ?? '';
  const kind = filter.startsWith('kind:') ? filter.slice(5) : null;
  const rows = data.policies.filter(
    (p) =>
      (ns === null || p.namespace === null || p.namespace === ns) &&
      (kind === null
        ? matchesText(`${p.kind} ${p.namespace ?? ''} ${p.name} ${p.summary}`, filter)
        : p.kind.toLowerCase() === kind.toLowerCase()),
  );
  return sortRows(rows, POLICY_SORTS, state.tableSorts.policies);
}

export function visibleServices(data: UiData, state: AppState): ServiceItem[] {
  const ns = state.namespace;
  const rows = data.services.filter(
    (s) =>
      (ns === null || s.namespace === ns) &&
      matchesText(`${s.namespace}/${s.name} ${s.type} ${s.ports.join(' ')} ${s.selector}`, state.filters.services),
  );
  return sortRows(rows, SERVICE_SORTS, state.tableSorts.services);
}

export function visibleFindings(data: UiData, state: AppState): Finding[] {
  const ns = state.namespace;
  const rows = data.findings.filter(
    (f) =>
      (ns === null || f.object === null || f.object.namespace === null || f.object.namespace === ns) &&
      matchesText(
        `${f.severity} ${f.code} ${f.object?.kind ?? ''} ${f.object?.namespace ?? ''}/${f.object?.name ?? ''} ${f.message}`,
        state.filters.lint,
      ),
  );
  return sortRows(rows, FINDING_SORTS, state.tableSorts.lint);
}

export function visibleNamespaces(data: UiData, state: AppState): NamespaceItem[] {
  const rows = namespaceItems(data.snapshot, data.policies).filter((n) =>
    matchesText(n.name, state.filters.namespaces),
  );
  return sortRows(rows, NAMESPACE_SORTS, state.tableSorts.namespaces);
}

let mapCache: { key: unknown[]; rows: MapRow[] } | null = null;
let shownMapCache: { key: unknown[]; rows: MapRow[] } | null = null;

/** The pods view's sort keys, read in the map: namespace sorts by source, name by destination. */
const MAP_SORT: Readonly<Record<PodSortKey, MapSortKey>> = {
  namespace: 'source',
  name: 'destination',
  denials: 'denials',
};

/** The map's edges touching the current namespace (recomputed when the Snapshot or namespace changes). */
function mapRowsOf(data: UiData, state: AppState): MapRow[] {
  const key = [data.snapshot, data.engine, state.namespace, state.denials];
  if (mapCache && sameKey(mapCache.key, key)) return mapCache.rows;
  const map = data.engine.connectivityMap(data.snapshot, state.namespace);
  mapCache = { key, rows: mapRows(map.workloads, map.edges, state.denials, state.namespace, map.addresses) };
  return mapCache.rows;
}

/** The `:map` table after filter and sort; memoized on its inputs. */
export function visibleMapRows(data: UiData, state: AppState): MapRow[] {
  const all = mapRowsOf(data, state);
  const key = [all, state.filters.map ?? '', state.sort.key, state.sort.descending];
  if (shownMapCache && sameKey(shownMapCache.key, key)) return shownMapCache.rows;
  const rows = sortMapRows(
    filterMapRows(all, state.filters.map ?? ''),
    MAP_SORT[state.sort.key],
    state.sort.descending,
  );
  shownMapCache = { key, rows };
  return rows;
}

const RBAC = /\brbac\b/i;

export function isRbacLine(text: string): boolean {
  return RBAC.test(text);
}

export function visibleLogLines(state: AppState, entry: Extract<ViewEntry, { view: 'logs' }>): StoredLogLine[] {
  const { windowMs, tailLines, rbacOnly } = entry.options;
  const lines = state.logs.filter(
    (l) =>
      l.pod === entry.pod &&
      (windowMs === null || state.now - l.time <= windowMs) &&
      (!rbacOnly || isRbacLine(l.text)) &&
      matchesText(l.text, state.filters.logs),
  );
  return tailLines === null ? lines : lines.slice(-tailLines);
}

let pickerCache: { key: unknown[]; rows: PeerChoice[] } | null = null;

/** Destinations for the explain picker: Services, then pods, matching what was typed (memoized). */
export function pickerRows(data: UiData, entry: Extract<ViewEntry, { view: 'explain' }>): PeerChoice[] {
  const key = [data, entry.form.peerQuery, entry.source];
  if (pickerCache && sameKey(pickerCache.key, key)) return pickerCache.rows;
  const ip = ipChoice(data.snapshot, entry.form.peerQuery);
  const rows = [
    ...(ip ? [ip] : []),
    ...filterPeerChoices(data.serviceChoices, data.podSearch, entry.form.peerQuery).filter(
      (r) => r.key !== entry.source,
    ),
  ];
  pickerCache = { key, rows };
  return rows;
}

export function findPolicy(
  data: UiData,
  key: { kind: string; namespace: string | null; name: string },
): PolicyItem | undefined {
  const wanted = policyItemKey(key);
  return data.policies.find((p) => policyItemKey(p) === wanted);
}

/** The ALLOW AuthorizationPolicies that select a pod (`matched policy none` means none of them matched). */
export function allowPoliciesOn(data: UiData, podKey: string): PolicyItem[] {
  const names = new Set(data.rowsByKey.get(podKey)?.authzPolicies ?? []);
  return data.policies.filter(
    (p) =>
      p.kind === 'AuthorizationPolicy' && p.summary.startsWith('ALLOW') && names.has(`${p.name}.${p.namespace ?? ''}`),
  );
}
