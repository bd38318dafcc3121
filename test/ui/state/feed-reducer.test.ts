import { describe, expect, it } from 'vitest';
import { applyFeed } from '../../../src/ui/state/feed-reducer.js';
import { initialState, LOG_CAPACITY } from '../../../src/ui/state/app-state.js';
import type { FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { appendBounded } from '../../../src/ui/feeds/ring-buffer.js';
import { T0 } from '../fixtures/denials.js';

describe('bounded buffers', () => {
  it('appendBounded drops the oldest entries past the capacity', () => {
    expect(appendBounded([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    const same = [1];
    expect(appendBounded(same, [], 4)).toBe(same);
  });

  it('keeps at most LOG_CAPACITY log lines, the newest', () => {
    const lines: FeedEvent[] = Array.from({ length: LOG_CAPACITY + 10 }, (_, i) => ({
      type: 'log',
      time: T0,
      pod: 'a/b',
      container: 'istio-proxy',
      text: `l${i}`,
    }));
    const s = applyFeed(initialState(T0), lines);
    expect(s.logs).toHaveLength(LOG_CAPACITY);
    expect(s.logs[0]?.text).toBe('l10');
    expect(s.logs.at(-1)?.text).toBe(`l${LOG_CAPACITY + 9}`);
  });
});
