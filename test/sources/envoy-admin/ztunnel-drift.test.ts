import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseZtunnelConfigDump } from '../../../src/parsers/ztunnel-config-dump.js';
import { portForwardRequester } from '../../../src/sources/envoy-admin/native-proxy-control.js';
import { ztunnelDrift } from '../../../src/sources/envoy-admin/ztunnel-drift.js';
import { readZtunnelView } from '../../../src/sources/envoy-admin/ztunnel-view.js';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { contextFor } from '../kube/support/fixtures.js';
import { FakeZtunnelAdmin } from '../log-level/support/fake-ztunnel-admin.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, namespace } from '../../engine/ambient/world.js';

// the real dump istioctl tests with (test/fixtures/ztunnel/README.md): `default` holds sleep (HBONE)
// and the Namespace-scope ALLOW policy allow-nothing; httpbin is TCP (not captured)
const { dump } = parseZtunnelConfigDump(
  readFileSync(new URL('../../fixtures/ztunnel/istioctl-dump.json', import.meta.url), 'utf8'),
);

function pod(ns: string, name: string, app: string): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}
spec: {nodeName: ambient-worker2, containers: [{name: app, image: app}]}
status: {phase: Running}
`;
}

const SLEEP = 'sleep-7656cf8794-lxcmx';
const world = (extra = ''): string => namespace('default') + pod('default', SLEEP, 'sleep') + extra;
const ALLOW_NOTHING = authz('default', 'allow-nothing', '{action: ALLOW}');

describe("ztunnel's config against the Snapshot", () => {
  if (!dump) throw new Error('fixture unreadable');
  const sleepOf = (yaml: string) => {
    const s = snapshotFromYaml(yaml);
    const p = s.pods.find((x) => x.name === SLEEP);
    if (!p) throw new Error('no sleep pod');
    return ztunnelDrift(s, p, dump);
  };

  it('agrees when the Snapshot has the namespace-wide ALLOW ztunnel holds', () => {
    expect(sleepOf(world(ALLOW_NOTHING))).toEqual({
      rows: [{ action: 'ALLOW', policy: 'allow-nothing.default', rules: 0 }],
      messages: [],
    });
  });

  it('names a policy ztunnel still enforces that the Snapshot lacks, and one it does not enforce yet', () => {
    expect(sleepOf(world()).messages).toEqual([
      'ztunnel enforces ALLOW default/allow-nothing, which the Snapshot does not: stale or newer config',
    ]);
    const deny = authz('default', 'deny-x', '{action: DENY, rules: [{from: [{source: {namespaces: [x]}}]}]}');
    expect(sleepOf(world(ALLOW_NOTHING + deny)).messages).toEqual([
      'the Snapshot has DENY default/deny-x, which ztunnel does not enforce yet (not pushed, or rejected by istiod)',
    ]);
  });

  it('says when ztunnel does not know the pod, or reaches it in plain TCP (not captured)', () => {
    const s = snapshotFromYaml(
      namespace('default') +
        pod('default', 'ghost-1', 'ghost') +
        namespace('httpbin') +
        pod('httpbin', 'httpbin-65975d4c6f-jr69n', 'httpbin'),
    );
    const ghost = s.pods.find((p) => p.name === 'ghost-1');
    const httpbin = s.pods.find((p) => p.namespace === 'httpbin');
    if (!ghost || !httpbin) throw new Error('pods missing');
    expect(ztunnelDrift(s, ghost, dump).messages).toEqual([
      'ztunnel does not know default/ghost-1: not captured yet (istio-cni), or not in the mesh',
    ]);
    expect(ztunnelDrift(s, httpbin, dump).messages).toEqual([
      'ztunnel reaches httpbin/httpbin-65975d4c6f-jr69n in plain TCP, not HBONE: it is not captured into ambient',
    ]);
  });
});

describe('reading the ztunnel of the pod node through the local API server', () => {
  let api: KubeApiServer;
  let zt: FakeZtunnelAdmin;
  beforeEach(async () => {
    api = await KubeApiServer.start();
    zt = await FakeZtunnelAdmin.start();
    zt.dump = readFileSync(new URL('../../fixtures/ztunnel/istioctl-dump.json', import.meta.url), 'utf8');
    api.portForwardTargets.set('istio-system/ztunnel-aaaaa', zt.port);
  });
  afterEach(async () => {
    await api.close();
    await zt.close();
  });

  const ZTUNNEL = `---
apiVersion: v1
kind: Pod
metadata: {name: ztunnel-aaaaa, namespace: istio-system, labels: {app: ztunnel}}
spec: {nodeName: ambient-worker2, containers: [{name: istio-proxy, image: ztunnel}]}
status: {phase: Running}
`;

  it('GETs /config_dump from the ztunnel on the same node and compares it', async () => {
    const s = snapshotFromYaml(world(ALLOW_NOTHING) + namespace('istio-system', 'team: mesh') + ZTUNNEL);
    const sleep = s.pods.find((p) => p.name === SLEEP);
    if (!sleep) throw new Error('no sleep pod');
    const view = await readZtunnelView(portForwardRequester(contextFor(api).kc), s, sleep, { timeoutMs: 5000 });
    expect(view).toEqual({
      from: 'ztunnel istio-system/ztunnel-aaaaa (config_dump)',
      rows: [{ action: 'ALLOW', policy: 'allow-nothing.default', rules: 0 }],
      messages: [],
    });
    expect(zt.requests).toEqual(['GET /config_dump']);
  });

  it('says so when no ztunnel runs on the node', async () => {
    const s = snapshotFromYaml(world(ALLOW_NOTHING));
    const sleep = s.pods.find((p) => p.name === SLEEP);
    if (!sleep) throw new Error('no sleep pod');
    await expect(
      readZtunnelView(portForwardRequester(contextFor(api).kc), s, sleep, {
        timeoutMs: 5000,
      }),
    ).rejects.toThrow(/no ztunnel pod on the node of default\/sleep-7656cf8794-lxcmx \(ambient-worker2\)/);
  });
});
