/**
 * A list answered with a body that is enormous, endless or dripping: memory and time stay
 * bounded and the collection becomes a gap whose reason names the cause and the fix.
 * - kubectl bounds a request by --request-timeout (client-go rest.Config.Timeout, which becomes
 *   http.Client.Timeout: headers and body together, https://pkg.go.dev/net/http#Client);
 * - client-go reads a body whole with no cap (kubernetes/client-go:rest/request.go
 *   transformResponse), so meshdbg adds one (http.ts DEFAULT_MAX_BODY_BYTES).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { drippingBody, endlessBody, slowBody } from '../../helpers/kube-faults.js';
import type { Fault } from '../../helpers/kube-faults.js';
import { createKubeHttp, DEFAULT_MAX_BODY_BYTES, KubeHttpError } from '../../../src/sources/kube/http.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveSource, LiveSourceOptions } from '../../../src/sources/kube/live-source.js';
import { partialViewConditions } from '../../../src/sources/kube/partial-view.js';
import { contextFor } from './support/fixtures.js';
import { pocCluster } from './support/poc-cluster.js';

let api: KubeApiServer | null = null;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  source = null;
  await api?.close();
  api = null;
});

async function failure(p: Promise<unknown>): Promise<{ err: KubeHttpError; ms: number }> {
  const from = Date.now();
  const err = (await p.then(
    () => new Error('the request succeeded'),
    (e: unknown) => e,
  )) as KubeHttpError;
  expect(err).toBeInstanceOf(KubeHttpError);
  return { err, ms: Date.now() - from };
}

describe('getJson against a hostile body', () => {
  it('an endless body is refused at the byte cap, long before --request-timeout', async () => {
    api = await KubeApiServer.start();
    api.faults.add(endlessBody({ path: /^\/api\/v1\/pods$/ }));
    const http = createKubeHttp(contextFor(api).kc, 10_000, {}, { maxBodyBytes: 1024 * 1024 });
    const { err, ms } = await failure(http.getJson('/api/v1/pods'));
    expect(err.reason).toBe('TooLarge');
    expect(err.message).toMatch(/sent more than 1 MiB for \/api\/v1\/pods; meshdbg stopped reading/);
    expect(ms).toBeLessThan(3000);
  });

  it('the default cap holds: a declared Content-Length over it is refused before reading', async () => {
    api = await KubeApiServer.start();
    api.faults.add(endlessBody({ path: /^\/api\/v1\/pods$/ }, { declaredBytes: 2 * 1024 ** 3 }));
    const { err, ms } = await failure(createKubeHttp(contextFor(api).kc, 10_000).getJson('/api/v1/pods'));
    expect(DEFAULT_MAX_BODY_BYTES).toBe(256 * 1024 * 1024);
    expect([err.reason, err.message]).toEqual(['TooLarge', expect.stringContaining('more than 256 MiB') as unknown]);
    expect(ms).toBeLessThan(1000);
  });

  it('the default cap holds for a body with no length that runs past it', async () => {
    api = await KubeApiServer.start();
    api.faults.add(endlessBody({ path: /^\/api\/v1\/pods$/ }));
    const { err } = await failure(createKubeHttp(contextFor(api).kc, 20_000).getJson('/api/v1/pods'));
    expect([err.reason, err.message]).toEqual(['TooLarge', expect.stringContaining('more than 256 MiB') as unknown]);
  }, 20_000);

  it('a body that drips one byte at a time ends at --request-timeout (headers and body together)', async () => {
    api = await KubeApiServer.start();
    api.faults.add(drippingBody({ path: /^\/api\/v1\/pods$/ }, 20));
    const { err, ms } = await failure(createKubeHttp(contextFor(api).kc, 400).getJson('/api/v1/pods'));
    expect(err.reason).toBe('Timeout');
    expect(err.message).toMatch(/did not finish sending \/api\/v1\/pods within 400 ms \(raise --request-timeout/);
    expect(ms).toBeLessThan(1500);
  });

  it('a body cut mid-chunk (connection closed) is "connection lost": retried, and a gap only if it keeps happening', async () => {
    api = await KubeApiServer.start();
    const cutBody = (path: string, times: number): Fault => ({
      match: (r) => r.path === path,
      times,
      respond: (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"kind":"List","items":[{"metadata":{"na', () => res.socket?.destroy());
      },
    });
    api.faults.add(cutBody('/api/v1/pods', 2)).add(cutBody('/api/v1/services', Infinity));
    const sleeps: number[] = [];
    const http = createKubeHttp(contextFor(api).kc, 2000, {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    await expect(http.getJson('/api/v1/pods')).resolves.toMatchObject({ items: [] });
    const { err } = await failure(http.getJson('/api/v1/services'));
    expect([err.reason, err.message]).toEqual(['StreamBroken', 'connection lost reading /api/v1/services']);
    expect([api.faults.fired, sleeps.length]).toEqual([[2, 4], 5]);
  });

  it('an error status with an endless body is reported as that status, reading only its head', async () => {
    api = await KubeApiServer.start();
    api.faults.add({
      match: (r) => r.path === '/api/v1/pods',
      times: 1,
      respond: (res) => {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        const junk = Buffer.alloc(64 * 1024, 'x');
        let open = true;
        res.on('close', () => (open = false));
        const pump = (): void => {
          while (open && res.write(junk));
        };
        res.on('drain', pump);
        pump();
      },
    });
    const { err, ms } = await failure(createKubeHttp(contextFor(api).kc, 5000).getJson('/api/v1/pods'));
    expect(err.status).toBe(403);
    expect(ms).toBeLessThan(2000);
  });
});

describe('a live source whose lists get hostile bodies', () => {
  const options = (over: Partial<LiveSourceOptions>): LiveSourceOptions => ({
    context: contextFor(api as KubeApiServer, 'poc-mesh'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    watch: false,
    retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
    ...over,
  });

  it('each failed list is a gap whose condition names the cause, never the "http" of a URL', async () => {
    api = await pocCluster();
    api.faults.add(endlessBody({ path: /\/authorizationpolicies$/ }));
    api.faults.add(slowBody({ path: /\/peerauthentications$/ }));
    source = createLiveSource(options({ requestTimeoutMs: 600, httpLimits: { maxBodyBytes: 256 * 1024 } }));
    await source.start();
    const gaps = source.status().unreadable;
    expect(gaps.map((g) => [g.kind, g.reason.split(':')[0]])).toEqual([
      ['AuthorizationPolicy.security.istio.io', 'answer too large'],
      ['PeerAuthentication.security.istio.io', 'timed out, see --request-timeout'],
    ]);
    expect(partialViewConditions(source.status(), ['poc-mesh'], 'istio-system').map((c) => c.message)).toEqual([
      'partial view: AuthorizationPolicy.security.istio.io in all namespaces is unreadable (answer too large)',
      'partial view: PeerAuthentication.security.istio.io in all namespaces is unreadable (timed out, see --request-timeout)',
    ]);
    expect(source.status().partial.join('\n')).not.toMatch(/\(http\)/);
  });

  it('nothing needed readable (the Pod list drips): a cluster-unreadable error (exit 3) naming the kind and the fix', async () => {
    api = await pocCluster();
    api.faults.add(drippingBody({ path: /^\/api\/v1\/pods$/ }, 50));
    source = createLiveSource(options({ requestTimeoutMs: 300 }));
    const err = (await source.start().catch((e: unknown) => e)) as { userMessage: string; exitCode: number };
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(
      /^nothing needed could be read from \S+: Pod: timed out, see --request-timeout: .* did not finish sending \/api\/v1\/pods\?limit=500 within 300 ms/,
    );
  });
});
