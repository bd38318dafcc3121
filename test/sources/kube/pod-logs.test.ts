import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { createKubeHttp, KubeHttpError } from '../../../src/sources/kube/http.js';
import { compareTimes, followPodLogs, ResumePoint, toSinceTime } from '../../../src/sources/kube/pod-logs.js';
import type { PodLogLine } from '../../../src/sources/kube/pod-logs.js';
import { contextFor, pod, testClock } from './support/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';

const ref = { namespace: 'prod', name: 'a' };
let api: KubeApiServer;
let ac: AbortController;

beforeEach(async () => {
  api = await KubeApiServer.start();
  ac = new AbortController();
});

afterEach(async () => {
  ac.abort();
  await api.close();
});

function withRestarts(count: number, native = false): Record<string, unknown> {
  const p = pod('prod', 'a', '10.0.0.1');
  const statuses = [{ name: 'istio-proxy', restartCount: count }];
  return {
    ...p,
    status: { podIP: '10.0.0.1', ...(native ? { initContainerStatuses: statuses } : { containerStatuses: statuses }) },
  };
}

/** Collects lines in the background until aborted. */
function collect(opts: Partial<Parameters<typeof followPodLogs>[0]> = {}): {
  lines: PodLogLine[];
  statuses: string[];
  done: Promise<unknown>;
} {
  const lines: PodLogLine[] = [];
  const statuses: string[] = [];
  const http = createKubeHttp(contextFor(api).kc, 2000);
  const run = async (): Promise<void> => {
    for await (const line of followPodLogs({
      http,
      pod: ref,
      signal: ac.signal,
      clock: testClock(),
      onStatus: (s) => statuses.push(s.message),
      ...opts,
    })) {
      lines.push(line);
    }
  };
  return { lines, statuses, done: run().catch((e: unknown) => e) };
}

const texts = (lines: PodLogLine[]): string[] =>
  lines.map((l) => `${l.time} ${l.text}${l.previous ? ' (previous)' : ''}`);

