/** Folds feed batches into state: bounded log and CNI buffers, denials with repeats counted. */
import type { DenialEvent, FeedEvent } from '../feeds/log-feed.js';
import { appendBounded } from '../feeds/ring-buffer.js';
import { CNI_CAPACITY, DENIAL_CAPACITY, LOG_CAPACITY, type AggregatedDenial, type AppState } from './app-state.js';

/** Repeats are the same source and destination denied by the same rule, whatever the path. */
export function denialId(d: DenialEvent): string {
  return [d.enforcement, d.source, d.destination, d.layer, d.ruleRef ?? 'none'].join('|');
}

/** Newest first; a repeat moves to the front with its count increased. */
export function addDenials(
  existing: readonly AggregatedDenial[],
  added: readonly DenialEvent[],
): readonly AggregatedDenial[] {
  if (added.length === 0) return existing;
  const byId = new Map(existing.map((d) => [d.id, d]));
  const order = existing.map((d) => d.id);
  for (const event of added) {
    const id = denialId(event);
    const prior = byId.get(id);
    byId.set(id, {
      ...event,
      id,
      count: (prior?.count ?? 0) + 1,
      firstTime: prior?.firstTime ?? event.time,
      time: Math.max(event.time, prior?.time ?? 0),
    });
    order.push(id);
  }
  const seen = new Set<string>();
  const newestFirst: AggregatedDenial[] = [];
  for (let i = order.length - 1; i >= 0 && newestFirst.length < DENIAL_CAPACITY; i--) {
    const id = order[i];
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const d = byId.get(id);
    if (d) newestFirst.push(d);
  }
  return newestFirst.sort((a, b) => b.time - a.time);
}

export function applyFeed(state: AppState, events: readonly FeedEvent[]): AppState {
  const logs = events.filter((e) => e.type === 'log');
  const cni = events.filter((e) => e.type === 'cni');
  const denials = events.filter((e) => e.type === 'denial');
  return {
    ...state,
    logs: appendBounded(state.logs, logs, LOG_CAPACITY),
    cni: appendBounded(state.cni, cni, CNI_CAPACITY),
    denials: addDenials(state.denials, denials),
  };
}
