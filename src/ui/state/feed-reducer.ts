/**
 * Folds feed batches into state: bounded log and CNI buffers, and the correlator's denials.
 * Repeats are counted by the correlator (src/correlate/draft.ts `denialKey`): a denial event
 * replaces the one with the same id, so the TUI's count is always the correlator's.
 */
import type { DenialEvent, FeedEvent, LogLine } from '../feeds/log-feed.js';
import { appendBounded } from '../feeds/ring-buffer.js';
import {
  CNI_CAPACITY,
  DENIAL_CAPACITY,
  LOG_CAPACITY,
  type AppState,
  type ShownDenial,
  type StoredLogLine,
} from './app-state.js';

/** Newest first; a denial seen again replaces its older self. `now` marks when each first arrived. */
export function upsertDenials(
  existing: readonly ShownDenial[],
  added: readonly DenialEvent[],
  now: number,
): readonly ShownDenial[] {
  if (added.length === 0) return existing;
  const byId = new Map(existing.map((d) => [d.id, d]));
  for (const event of added) {
    const prior = byId.get(event.id);
    byId.set(event.id, { ...event, arrived: prior?.arrived ?? now });
  }
  return [...byId.values()].sort((a, b) => b.time - a.time).slice(0, DENIAL_CAPACITY);
}

function numbered(lines: readonly LogLine[], first: number): StoredLogLine[] {
  return lines.map((l, i) => ({ ...l, seq: first + i }));
}

/** A header counter, not a list that moves: it counts on while the screen is frozen too. */
export function countUnrecognized(state: AppState, events: readonly FeedEvent[]): AppState {
  let added = 0;
  for (const e of events) if (e.type === 'unrecognized') added += e.added;
  return added === 0 ? state : { ...state, unrecognizedDenials: state.unrecognizedDenials + added };
}

export function applyFeed(state: AppState, events: readonly FeedEvent[]): AppState {
  const logs = events.filter((e) => e.type === 'log');
  const cni = events.filter((e) => e.type === 'cni');
  const denials = events.filter((e) => e.type === 'denial');
  return {
    ...countUnrecognized(state, events),
    logs: appendBounded(state.logs, numbered(logs, state.nextLogSeq), LOG_CAPACITY),
    nextLogSeq: state.nextLogSeq + logs.length,
    cni: appendBounded(state.cni, cni, CNI_CAPACITY),
    denials: upsertDenials(state.denials, denials, state.now),
  };
}
