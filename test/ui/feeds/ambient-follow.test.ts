import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { followPods } from '../../../src/sources/kube/follow-pods.js';
import { ztunnelAccessLine } from '../../../src/sources/demo/ztunnel-lines.js';
import { REAL_ENGINE } from '../../../src/ui/data/real-engine.js';
import { createClusterFeed, followTargets } from '../../../src/ui/feeds/cluster-feed.js';
import type { DenialEvent, FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { waitFor } from '../../helpers/wait-for.js';
import { contextFor, testClock } from '../../sources/kube/support/fixtures.js';
import { authz, namespace, service, waypoint } from '../../engine/ambient/world.js';
import { logLevelDisabledReason, raiseRequest, restoreRequest } from '../../../src/ui/state/log-level.js';
import { uiData } from '../fixtures/ui-data.js';

/** A live pod (not a template): node, IP and containers as the API server reports them. */
function livePod(
  ns: string,
  name: string,
  o: { node: string; ip: string; labels: string; sa: string; proxy?: boolean },
): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${o.labels}}}
spec:
  nodeName: ${o.node}
  serviceAccountName: ${o.sa}
  containers: [${o.proxy ? '{name: istio-proxy, image: proxy}' : '{name: app, image: app, ports: [{containerPort: 8080}]}'}]
status: {podIP: ${o.ip}, phase: Running}
`;
}

// ztunnel pods: istio/istio manifests/charts/ztunnel (app: ztunnel, container istio-proxy);
// waypoint pods: waypoint.yaml (gateway.networking.k8s.io/gateway-name, container istio-proxy)
const WORLD =
  namespace('istio-system', 'team: mesh') +
  namespace('shop') +
  livePod('shop', 'client-1', { node: 'node-a', ip: '10.0.1.1', labels: 'app: client', sa: 'client' }) +
  livePod('shop', 'server-1', { node: 'node-a', ip: '10.0.1.2', labels: 'app: server', sa: 'server' }) +
  livePod('shop', 'waypoint-5d8f-abcde', {
    node: 'node-b',
    ip: '10.0.2.9',
    labels: 'gateway.networking.k8s.io/gateway-name: waypoint, istio.io/dataplane-mode: none',
    sa: 'waypoint',
    proxy: true,
  }) +
  livePod('istio-system', 'ztunnel-aaaaa', {
    node: 'node-a',
    ip: '10.0.1.100',
    labels: 'app: ztunnel',
    sa: 'ztunnel',
    proxy: true,
  }) +
  livePod('istio-system', 'ztunnel-ccccc', {
    node: 'node-c',
    ip: '10.0.3.100',
    labels: 'app: ztunnel',
    sa: 'ztunnel',
    proxy: true,
  }) +
  service('shop', 'server') +
  waypoint('shop') +
  authz(
    'shop',
    'server-deny-client',
    '{selector: {matchLabels: {app: server}}, action: DENY, rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/client]}}]}]}',
  );

describe('live follow of ambient proxies', () => {
  const snapshot = snapshotFromYaml(WORLD);

  it('follows the ztunnel of each node with ambient pods and the waypoint pods, before sidecars', () => {
    const keys = followTargets(snapshot, REAL_ENGINE.hasSidecar, 50).map(
      (t) => `${t.pod.namespace}/${t.pod.name}/${t.container}`,
    );
    expect(keys).toEqual(['istio-system/ztunnel-aaaaa/istio-proxy', 'shop/waypoint-5d8f-abcde/istio-proxy']);
    expect(followTargets(snapshot, REAL_ENGINE.hasSidecar, 1)).toHaveLength(1);
  });

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

  it('streams ztunnel and waypoint lines from the API server into denials with their enforcer', async () => {
    const time = '2026-11-22T10:00:01.000000Z';
    const ztunnel = ztunnelAccessLine({
      time,
      src: {
        ip: '10.0.1.1',
        port: 40000,
        workload: 'client-1',
        namespace: 'shop',
        identity: 'spiffe://cluster.local/ns/shop/sa/client',
      },
      dst: {
        ip: '10.0.1.2',
        port: 15008,
        workload: 'server-1',
        namespace: 'shop',
        identity: 'spiffe://cluster.local/ns/shop/sa/server',
      },
      hboneAddr: '10.0.1.2:8080',
      service: null,
      direction: 'inbound',
      error: 'connection closed due to policy rejection: explicitly denied by: shop/server-deny-client',
      bytesSent: 0,
      bytesRecv: 0,
      durationMs: 0,
    });
    const clusterIp = snapshot.services.find((s) => s.name === 'server')?.clusterIP ?? '';
    // the constructed waypoint form of test/fixtures/logs/constructed/waypoint-deny.log, for this world
    const wp = `[2026-11-22T10:00:02.000Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.5.0" "5ea5eb0a-f4b9-4d6e-8a39-717d6da78f80" "server:80" "-" inbound-vip|80|http|server.shop.svc.cluster.local - ${clusterIp}:80 envoy://internal_client_address/ - default`;
    api.logs.set('istio-system', 'ztunnel-aaaaa', 'istio-proxy', [{ time: '2026-11-22T10:00:01Z', text: ztunnel }]);
    api.logs.set('shop', 'waypoint-5d8f-abcde', 'istio-proxy', [{ time: '2026-11-22T10:00:02Z', text: wp }]);
    const http = createKubeHttp(contextFor(api).kc, 2000);
    const feed = createClusterFeed({
      snapshots: { current: () => snapshot, subscribe: () => () => undefined },
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow: (targets, signal) => followPods({ http, targets, signal, clock: testClock(), maxQueued: 100 }),
      levels: null,
      clock: () => Date.parse(time),
      maxPods: 50,
    });
    const events: FeedEvent[] = [];
    const stop = feed.subscribe((batch) => events.push(...batch));
    const denials = (): DenialEvent[] => events.filter((e): e is DenialEvent => e.type === 'denial');
    await waitFor(() => expect(denials()).toHaveLength(2), 5000);
    stop();
    const [fromZtunnel, fromWaypoint] = [...denials()].sort((a, b) => a.time - b.time);
    // ztunnel: the explicit DENY, from the destination node's ztunnel (DESIGN: ruleRef AuthorizationPolicy:NS/NAME)
    expect(fromZtunnel).toMatchObject({
      source: 'shop/client-1',
      destination: 'shop/server-1',
      layer: 'authz-deny',
      ruleRef: 'AuthorizationPolicy:shop/server-deny-client',
      explanation: { decidedBy: { enforcer: 'ztunnel' } },
    });
    // waypoint: the Service it fronts is the destination (not the waypoint pod); no ALLOW rule matched
    expect(fromWaypoint).toMatchObject({ destination: 'shop/server-1', layer: 'authz-allow', request: 'GET / :80' });
    expect(fromWaypoint?.evidence[0]).toContain('inbound-vip|80|http|server.shop.svc.cluster.local');
    expect(events.some((e) => e.type === 'log' && e.pod === 'istio-system/ztunnel-aaaaa')).toBe(true);
  });
});

