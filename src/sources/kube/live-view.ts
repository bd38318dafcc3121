/**
 * Keeps a value built from the live objects (the Snapshot) current: rebuilt at most once
 * per `debounceMs` after changes, so a burst of watch events costs one rebuild.
 */
import type { RawObject } from '../../model/raw.js';
import type { LiveSource, LiveStatus } from './live-source.js';

export interface LiveView<T> {
  current(): T;
  status(): LiveStatus;
  /** Called after each rebuild (and when only the status changed); returns unsubscribe. */
  subscribe(cb: (value: T, status: LiveStatus) => void): () => void;
  dispose(): void;
}

export interface LiveViewTimers {
  set(fn: () => void, ms: number): () => void;
}

const realTimers: LiveViewTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** `source` must be started; `build` turns its objects into the value (e.g. snapshotFromObjects). */
export function createLiveView<T>(
  source: LiveSource,
  build: (objects: RawObject[]) => T,
  debounceMs = 200,
  timers: LiveViewTimers = realTimers,
): LiveView<T> {
  let value = build(source.objects());
  let cancel: (() => void) | null = null;
  const listeners = new Set<(value: T, status: LiveStatus) => void>();
  const rebuild = (): void => {
    cancel = null;
    value = build(source.objects());
    const status = source.status();
    for (const cb of listeners) cb(value, status);
  };
  const unsubscribe = source.onChange(() => {
    cancel ??= timers.set(rebuild, debounceMs);
  });
  return {
    current: () => value,
    status: () => source.status(),
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    dispose() {
      cancel?.();
      unsubscribe();
      listeners.clear();
    },
  };
}

/** One line for a header or status bar: `stale since 10:00:03Z (...)`, a partial view, or null when all is well. */
export function describeLiveStatus(status: LiveStatus): string | null {
  const parts: string[] = [];
  if (status.stale && status.staleSince) {
    const reason = status.errors.at(-1);
    parts.push(`stale since ${status.staleSince.slice(11, 19)}Z${reason ? ` (${reason})` : ''}`);
  }
  if (status.partial.length > 0)
    parts.push(status.namespaces ? `partial view: namespaces ${status.namespaces.join(', ')}` : 'partial view');
  return parts.length > 0 ? parts.join('; ') : null;
}
