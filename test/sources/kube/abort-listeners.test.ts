/**
 * Issue 17: no abort-listener leak on long-lived signals (Node printed
 * MaxListenersExceededWarning under the TUI within seconds), and no sleep that was already
 * aborted (quit must not wait on one).
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { waitFor } from '../../helpers/wait-for.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { followPods } from '../../../src/sources/kube/follow-pods.js';
import { sleep } from '../../../src/sources/kube/sleep.js';
import { contextFor, pod, testClock } from './support/fixtures.js';

let api: KubeApiServer | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

describe('abort listeners', () => {
  it('a sleep removes its listener when its timer fires, and resolves at once on an aborted signal', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(1, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    ac.abort();
    const started = Date.now();
    await sleep(60_000, ac.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('following a pod log for many lines leaves no listener per line on the session signal', async () => {
    api = await KubeApiServer.start();
    api.put(pod('prod', 'a', '10.0.0.1'));
    const ac = new AbortController();
    const lines: string[] = [];
    const run = (async () => {
      for await (const item of followPods({
        http: createKubeHttp(contextFor(api as KubeApiServer).kc, 2000),
        targets: [{ pod: { namespace: 'prod', name: 'a' }, container: 'istio-proxy' }],
        signal: ac.signal,
        clock: testClock(),
        maxQueued: 1000,
      })) {
        if (item.kind === 'line') lines.push(item.line.text);
      }
    })();
    for (let i = 0; i < 200; i++) {
      api.logs.append('prod', 'a', 'istio-proxy', {
        time: `2026-11-22T10:00:00.${String(i).padStart(3, '0')}Z`,
        text: `l${i}`,
      });
      await waitFor(() => expect(lines).toHaveLength(i + 1));
    }
    expect(getEventListeners(ac.signal, 'abort').length).toBeLessThan(10);
    ac.abort();
    await run;
  });
});