describe('raising policy logging for an ambient workload', () => {
  const snapshot = snapshotFromYaml(WORLD);
  const data = uiData(snapshot);
  const row = (name: string) => {
    const r = data.rows.find((x) => x.pod.name === name);
    if (!r) throw new Error(`no row ${name}`);
    return r;
  };

  it('asks the ztunnel of the nodes of its pods, not the pods (they have no sidecar)', () => {
    expect(logLevelDisabledReason(data, row('server-1'))).toBeNull();
    const { request } = raiseRequest(data, row('server-1'));
    expect(request).toMatchObject({
      namespace: 'shop',
      pods: ['ztunnel-aaaaa'],
      ztunnel: { namespace: 'istio-system' },
    });
  });

  it('sets ztunnel::state (where ztunnel logs its policy decisions) through the manager, then restores', async () => {
    const calls: string[] = [];
    const ok = (pods: readonly { namespace: string; name: string }[]) => ({
      changed: [...pods],
      skipped: [],
      errors: [],
    });
    const feed = createClusterFeed({
      snapshots: { current: () => snapshot, subscribe: () => () => undefined },
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow: async function* () {},
      levels: {
        raise: (pods, levels) => (
          calls.push(`raise ${pods.map((p) => `${p.namespace}/${p.name}`).join()} ${JSON.stringify(levels)}`),
          Promise.resolve(ok(pods))
        ),
        restore: (pods) => (
          calls.push(`restore ${(pods ?? []).map((p) => `${p.namespace}/${p.name}`).join()}`),
          Promise.resolve(ok(pods ?? []))
        ),
      },
      clock: () => 0,
      maxPods: 50,
    });
    const { request } = raiseRequest(data, row('server-1'));
    expect(await feed.setLogLevel({ ...request, loggers: ['rbac', 'jwt'] })).toEqual({ changed: 1, errors: [] });
    expect(await feed.setLogLevel(restoreRequest(request))).toEqual({ changed: 1, errors: [] });
    expect(calls).toEqual([
      'raise istio-system/ztunnel-aaaaa {"ztunnel::state":"debug"}',
      'restore istio-system/ztunnel-aaaaa',
    ]);
  });
});