describe('followPodLogs', () => {
  it('follows istio-proxy with timestamps=true and splits time from text', async () => {
    api.put(withRestarts(0));
    api.logs.set('prod', 'a', 'istio-proxy', [
      { time: '2026-11-22T10:00:00.100000000Z', text: 'debug\tenvoy rbac\tenforced denied' },
    ]);
    const c = collect({ tailLines: 50 });
    await waitFor(() => expect(c.lines).toHaveLength(1));
    expect(c.lines[0]).toMatchObject({
      time: '2026-11-22T10:00:00.100000000Z',
      text: 'debug\tenvoy rbac\tenforced denied',
      container: 'istio-proxy',
      previous: false,
    });
    const q = api.logs.queries[0];
    expect([q?.get('container'), q?.get('follow'), q?.get('timestamps'), q?.get('tailLines')]).toEqual([
      'istio-proxy',
      'true',
      'true',
      '50',
    ]);
    api.logs.append('prod', 'a', 'istio-proxy', { time: '2026-11-22T10:00:00.200000000Z', text: 'next' });
    await waitFor(() => expect(c.lines).toHaveLength(2));
  });

  it('resumes a dropped stream from the last second seen without losing or repeating lines', async () => {
    api.put(withRestarts(0));
    api.logs.set('prod', 'a', 'istio-proxy', [
      { time: '2026-11-22T10:00:01.100000000Z', text: 'one' },
      { time: '2026-11-22T10:00:01.200000000Z', text: 'same' },
      { time: '2026-11-22T10:00:01.200000000Z', text: 'same' },
    ]);
    const c = collect();
    await waitFor(() => expect(c.lines).toHaveLength(3));
    api.outage = true;
    api.logs.dropStreams();
    api.logs.append('prod', 'a', 'istio-proxy', { time: '2026-11-22T10:00:01.200000000Z', text: 'same' });
    api.logs.append('prod', 'a', 'istio-proxy', { time: '2026-11-22T10:00:01.300000000Z', text: 'during outage' });
    api.logs.append('prod', 'a', 'istio-proxy', { time: '2026-11-22T10:00:02.000000000Z', text: 'later' });
    await waitFor(() => expect(c.statuses.some((s) => s.includes('lost'))).toBe(true));
    api.outage = false;
    await waitFor(() => expect(c.lines).toHaveLength(6));
    expect(texts(c.lines)).toEqual([
      '2026-11-22T10:00:01.100000000Z one',
      '2026-11-22T10:00:01.200000000Z same',
      '2026-11-22T10:00:01.200000000Z same',
      '2026-11-22T10:00:01.200000000Z same',
      '2026-11-22T10:00:01.300000000Z during outage',
      '2026-11-22T10:00:02.000000000Z later',
    ]);
    expect(api.logs.queries.at(-1)?.get('sinceTime')).toBe('2026-11-22T10:00:01Z');
    expect(c.statuses.at(-1)).toMatch(/resumed/);
  });

  it('reads the end of the previous container after a restart (native sidecar)', async () => {
    api.put(withRestarts(0, true));
    api.logs.set('prod', 'a', 'istio-proxy', [{ time: '2026-11-22T10:00:00.500000000Z', text: 'before crash' }]);
    const c = collect();
    await waitFor(() => expect(c.lines).toHaveLength(1));
    api.logs.set(
      'prod',
      'a',
      'istio-proxy',
      [
        { time: '2026-11-22T10:00:00.500000000Z', text: 'before crash' },
        { time: '2026-11-22T10:00:00.900000000Z', text: 'last words' },
      ],
      { previous: true },
    );
    api.logs.set('prod', 'a', 'istio-proxy', [{ time: '2026-11-22T10:00:03.000000000Z', text: 'restarted' }]);
    api.put(withRestarts(1, true));
    api.logs.dropStreams();
    await waitFor(() => expect(c.lines).toHaveLength(3));
    expect(texts(c.lines).slice(1)).toEqual([
      '2026-11-22T10:00:00.900000000Z last words (previous)',
      '2026-11-22T10:00:03.000000000Z restarted',
    ]);
    expect(
      api.logs.queries.some((q) => q.get('previous') === 'true' && q.get('sinceTime') === '2026-11-22T10:00:00Z'),
    ).toBe(true);
  });

  it('says so and follows the new container when the previous log is gone', async () => {
    api.put(withRestarts(0));
    api.logs.set('prod', 'a', 'istio-proxy', [{ time: '2026-11-22T10:00:00.500000000Z', text: 'before crash' }]);
    const c = collect();
    await waitFor(() => expect(c.lines).toHaveLength(1));
    api.logs.set('prod', 'a', 'istio-proxy', [{ time: '2026-11-22T10:00:03.000000000Z', text: 'restarted' }]);
    api.put(withRestarts(1));
    api.logs.dropStreams();
    await waitFor(() => expect(c.lines).toHaveLength(2));
    expect(c.lines[1]?.text).toBe('restarted');
    expect(c.statuses.some((s) => s.includes('previous log is unavailable'))).toBe(true);
    expect(api.logs.queries.filter((q) => q.get('previous') === 'true')).toHaveLength(1);
  });

  it('waits between requests when the kubelet ends the stream, and repeats no line', async () => {
    api.put(withRestarts(0));
    api.logs.endFollowsAtOnce = true;
    api.logs.set('prod', 'a', 'istio-proxy', [{ time: '2026-11-22T10:00:00.500000000Z', text: 'only' }]);
    const clock = testClock();
    const c = collect({ clock });
    await waitFor(() => expect(clock.sleeps.length).toBeGreaterThanOrEqual(3));
    expect(texts(c.lines)).toEqual(['2026-11-22T10:00:00.500000000Z only']);
    // the backoff grows although each stream opened and delivered a line (issue 17; client-go's
    // reflector resets its backoff only after 2 min without one: tools/cache/reflector.go); the
    // default is the reflector's, 800 ms doubling with jitter [0, base), so 1.5 base at random() 0.5
    expect(clock.sleeps.slice(0, 3)).toEqual([1200, 2400, 4800]);
  });

  it('caps over-long lines', async () => {
    api.put(withRestarts(0));
    api.logs.set('prod', 'a', 'istio-proxy', [
      { time: '2026-11-22T10:00:00.1Z', text: 'x'.repeat(5000) },
      { time: '2026-11-22T10:00:00.2Z', text: 'short' },
    ]);
    const c = collect({ maxLineChars: 100 });
    await waitFor(() => expect(c.lines).toHaveLength(2));
    expect(c.lines[0]?.text.length).toBe(100 - '2026-11-22T10:00:00.1Z '.length);
    expect(c.lines[1]?.text).toBe('short');
  });

  it('fails at once for a pod that does not exist', async () => {
    const c = collect();
    const err = (await c.done) as KubeHttpError;
    expect(err).toBeInstanceOf(KubeHttpError);
    expect(err.status).toBe(404);
  });

  it('ends when aborted', async () => {
    api.put(withRestarts(0));
    api.logs.set('prod', 'a', 'istio-proxy', []);
    const c = collect();
    await waitFor(() => expect(api.logs.openStreams).toBe(1));
    ac.abort();
    expect(await c.done).toBeUndefined();
  });
});

describe('resume bookkeeping', () => {
  it('compares fractions of different lengths and floors to the second', () => {
    expect(compareTimes('2026-01-01T00:00:01.5Z', '2026-01-01T00:00:01.123456789Z')).toBe(1);
    expect(compareTimes('2026-01-01T00:00:01Z', '2026-01-01T00:00:01.000Z')).toBe(0);
    expect(toSinceTime('2026-01-01T00:00:01.999999999Z')).toBe('2026-01-01T00:00:01Z');
  });

  it('drops a replayed line once per time it was seen', () => {
    const r = new ResumePoint(null);
    expect(r.accept('2026-01-01T00:00:01.1Z', 'a')).toBe(true);
    expect(r.accept('2026-01-01T00:00:01.1Z', 'a')).toBe(true);
    r.startReplay();
    expect([
      r.accept('2026-01-01T00:00:01.1Z', 'a'),
      r.accept('2026-01-01T00:00:01.1Z', 'a'),
      r.accept('2026-01-01T00:00:01.1Z', 'a'),
    ]).toEqual([false, false, true]);
    expect(r.accept('2026-01-01T00:00:00.9Z', 'old')).toBe(false);
  });
});
