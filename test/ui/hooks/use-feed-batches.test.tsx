import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { useFeedBatches } from '../../../src/ui/hooks/use-feed-batches.js';
import { renderTui } from '../../helpers/render.js';
import { waitFor } from '../../helpers/wait-for.js';
import { fakeFeed, type FakeFeed } from '../fixtures/fake-feed.js';
import { T0 } from '../fixtures/denials.js';

function Harness({
  feed,
  batches,
  flushMs,
}: {
  feed: FakeFeed;
  batches: (readonly FeedEvent[])[];
  flushMs: number;
}): ReactElement {
  useFeedBatches(feed, (events) => batches.push(events), { flushMs, maxPending: 3 });
  return <Text>harness</Text>;
}

const line = (n: number): FeedEvent => ({
  type: 'log',
  time: T0,
  pod: 'a/b',
  container: 'istio-proxy',
  text: `line ${n}`,
});

describe('useFeedBatches', () => {
  it('hands over a batch as soon as maxPending events wait, in order', async () => {
    const feed = fakeFeed();
    const batches: (readonly FeedEvent[])[] = [];
    const app = renderTui(<Harness feed={feed} batches={batches} flushMs={60_000} />);
    await waitFor(() => expect(feed.listeners()).toBe(1));
    feed.emit([line(1), line(2)]);
    expect(batches).toEqual([]);
    feed.emit([line(3)]);
    expect(batches).toEqual([[line(1), line(2), line(3)]]);
    app.unmount();
    await waitFor(() => expect(feed.listeners()).toBe(0));
  });

  it('flushes what is pending on the interval', async () => {
    const feed = fakeFeed();
    const batches: (readonly FeedEvent[])[] = [];
    const app = renderTui(<Harness feed={feed} batches={batches} flushMs={5} />);
    await waitFor(() => expect(feed.listeners()).toBe(1));
    feed.emit([line(1)]);
    await waitFor(() => expect(batches).toEqual([[line(1)]]));
    app.unmount();
  });

  it('takes a single batch of 300k events (a spread into push() overflows the stack there)', async () => {
    const feed = fakeFeed();
    const batches: (readonly FeedEvent[])[] = [];
    const app = renderTui(<Harness feed={feed} batches={batches} flushMs={60_000} />);
    await waitFor(() => expect(feed.listeners()).toBe(1));
    const big = Array.from({ length: 300_000 }, (_, i) => line(i));
    expect(() => feed.emit(big)).not.toThrow();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(300_000);
    expect(batches[0]?.[299_999]).toEqual(line(299_999));
    app.unmount();
  });
});
