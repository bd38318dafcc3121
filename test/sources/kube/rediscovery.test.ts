/**
 * Issue 17: kinds installed or removed during a session. kubectl re-discovers (its discovery
 * cache has a TTL: kubernetes/cli-runtime:pkg/genericclioptions/config_flags.go
 * ToDiscoveryClient; client-go's kubernetes/client-go:restmapper/discovery.go
 * DeferredDiscoveryRESTMapper.Reset re-discovers), and a kind whose discovery failed keeps
 * being retried as client-go's reflector retries a failed ListAndWatch
 * (kubernetes/client-go:tools/cache/reflector.go). The live source re-checks discovery while
 * it watches: a CRD installed after start is listed and watched, a removed one is dropped,
 * and the status (the TUI header's "partial view") follows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, ISTIO_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import type { MockResource } from '../../helpers/kube-api-server.js';
import { statusFault } from '../../helpers/kube-faults.js';
import { waitFor } from '../../helpers/wait-for.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveSource } from '../../../src/sources/kube/live-source.js';
import { createLiveView, describeLiveStatus } from '../../../src/sources/kube/live-view.js';
import { planRediscovery, servedKey } from '../../../src/sources/kube/rediscovery.js';
import { SNAPSHOT_KINDS } from '../../../src/sources/kube/kinds.js';
import { contextFor, namespace, pod, testClock } from './support/fixtures.js';

const ANP: MockResource = {
  group: 'policy.networking.k8s.io',
  version: 'v1alpha1',
  kind: 'AdminNetworkPolicy',
  plural: 'adminnetworkpolicies',
  namespaced: false,
};

const servers: KubeApiServer[] = [];
const sources: LiveSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) s.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(resources: readonly MockResource[]): Promise<KubeApiServer> {
  const api = await KubeApiServer.start(resources);
  servers.push(api);
  for (const ns of ['default', 'prod', 'istio-system']) api.put(namespace(ns));
  api.put(pod('prod', 'p0', '10.0.0.1'));
  return api;
}

async function start(api: KubeApiServer, rediscoverMs = 40): Promise<LiveSource> {
  const source = createLiveSource({
    context: contextFor(api, 'prod'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    clock: testClock(),
    reflector: { backoffInitialMs: 10, backoffMaxMs: 40 },
    retry: { sleep: () => Promise.resolve() },
    rediscoverMs,
  });
  sources.push(source);
  await source.start();
  return source;
}

const kinds = (s: LiveSource): string[] => [...new Set(s.objects().map((o) => String(o.object['kind'])))].sort();

const policy = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'deny-all', namespace: 'prod' },
  spec: {},
};
const anp = { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'a' } };

describe('rediscovery during a session', () => {
  it('a CRD installed after start (security.istio.io, AdminNetworkPolicy) is listed and watched', async () => {
    const api = await server(CORE_RESOURCES);
    const source = await start(api);
    expect(kinds(source)).toEqual(['Namespace', 'Pod']);
    api.resources.push(...ISTIO_RESOURCES('v1'), ANP);
    api.put(policy);
    api.put(anp);
    await waitFor(() =>
      expect(kinds(source)).toEqual(['AdminNetworkPolicy', 'AuthorizationPolicy', 'Namespace', 'Pod']),
    );
    // and watched: a later object arrives through the new kind's watch
    api.put({ ...policy, metadata: { name: 'second', namespace: 'prod' } });
    await waitFor(() =>
      expect(source.objects().filter((o) => o.object['kind'] === 'AuthorizationPolicy')).toHaveLength(2),
    );
  });

  it('a CRD removed during the session is dropped with its objects, and its watch stopped', async () => {
    const api = await server([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1')]);
    api.put(policy);
    const source = await start(api);
    expect(kinds(source)).toContain('AuthorizationPolicy');
    api.resources = api.resources.filter((r) => r.group !== 'security.istio.io');
    await waitFor(() => expect(kinds(source)).toEqual(['Namespace', 'Pod']));
    // the core kinds the mock serves (Namespace, Pod, Service, ServiceAccount, ConfigMap, Deployment, NetworkPolicy)
    await waitFor(() => expect(api.openWatchCount).toBe(7));
    expect(source.status().unreadable).toEqual([]);
  });

  it('a kind whose discovery failed keeps being retried; the gap and the header line clear once read', async () => {
    const api = await server([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1')]);
    api.put(policy);
    api.faults.add(statusFault({ path: /^\/apis\/security\.istio\.io\/v1$/, times: 8 }, 500));
    const source = await start(api);
    const view = createLiveView(source, (objects) => objects.length, 5);
    const headers: (string | null)[] = [];
    view.subscribe((_n, status) => headers.push(describeLiveStatus(status)));
    expect(source.status().unreadable.map((u) => u.kind)).toEqual([
      'AuthorizationPolicy.security.istio.io',
      'PeerAuthentication.security.istio.io',
      'RequestAuthentication.security.istio.io',
    ]);
    expect(describeLiveStatus(view.status())).toBe('partial view');
    await waitFor(() => expect(source.status().unreadable).toEqual([]), 5000);
    expect(kinds(source)).toContain('AuthorizationPolicy');
    expect(api.faults.fired).toEqual([8]);
    await waitFor(() => expect(headers.at(-1)).toBeNull());
    view.dispose();
  });

  it('a discovery that fails later keeps what is listed (unknown is not "removed")', async () => {
    const api = await server([...CORE_RESOURCES, ...ISTIO_RESOURCES('v1')]);
    api.put(policy);
    const source = await start(api);
    api.faults.add(statusFault({ path: /^\/apis$/, times: 3 }, 503));
    await waitFor(() => expect(api.faults.fired).toEqual([3]));
    expect(kinds(source)).toContain('AuthorizationPolicy');
    expect(source.status().unreadable).toEqual([]);
  });

  it('re-checks a healthy cluster no more often than asked', async () => {
    const api = await server(CORE_RESOURCES);
    await start(api, 200);
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const discoveries = api.requests.filter((r, i) => r === 'GET /apis' && (api.requestTimes[i] ?? 0) >= from);
    expect(discoveries.length).toBeGreaterThanOrEqual(3);
    expect(discoveries.length).toBeLessThanOrEqual(6);
  });
});

describe('planRediscovery', () => {
  const ap = SNAPSHOT_KINDS.find((k) => k.kind === 'AuthorizationPolicy');
  if (!ap) throw new Error('no AuthorizationPolicy kind');
  const v1 = { spec: ap, version: 'v1', apiVersion: 'security.istio.io/v1' };
  const v1beta1 = { spec: ap, version: 'v1beta1', apiVersion: 'security.istio.io/v1beta1' };

  it('a version change is a removal plus an addition', () => {
    const plan = planRediscovery(new Map([[servedKey(v1beta1), ap]]), {
      served: [v1],
      notInstalled: [],
      failed: [],
      errors: [],
    });
    expect(plan).toEqual({ add: [v1], remove: [servedKey(v1beta1)], gaps: [] });
  });

  it('a failed discovery of a listed kind neither removes it nor makes it a gap', () => {
    const plan = planRediscovery(new Map([[servedKey(v1), ap]]), {
      served: [],
      notInstalled: [],
      failed: [{ spec: ap, error: new Error('500') }],
      errors: [],
    });
    expect(plan).toEqual({ add: [], remove: [], gaps: [] });
  });
});
