import { afterEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, ISTIO_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import type { MockResource } from '../../helpers/kube-api-server.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import { NAMESPACE_KIND, POD_KIND } from '../../../src/sources/kube/kinds.js';
import type { LiveSource, LiveSourceOptions } from '../../../src/sources/kube/live-source.js';
import { MeshdbgError } from '../../../src/util/errors.js';
import { contextFor, denyAllExceptFrom, namespace, pod, testClock } from './support/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';

let api: KubeApiServer;
let source: LiveSource | null = null;

afterEach(async () => {
  source?.stop();
  source = null;
  await api.close();
});

function names(s: LiveSource, kind: string): string[] {
  return s
    .objects()
    .filter((o) => o.object['kind'] === kind)
    .map((o) => {
      const m = o.object['metadata'] as { namespace?: string; name: string };
      return m.namespace ? `${m.namespace}/${m.name}` : m.name;
    })
    .sort();
}

async function startSource(opts: Partial<LiveSourceOptions> = {}, ns = 'default'): Promise<LiveSource> {
  const clock = testClock();
  source = createLiveSource({
    context: contextFor(api, ns),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    clock,
    reflector: { pageSize: 2, backoffInitialMs: 100, backoffMaxMs: 1000 },
    ...opts,
  });
  await source.start();
  return source;
}

async function seeded(
  resources: readonly MockResource[] = [...CORE_RESOURCES, ...ISTIO_RESOURCES('v1')],
): Promise<KubeApiServer> {
  const server = await KubeApiServer.start(resources);
  for (const ns of ['default', 'prod', 'istio-system']) server.put(namespace(ns));
  const a = pod('prod', 'a', '10.0.0.1');
  server.put({
    ...a,
    metadata: { ...(a['metadata'] as object), managedFields: [{ manager: 'kubectl', fieldsV1: {} }] },
  });
  server.put(pod('prod', 'b', '10.0.0.2'));
  server.put(pod('prod', 'c', '10.0.0.3'));
  server.put(pod('default', 'd', '10.0.0.4'));
  server.put(pod('istio-system', 'istiod', '10.0.0.9', { app: 'istiod' }));
  server.put(denyAllExceptFrom('prod', 'only-a', 'a'));
  return server;
}

describe('live source: list', () => {
  it('lists every kind with pagination and keeps the API wire shape', async () => {
    api = await seeded();
    const s = await startSource();
    expect(names(s, 'Pod')).toEqual(['default/d', 'istio-system/istiod', 'prod/a', 'prod/b', 'prod/c']);
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/pods?') && r.includes('continue='))).toHaveLength(2);
    const np = s.objects().find((o) => o.object['kind'] === 'NetworkPolicy')?.object;
    expect(np?.['apiVersion']).toBe('networking.k8s.io/v1');
    expect((np?.['spec'] as { ingress: { from: unknown[] }[] }).ingress[0]?.from).toHaveLength(1);
    const a = s.objects().find((o) => (o.object['metadata'] as { name: string }).name === 'a')?.object;
    expect((a?.['status'] as { podIP: string }).podIP).toBe('10.0.0.1');
    expect(s.status()).toMatchObject({ stale: false, partial: [], namespaces: null });
    expect(JSON.stringify(s.objects())).not.toContain('managedFields');
  });

  it('never reads Secrets and keeps only the mesh ConfigMap', async () => {
    api = await seeded();
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: 'rootNamespace: istio-system' },
    });
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio-ca-root-cert', namespace: 'istio-system' },
      data: { 'root-cert.pem': 'x' },
    });
    api.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'prod' },
      data: { mesh: 'x' },
    });
    api.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'prod' }, data: { k: 'dg==' } });
    const s = await startSource();
    expect(names(s, 'ConfigMap')).toEqual(['istio-system/istio']);
    expect(names(s, 'Secret')).toEqual([]);
    expect(api.requests.some((r) => r.includes('secrets'))).toBe(false);
    expect(api.requests.some((r) => r.startsWith('GET /api/v1/configmaps'))).toBe(false);
  });

  it('treats missing CRDs as not installed, not as an error', async () => {
    api = await KubeApiServer.start(CORE_RESOURCES);
    api.put(pod('prod', 'a', '10.0.0.1'));
    const s = await startSource();
    expect(names(s, 'Pod')).toEqual(['prod/a']);
    expect(s.status().errors).toEqual([]);
    expect(api.requests.some((r) => r.includes('security.istio.io'))).toBe(false);
  });
});

