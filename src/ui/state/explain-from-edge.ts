/**
 * Enter on a `:map` edge: explain opens from a pod of the edge's source to a pod of its
 * destination (an external class: the address the map evaluated it with), on the first TCP port
 * the map allows, already run (`e` edits the query).
 */
import type { MapRow } from '../data/map-rows.js';
import type { AppState, UiData } from './app-state.js';
import { flash } from './flash.js';
import { runExplain } from './explain-form.js';
import { push, top } from './navigation.js';
import { mapRowKeys } from './row-keys.js';
import { visibleMapRows } from './select.js';
import { selectedIndexBy } from './selection.js';

/** The edge under the cursor of the map view, or null. */
export function currentEdge(state: AppState, data: UiData): MapRow | null {
  const entry = top(state.stack);
  if (entry.view !== 'map') return null;
  return visibleMapRows(data, state)[selectedIndexBy(mapRowKeys, data, state, entry)] ?? null;
}

/** Why Enter cannot explain this edge, or null. */
export function explainEdgeDisabledReason(edge: MapRow | null): string | null {
  if (edge === null) return 'nothing to open: the list is empty';
  if (edge.srcPeer === null) return `no pod or address of ${edge.src} to explain from`;
  if (edge.dstPeer === null) return `no pod or address of ${edge.dst} to explain to`;
  return null;
}

export function explainEdge(state: AppState, data: UiData, edge: MapRow): AppState {
  const reason = explainEdgeDisabledReason(edge);
  if (reason !== null || edge.srcPeer === null) return flash(state, 'error', reason ?? '');
  const form = {
    peerQuery: '',
    peer: edge.dstPeer,
    port: edge.port === null ? '' : String(edge.port),
    method: '',
    path: '',
    jwt: '',
  };
  const entry = { view: 'explain' as const, cursor: 0, source: edge.srcPeer, form, result: null };
  const explained =
    edge.port === null
      ? { ...entry, step: 'port' as const }
      : runExplain(data, { ...entry, step: 'result' }, state.now);
  return { ...state, stack: push(state.stack, explained) };
}
