import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { BoundedQueue, followPods } from '../../../src/sources/kube/follow-pods.js';
import type { FollowItem } from '../../../src/sources/kube/follow-pods.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { contextFor, pod, testClock } from './support/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';

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

const line = (i: number): { time: string; text: string } => ({
  time: `2026-11-22T10:00:${String(i).padStart(2, '0')}.000Z`,
  text: `line ${i}`,
});

describe('followPods', () => {
  it('merges several pods and reports a pod that cannot be followed', async () => {
    api.put(pod('prod', 'a', '10.0.0.1'));
    api.put(pod('prod', 'b', '10.0.0.2'));
    api.logs.set('prod', 'a', 'istio-proxy', [line(1)]);
    api.logs.set('prod', 'b', 'istio-proxy', [line(2)]);
    const items: FollowItem[] = [];
    const targets = ['a', 'b', 'gone'].map((name) => ({ pod: { namespace: 'prod', name }, container: 'istio-proxy' }));
    void (async () => {
      for await (const item of followPods({
        http: createKubeHttp(contextFor(api).kc, 2000),
        targets,
        signal: ac.signal,
        clock: testClock(),
        maxQueued: 100,
      }))
        items.push(item);
    })();
    await waitFor(() => expect(items.filter((i) => i.kind === 'line')).toHaveLength(2));
    await waitFor(() =>
      expect(items.some((i) => i.kind === 'status' && i.message.startsWith('stopped following gone'))).toBe(true),
    );
    expect(items.flatMap((i) => (i.kind === 'line' ? [i.line.pod.name] : [])).sort()).toEqual(['a', 'b']);
  });

  it('loses no line when the reader keeps up', async () => {
    api.put(pod('prod', 'a', '10.0.0.1'));
    api.logs.set(
      'prod',
      'a',
      'istio-proxy',
      Array.from({ length: 50 }, (_, i) => line(i)),
    );
    const stream = followPods({
      http: createKubeHttp(contextFor(api).kc, 2000),
      targets: [{ pod: { namespace: 'prod', name: 'a' }, container: 'istio-proxy' }],
      signal: ac.signal,
      clock: testClock(),
      maxQueued: 5,
    });
    let seen = 0;
    for await (const item of stream) {
      if (item.kind === 'line') seen += 1;
      if (item.kind === 'dropped') seen += item.count;
      if (item.kind === 'line' && item.line.text === 'line 49') break;
    }
    expect(seen).toBe(50);
  });
});

describe('BoundedQueue', () => {
  it('keeps the newest lines, reports how many were dropped, and never drops status items', async () => {
    const q = new BoundedQueue(2);
    const signal = new AbortController().signal;
    const mk = (n: number): FollowItem => ({
      kind: 'line',
      line: { pod: { namespace: 'n', name: 'p' }, container: 'c', time: `t${n}`, text: `l${n}`, previous: false },
    });
    q.push(mk(1));
    q.push({ kind: 'status', pod: { namespace: 'n', name: 'p' }, connected: false, message: 'lost' });
    q.push(mk(2));
    q.push(mk(3));
    q.push(mk(4));
    const out: string[] = [];
    for (let i = 0; i < 4; i++) {
      const item = await q.next(signal);
      out.push(
        item?.kind === 'line'
          ? item.line.text
          : item?.kind === 'dropped'
            ? `dropped ${item.count}`
            : `status ${item?.kind === 'status' ? item.message : ''}`,
      );
    }
    expect(out).toEqual(['dropped 2', 'status lost', 'l3', 'l4']);
  });

  it('returns null once aborted', async () => {
    const ac2 = new AbortController();
    const pending = new BoundedQueue(1).next(ac2.signal);
    ac2.abort();
    expect(await pending).toBeNull();
  });
});