describe('live source: watch', () => {
  it('applies ADDED, MODIFIED and DELETED events and tells listeners', async () => {
    api = await seeded();
    const s = await startSource();
    let changes = 0;
    s.onChange(() => (changes += 1));
    await waitFor(() => expect(api.openWatchCount).toBeGreaterThan(3));
    api.put(pod('prod', 'e', '10.0.0.5'));
    await waitFor(() => expect(names(s, 'Pod')).toContain('prod/e'));
    api.put(pod('prod', 'e', '10.0.0.55'));
    await waitFor(() => {
      const e = s.objects().find((o) => (o.object['metadata'] as { name: string }).name === 'e')?.object;
      expect((e?.['status'] as { podIP: string }).podIP).toBe('10.0.0.55');
    });
    api.remove(pod('prod', 'a', ''));
    await waitFor(() => expect(names(s, 'Pod')).not.toContain('prod/a'));
    expect(changes).toBeGreaterThanOrEqual(3);
    expect(
      api.requests.some((r) => /\/api\/v1\/pods\?watch=true&allowWatchBookmarks=true&resourceVersion=\d+/.test(r)),
    ).toBe(true);
  });

  it('relists on 410 Gone and ends with exactly the server state', async () => {
    api = await seeded();
    const s = await startSource();
    await waitFor(() => expect(api.openWatchCount).toBeGreaterThan(3));
    const listsBefore = api.requests.filter((r) => r.startsWith('GET /api/v1/pods?limit')).length;
    api.dropWatches();
    api.put(pod('prod', 'late', '10.0.0.8'));
    api.remove(pod('prod', 'b', ''));
    api.compact();
    await waitFor(() =>
      expect(names(s, 'Pod')).toEqual(['default/d', 'istio-system/istiod', 'prod/a', 'prod/c', 'prod/late']),
    );
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/pods?limit')).length).toBeGreaterThan(listsBefore);
  });

  it('marks the view stale while a watch is down and resumes from its resourceVersion without losing events', async () => {
    api = await seeded();
    const s = await startSource();
    await waitFor(() => expect(api.openWatchCount).toBeGreaterThan(3));
    const listsBefore = api.requests.filter((r) => r.startsWith('GET /api/v1/pods?limit')).length;
    api.outage = true;
    api.dropWatches();
    await waitFor(() => expect(s.status().stale).toBe(true));
    expect(s.status().staleSince).toBe('2026-11-22T10:00:00.000Z');
    expect(s.status().errors.join('\n')).toMatch(/Pod/);
    api.put(pod('prod', 'during-outage', '10.0.0.7'));
    api.remove(pod('prod', 'c', ''));
    api.outage = false;
    await waitFor(() => expect(s.status().stale).toBe(false), 5000);
    await waitFor(() =>
      expect(names(s, 'Pod')).toEqual(['default/d', 'istio-system/istiod', 'prod/a', 'prod/b', 'prod/during-outage']),
    );
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/pods?limit')).length).toBe(listsBefore);
  });

  it('backs off with jitter between reconnects', async () => {
    api = await seeded();
    const clock = testClock();
    source = createLiveSource({
      context: contextFor(api),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      clock,
      kinds: [NAMESPACE_KIND, POD_KIND],
      reflector: { pageSize: 50, backoffInitialMs: 100, backoffMaxMs: 400 },
    });
    await source.start();
    await waitFor(() => expect(api.openWatchCount).toBe(2));
    api.outage = true;
    api.dropWatches();
    await waitFor(() => expect(clock.sleeps.length).toBeGreaterThanOrEqual(8));
    api.outage = false;
    // two reflectors retry in parallel; with random() = 0.5 each delay is 1.5 times 100, 200, 400, 400...
    // (jitter in [0, base): kubernetes/apimachinery:pkg/util/wait/wait.go, Jitter)
    expect([...new Set(clock.sleeps)].sort((a, b) => a - b)).toEqual([150, 300, 600]);
  });
});

