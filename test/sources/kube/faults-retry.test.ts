/**
 * Issue 17, pagination, retries and backoff, as client-go does them:
 * - kubernetes/client-go:tools/pager/pager.go: a 410 Expired on a continued page falls back
 *   to a full list (FullListIfExpired), never a short store;
 * - kubernetes/client-go:rest/with_retry.go: 429 and 5xx are retried (Retry-After honoured);
 * - kubernetes/client-go:tools/cache/reflector.go: ListAndWatch is retried with a backoff
 *   (800ms..30s, reset after 2 min without backoff), so a failed first list is retried for
 *   the whole session and a server that ends every watch cannot make the client spin.
 * Request rates are counted against a misbehaving local API server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, ISTIO_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import { goneOnContinue, slowBody, statusFault, watchEndsAtOnce, watchGone } from '../../helpers/kube-faults.js';
import type { Fault } from '../../helpers/kube-faults.js';
import { waitFor } from '../../helpers/wait-for.js';
import { createLiveSource, realClock } from '../../../src/sources/kube/live-source.js';
import type { LiveSource, LiveSourceOptions } from '../../../src/sources/kube/live-source.js';
import { NAMESPACE_KIND, POD_KIND } from '../../../src/sources/kube/kinds.js';
import { contextFor, namespace, pod, testClock } from './support/fixtures.js';

const servers: KubeApiServer[] = [];
const sources: LiveSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) s.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(pods = 5): Promise<KubeApiServer> {
  const api = await KubeApiServer.start([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1')]);
  servers.push(api);
  for (const ns of ['default', 'prod', 'istio-system']) api.put(namespace(ns));
  for (let i = 0; i < pods; i++) api.put(pod('prod', `p${i}`, `10.0.0.${i + 1}`));
  return api;
}

async function start(api: KubeApiServer, opts: Partial<LiveSourceOptions> = {}): Promise<LiveSource> {
  const source = createLiveSource({
    context: contextFor(api, 'prod'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    clock: testClock(),
    reflector: { pageSize: 2, backoffInitialMs: 10, backoffMaxMs: 40 },
    retry: { sleep: () => Promise.resolve() },
    ...opts,
  });
  sources.push(source);
  await source.start();
  return source;
}

const podCount = (s: LiveSource): number => s.objects().filter((o) => o.object['kind'] === 'Pod').length;

describe('pagination', () => {
  it('a 410 on a continued page falls back to one full list: every pod, never an empty store', async () => {
    const api = await server(7);
    api.faults.add(goneOnContinue(/^\/api\/v1\/pods$/));
    const source = await start(api, { watch: false });
    expect(podCount(source)).toBe(7);
    expect(api.faults.fired).toEqual([1]);
    expect(api.requests).toContain('GET /api/v1/pods'); // the full list, no limit
    expect(source.status().unreadable).toEqual([]);
  });
});

describe('retries', () => {
  it('a kind whose first list failed stays a gap and is relisted by its reflector until it is read', async () => {
    const api = await server();
    api.faults.add(statusFault({ path: /\/authorizationpolicies$/, times: 12 }, 500));
    api.put({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'x', namespace: 'prod' },
      spec: {},
    });
    const source = await start(api);
    expect(source.status().unreadable.map((u) => u.kind)).toEqual(['AuthorizationPolicy.security.istio.io']);
    await waitFor(() => expect(source.status().unreadable).toEqual([]), 5000);
    expect(source.objects().some((o) => o.object['kind'] === 'AuthorizationPolicy')).toBe(true);
    expect(api.faults.fired).toEqual([12]);
  });

  it('a list whose body never ends is a gap after --request-timeout, not a hang', async () => {
    const api = await server();
    api.faults.add(slowBody({ path: /\/peerauthentications$/ }));
    const source = await start(api, { watch: false, requestTimeoutMs: 300 });
    expect(source.status().unreadable).toEqual([
      {
        kind: 'PeerAuthentication.security.istio.io',
        namespace: null,
        reason: expect.stringMatching(/within 300 ms/) as unknown,
      },
    ]);
  });
});

/** Requests per second over `ms` against a server with `fault`, kinds Namespace and Pod, real clock and default backoff. */
async function rateUnder(fault: Fault, ms: number): Promise<number> {
  const api = await server();
  api.faults.add(fault);
  const source = createLiveSource({
    context: contextFor(api, 'prod'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    clock: realClock,
    kinds: [NAMESPACE_KIND, POD_KIND],
  });
  sources.push(source);
  await source.start();
  const from = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return (api.requestTimes.filter((t) => t >= from).length * 1000) / ms;
}

describe('request rate against a misbehaving server (two kinds, default backoff)', () => {
  it('stays bounded when watches end at once, end after a bookmark, or always answer 410', async () => {
    const [atOnce, bookmark, gone, error429] = await Promise.all([
      rateUnder(watchEndsAtOnce(/./), 3000),
      rateUnder(watchEndsAtOnce(/./, { bookmark: true }), 3000),
      rateUnder(watchGone(/./), 3000),
      rateUnder(statusFault({ path: /./, watch: true }, 429, { retryAfter: '0' }), 3000),
    ]);
    if (process.env['MESHDBG_PRINT_RATES']) console.log({ atOnce, bookmark, gone, error429 });
    // backoff 800 ms doubling, sleeps in [d, 2d): at most ~3 watches per kind in 3 s (a relist each after 410)
    expect(atOnce).toBeLessThan(5);
    expect(bookmark).toBeLessThan(5);
    expect(gone).toBeLessThan(9);
    expect(error429).toBeLessThan(5);
    expect(Math.min(atOnce, bookmark, gone, error429)).toBeGreaterThan(0);
  }, 15_000);
});
