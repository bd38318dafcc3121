import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { createKubeHttp, KEEPALIVE_MS, KubeHttpError } from '../../../src/sources/kube/http.js';
import { contextFor } from './support/fixtures.js';
import { statusFault } from '../../helpers/kube-faults.js';

let api: KubeApiServer;
afterEach(() => api.close());

describe('createKubeHttp', () => {
  it('sends the bearer token and turns a Status body into a KubeHttpError', async () => {
    api = await KubeApiServer.start();
    api.forbidden.push(/^\/api\/v1\/pods$/);
    const err = (await createKubeHttp(contextFor(api).kc, 2000)
      .getJson('/api/v1/pods')
      .catch((e: unknown) => e)) as KubeHttpError;
    expect(err).toBeInstanceOf(KubeHttpError);
    expect([err.status, err.reason]).toEqual([403, 'Forbidden']);
    expect(err.message).toMatch(/cannot access \/api\/v1\/pods/);
  });

  it('asks for TCP keepalive after 30 s idle on its connections, as kubectl (Go DefaultTransport dialer): a dead peer under a quiet stream is found', async () => {
    api = await KubeApiServer.start();
    const calls: unknown[][] = [];
    const original = net.Socket.prototype.setKeepAlive;
    net.Socket.prototype.setKeepAlive = function (this: net.Socket, ...args: unknown[]) {
      calls.push(args);
      return original.apply(this, args as Parameters<typeof original>);
    };
    try {
      const abort = new AbortController();
      const lines = createKubeHttp(contextFor(api).kc, 2000).streamLines('/api/v1/pods?watch=true', {
        signal: abort.signal,
      });
      const first = lines.next().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      abort.abort();
      await first;
    } finally {
      net.Socket.prototype.setKeepAlive = original;
    }
    expect(calls).toContainEqual([true, KEEPALIVE_MS]);
    expect(KEEPALIVE_MS).toBe(30_000);
  });

  it('bounds the wait for a stream to start by the request timeout', async () => {
    api = await KubeApiServer.start();
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const ctx = contextFor(api);
    Object.assign(ctx.kc.getCurrentCluster() ?? {}, {
      server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    });
    const lines = createKubeHttp(ctx.kc, 200).streamLines('/api/v1/pods?watch=true');
    const err = (await lines.next().catch((e: unknown) => e)) as KubeHttpError;
    silent.close();
    expect(err.reason).toBe('Timeout');
  });

  it('retries 429 and transient 5xx a bounded number of times with jitter, never a 404 (client-go rest/with_retry.go)', async () => {
    api = await KubeApiServer.start();
    const sleeps: number[] = [];
    const http = createKubeHttp(contextFor(api).kc, 2000, {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    });
    api.faults.add(statusFault({ path: /^\/api\/v1\/pods$/, times: 2 }, 503));
    await expect(http.getJson('/api/v1/pods')).resolves.toMatchObject({ items: [] });
    expect(sleeps).toEqual([300, 600]);
    api.faults.add(statusFault({ path: /^\/api\/v1\/services$/ }, 500));
    const err = (await http.getJson('/api/v1/services').catch((e: unknown) => e)) as KubeHttpError;
    expect([err.status, api.faults.fired[1]]).toEqual([500, 4]);
    const before = api.requests.length;
    await http.getJson('/api/v1/nothing-here').catch(() => undefined);
    expect(api.requests.length - before).toBe(1);
    api.faults.add(statusFault({ path: /^\/api\/v1\/configmaps$/, times: 1 }, 429, { retryAfter: '3600' }));
    sleeps.length = 0;
    await http.getJson('/api/v1/configmaps');
    expect(sleeps).toEqual([5000]); // Retry-After honoured, capped
  });
});