describe('live source: rights and reachability', () => {
  it('turns a 403 on cluster-wide lists into a partial view over -n, the context namespace and the rules review', async () => {
    api = await seeded();
    api.put(pod('team', 't', '10.0.1.1'));
    api.forbidden.push(
      /^\/api\/v1\/namespaces$/,
      /^\/api\/v1\/pods$/,
      /^\/apis\/(apps|networking\.k8s\.io|security\.istio\.io)\/[^/]+\/[a-z]+$/,
      /^\/api\/v1\/(services|serviceaccounts|configmaps)$/,
    );
    api.rulesReview = [{ verbs: ['get'], apiGroups: [''], resources: ['namespaces'], resourceNames: ['team'] }];
    const s = await startSource({}, 'prod');
    expect(names(s, 'Pod')).toEqual(['istio-system/istiod', 'prod/a', 'prod/b', 'prod/c', 'team/t']);
    const st = s.status();
    expect(st.namespaces).toEqual(['istio-system', 'prod', 'team']);
    expect(st.partial.join('\n')).toMatch(/Namespace objects are unreadable/);
    expect(st.partial).toContain(
      'partial view: no cluster-wide list rights for Pod, Service, ServiceAccount, Deployment.apps, NetworkPolicy.networking.k8s.io, AuthorizationPolicy.security.istio.io, PeerAuthentication.security.istio.io; read from namespaces istio-system, prod, team',
    );
    expect(st.unreadable.some((u) => u.kind === 'Namespace')).toBe(true);
  });

  it('names an unreadable root namespace as a partial view', async () => {
    api = await seeded();
    api.forbidden.push(/^\/api\/v1\/pods$/, /^\/api\/v1\/namespaces\/istio-system\/pods$/);
    const s = await startSource({}, 'prod');
    expect(s.status().partial.join('\n')).toMatch(/root namespace istio-system is unreadable/);
  });

  it('reads only the given namespaces (plus the root namespace, and CNI DaemonSets) with -n', async () => {
    api = await seeded([
      ...CORE_RESOURCES,
      { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
    ]);
    api.put({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'calico-system' },
      spec: {},
    });
    api.put({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'other', namespace: 'monitoring' },
      spec: {},
    });
    const s = await startSource({ namespaces: ['prod'] });
    expect(names(s, 'Pod')).toEqual(['istio-system/istiod', 'prod/a', 'prod/b', 'prod/c']);
    expect(s.status().namespaces).toEqual(['istio-system', 'prod']);
    expect(names(s, 'DaemonSet')).toEqual(['calico-system/calico-node']);
  });

  it('exits 3 when no Pods can be read at all', async () => {
    api = await seeded();
    api.forbidden.push(/pods$/);
    const err = await startSource().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshdbgError);
    expect((err as MeshdbgError).exitCode).toBe(3);
    expect((err as MeshdbgError).userMessage).toMatch(
      /^nothing needed could be read from http:\/\/127\.0\.0\.1:\d+: Pod: 403 Forbidden/,
    );
  });

  it('exits 3 naming the 401 when the credentials are refused', async () => {
    api = await seeded();
    const ctx = contextFor(api);
    Object.assign(ctx.kc.getCurrentUser() ?? {}, { token: 'expired-token' });
    source = createLiveSource({ context: ctx, namespaces: [], allNamespaces: false, requestTimeoutMs: 2000 });
    const err = (await source.start().catch((e: unknown) => e)) as MeshdbgError;
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(/\(context mock\): 401 Unauthorized/);
  });

  it('exits 3 with one line when the server refuses connections', async () => {
    api = await seeded();
    const ctx = contextFor(api);
    await api.close();
    source = createLiveSource({ context: ctx, namespaces: [], allNamespaces: false, requestTimeoutMs: 500 });
    const err = (await source.start().catch((e: unknown) => e)) as MeshdbgError;
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(
      /^cannot read the cluster at http:\/\/127\.0\.0\.1:\d+ \(context mock\): cannot reach/,
    );
    expect(err.userMessage).not.toContain('\n');
    api = await KubeApiServer.start();
  });

  it('exits 3 when the server accepts but never answers within --request-timeout', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    api = await seeded();
    const ctx = contextFor(api);
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const cluster = ctx.kc.getCurrentCluster();
    Object.assign(cluster ?? {}, { server: `http://127.0.0.1:${port}` });
    source = createLiveSource({ context: ctx, namespaces: [], allNamespaces: false, requestTimeoutMs: 300 });
    const err = (await source.start().catch((e: unknown) => e)) as MeshdbgError;
    silent.close();
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(/did not answer \/apis within 300 ms/);
  });
});

describe('live source: watch request', () => {
  it('asks the server to end each watch after 5 to 10 minutes', async () => {
    api = await seeded();
    await startSource();
    await waitFor(() => expect(api.openWatchCount).toBeGreaterThan(3));
    const watch = api.requests.find((r) => r.startsWith('GET /api/v1/pods?watch=true')) ?? '';
    expect(new URL(watch.slice(4), 'http://x').searchParams.get('timeoutSeconds')).toBe('450');
  });

  it('backs off instead of spinning when watches end at once without events', async () => {
    api = await seeded();
    api.endWatchesAtOnce = true;
    const clock = testClock();
    source = createLiveSource({
      context: contextFor(api),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      clock,
      kinds: [NAMESPACE_KIND, POD_KIND],
      reflector: { pageSize: 50, backoffInitialMs: 100, backoffMaxMs: 400 },
    });
    await source.start();
    await waitFor(() => expect(clock.sleeps.length).toBeGreaterThanOrEqual(6));
    // 1.5 times the 400 ms cap at random() 0.5: jitter [0, base) is added after the cap, as in
    // kubernetes/apimachinery:pkg/util/wait/backoff.go (delay) and wait.go (Jitter)
    expect(Math.max(...clock.sleeps)).toBe(600);
  });

  it('polls a kind it may list but not watch, and says so', async () => {
    api = await seeded();
    api.forbiddenWatches.push(/^\/api\/v1\/pods$/);
    const clock = testClock();
    source = createLiveSource({
      context: contextFor(api),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      clock,
      kinds: [NAMESPACE_KIND, POD_KIND],
      reflector: { pageSize: 50, backoffInitialMs: 100, backoffMaxMs: 400 },
    });
    await source.start();
    const s = source;
    await waitFor(() =>
      expect(s.status().errors).toContain('Pod (all namespaces): may list but not watch; refreshed every 400 ms'),
    );
    api.put(pod('prod', 'polled', '10.0.0.9'));
    await waitFor(() => expect(names(s, 'Pod')).toContain('prod/polled'));
    expect(s.status().stale).toBe(false);
    expect(clock.sleeps).toContain(400);
  });
});
