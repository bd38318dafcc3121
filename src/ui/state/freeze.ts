/**
 * The freeze key: while frozen, live updates are held back so nothing on screen moves;
 * thawing applies what was held, in order. Held logs are bounded like the log buffer,
 * and denials keep only their latest event (the correlator's count is in it).
 */
import type { FeedEvent } from '../feeds/log-feed.js';
import { appendBounded } from '../feeds/ring-buffer.js';
import { CNI_CAPACITY, LOG_CAPACITY, type AppState, type Held } from './app-state.js';
import { applyFeed, countUnrecognized } from './feed-reducer.js';

const NOTHING_HELD: Held = { logs: [], cni: [], denials: new Map(), count: 0 };

export function hold(held: Held, events: readonly FeedEvent[]): Held {
  const denials = new Map(held.denials);
  for (const e of events) if (e.type === 'denial') denials.set(e.id, e);
  return {
    logs: appendBounded(
      held.logs,
      events.filter((e) => e.type === 'log'),
      LOG_CAPACITY,
    ),
    cni: appendBounded(
      held.cni,
      events.filter((e) => e.type === 'cni'),
      CNI_CAPACITY,
    ),
    denials,
    count: held.count + events.length,
  };
}

/** Feed events go to the screen, or are held while frozen. */
export function receiveFeed(state: AppState, events: readonly FeedEvent[]): AppState {
  if (state.frozen !== null) return { ...countUnrecognized(state, events), frozen: hold(state.frozen, events) };
  return applyFeed(state, events);
}

export function toggleFreeze(state: AppState): AppState {
  const held = state.frozen;
  if (held === null) return { ...state, frozen: NOTHING_HELD };
  return applyFeed({ ...state, frozen: null }, [...held.logs, ...held.cni, ...held.denials.values()]);
}

/** The footer's mark while frozen. */
export function frozenLabel(state: AppState): string | null {
  if (state.frozen === null) return null;
  return `FROZEN (${state.frozen.count} updates held)`;
}
