/**
 * Subscribes to the feed and hands events to the reducer in batches: every `flushMs`,
 * or at once when `maxPending` events are waiting (k9s' batched log model).
 */
import { useEffect } from 'react';
import type { FeedEvent, LogFeed } from '../feeds/log-feed.js';

export interface FeedBatchOptions {
  readonly flushMs: number;
  readonly maxPending: number;
}

export function useFeedBatches(
  feed: LogFeed,
  onBatch: (events: readonly FeedEvent[]) => void,
  options: FeedBatchOptions,
): void {
  const { flushMs, maxPending } = options;
  useEffect(() => {
    let pending: FeedEvent[] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      onBatch(batch);
    };
    const unsubscribe = feed.subscribe((events) => {
      // one push per event: push(...events) passes every event as an argument, and a batch of
      // ~100k events overflows the stack (RangeError: Maximum call stack size exceeded)
      for (const event of events) pending.push(event);
      if (pending.length >= maxPending) flush();
    });
    const timer = setInterval(flush, flushMs);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [feed, onBatch, flushMs, maxPending]);
}
