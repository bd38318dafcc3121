/**
 * Streams (watches, log follows) from a hostile server: a line with no end, bytes split inside a
 * UTF-8 sequence, a watch that sends headers and then nothing, an event that is no JSON. Memory
 * stays bounded by the line cap, time by the watch's timeoutSeconds, and errors carry no server text.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { Fault } from '../../helpers/kube-faults.js';
import { waitFor } from '../../helpers/wait-for.js';
import { createKubeHttp, DEFAULT_MAX_LINE_CHARS, KubeHttpError } from '../../../src/sources/kube/http.js';
import { followPodLogs } from '../../../src/sources/kube/pod-logs.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveSource } from '../../../src/sources/kube/live-source.js';
import { NAMESPACE_KIND, POD_KIND } from '../../../src/sources/kube/kinds.js';
import { WATCH_MAX_EVENT_CHARS } from '../../../src/sources/kube/reflector.js';
import { contextFor, namespace, pod, testClock } from './support/fixtures.js';

let api: KubeApiServer | null = null;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  source = null;
  await api?.close();
  api = null;
});

/** Answers matching GETs 200 and writes `parts` one by one (a tick apart), then keeps the stream open. */
function streamFault(match: (path: string, watching: boolean) => boolean, parts: (string | Buffer)[]): Fault {
  return {
    match: (r) => match(r.path, r.watching),
    times: Infinity,
    respond: (res: http.ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders(); // headers now, even when no part follows
      const queue = [...parts];
      const next = (): void => {
        const part = queue.shift();
        if (part === undefined || res.destroyed) return;
        res.write(part);
        setTimeout(next, 5);
      };
      next();
    },
  };
}

async function firstLines(lines: AsyncGenerator<string>, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) {
    out.push(line);
    if (out.length === n) break;
  }
  return out;
}

describe('streamLines', () => {
  it('joins a UTF-8 sequence split across two chunks (no U+FFFD)', async () => {
    api = await KubeApiServer.start();
    const e = Buffer.from('é');
    api.faults.add(
      streamFault((p) => p === '/s', [Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)]), e.subarray(1), '\n']),
    );
    const lines = createKubeHttp(contextFor(api).kc, 2000).streamLines('/s');
    expect(await firstLines(lines, 1)).toEqual(['café']);
  });

  it('the default cap holds: a 50 MB line is cut to DEFAULT_MAX_LINE_CHARS and the next line still comes', async () => {
    api = await KubeApiServer.start();
    api.faults.add(streamFault((p) => p === '/s', [Buffer.alloc(50_000_000, 'a'), '\nnext\n']));
    const lines = createKubeHttp(contextFor(api).kc, 2000).streamLines('/s');
    const [head, next] = await firstLines(lines, 2);
    expect(DEFAULT_MAX_LINE_CHARS).toBe(1024 * 1024);
    expect([head?.length, next]).toEqual([DEFAULT_MAX_LINE_CHARS, 'next']);
  });

  it('failOnLongLine: an over-long line ends the stream with TooLarge, whether or not its newline came', async () => {
    api = await KubeApiServer.start();
    api.faults.add(streamFault((p) => p === '/endless', ['ok\n', 'x'.repeat(150), 'x'.repeat(150)]));
    api.faults.add(streamFault((p) => p === '/whole', [`ok\n${'x'.repeat(150)}\nafter\n`]));
    const http = createKubeHttp(contextFor(api).kc, 2000);
    for (const path of ['/endless', '/whole']) {
      const seen: string[] = [];
      const err = await (async () => {
        for await (const l of http.streamLines(path, { maxLineChars: 100, failOnLongLine: true })) seen.push(l);
      })().catch((e: unknown) => e);
      expect(seen).toEqual(['ok']);
      expect(err).toBeInstanceOf(KubeHttpError);
      expect((err as KubeHttpError).message).toMatch(
        /sent a line longer than 100 bytes on \/\w+; meshdbg stopped reading it/,
      );
    }
  });
});

describe('pod log follow', () => {
  it('a 50 MB log line is cut at the default cap; the lines after it are followed', async () => {
    api = await KubeApiServer.start();
    const t = '2026-11-22T10:00:00.000000001Z';
    api.faults.add(
      streamFault(
        (p) => p.endsWith('/log'),
        [`${t} `, Buffer.alloc(50_000_000, 'b'), `\n${t.replace('01Z', '02Z')} next\n`],
      ),
    );
    const abort = new AbortController();
    const got: string[] = [];
    const follow = followPodLogs({
      http: createKubeHttp(contextFor(api).kc, 2000),
      pod: { namespace: 'prod', name: 'p' },
      signal: abort.signal,
      clock: testClock(),
    });
    for await (const line of follow) {
      got.push(line.text);
      if (got.length === 2) abort.abort();
    }
    expect(got.map((l) => l.length)).toEqual([DEFAULT_MAX_LINE_CHARS - t.length - 1, 4]);
  });
});

describe('watches', () => {
  async function watched(fault: Fault, watchTimeoutSeconds?: number): Promise<LiveSource> {
    api = await KubeApiServer.start();
    api.put(namespace('prod'));
    api.put(pod('prod', 'p0', '10.0.0.1'));
    api.faults.add(fault);
    source = createLiveSource({
      context: contextFor(api, 'prod'),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      clock: testClock(),
      kinds: [NAMESPACE_KIND, POD_KIND],
      reflector: { pageSize: 50, backoffInitialMs: 10, backoffMaxMs: 40, watchTimeoutSeconds },
      retry: { sleep: () => Promise.resolve() },
    });
    await source.start();
    return source;
  }
  const podWatch = (p: string, watching: boolean): boolean => watching && p === '/api/v1/pods';
  const podWatches = (): number =>
    (api?.requests ?? []).filter((r) => /^GET \/api\/v1\/pods\?.*watch=true/.test(r)).length;

  it('headers and then nothing: the watch is given up after its timeoutSeconds and opened again (client-go Timeout)', async () => {
    await watched(streamFault(podWatch, []), 1);
    await waitFor(() => expect(podWatches()).toBeGreaterThanOrEqual(2), 2500);
    expect(api?.requests.find((r) => r.includes('watch=true') && r.startsWith('GET /api/v1/pods'))).toMatch(
      /timeoutSeconds=1(&|$)/,
    );
  });

  it('an event longer than 16 MiB (client-go ErrObjectTooLarge) ends the watch with a clear error; the store is kept', async () => {
    const big = Buffer.alloc(WATCH_MAX_EVENT_CHARS + 1024 * 1024, 'a');
    const live = await watched(streamFault(podWatch, ['{"type":"ADDED","object":{"metadata":{"name":"', big]));
    await waitFor(
      () => expect(live.status().errors.join('\n')).toMatch(/sent a line longer than 16 MiB on \/api\/v1\/pods\?/),
      2500,
    );
    expect(live.objects().filter((o) => o.object['kind'] === 'Pod')).toHaveLength(1);
  });

  it('an event that is not JSON is reported without quoting the server text', async () => {
    const live = await watched(streamFault(podWatch, ['\u001b]0;pwned\u0007 Authorization: Bearer s3cr3t\n']));
    await waitFor(
      () => expect(live.status().errors.join('\n')).toMatch(/a watch event on \/api\/v1\/pods is not JSON/),
      2500,
    );
    expect(live.status().errors.join('\n')).not.toMatch(/s3cr3t|pwned|\u001b/);
  });
});
