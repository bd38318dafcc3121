/**
 * Issue 17, "never a confident answer from a partial view": every list or discovery call
 * that fails, for any kind, is a `partial-view` condition on the answers it could change
 * (verdict conditional, exit 4), in explain, in the status line and in `snapshot`'s
 * structured `status` section. Server text never reaches a snapshot as free text.
 */
import yaml from 'js-yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import { statusFault } from '../../helpers/kube-faults.js';
import { ensureBuilt, runCliAsync } from '../../commands/cli-harness.js';
import { explain } from '../../../src/engine/explain.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import type { LiveSource } from '../../../src/sources/kube/live-source.js';
import { applyPartialView } from '../../../src/sources/kube/partial-view.js';
import { renderSnapshotYaml } from '../../../src/commands/snapshot.js';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { contextFor, writeKubeconfig } from './support/fixtures.js';
import { ALLOWED_ARGS, ALLOWED_QUERY, pocCluster } from './support/poc-cluster.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let api: KubeApiServer;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  source = null;
  await api.close();
});

const noWait = { sleep: () => Promise.resolve(), random: () => 0.5 };

async function listOnce(): Promise<LiveSource> {
  source = createLiveSource({
    context: contextFor(api, 'poc-mesh'),
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    watch: false,
    retry: noWait,
  });
  await source.start();
  return source;
}

async function verdictWith(fault: Parameters<KubeApiServer['faults']['add']>[0]): Promise<{
  verdict: string;
  conditions: string[];
}> {
  api = await pocCluster();
  api.faults.add(fault);
  const live = await listOnce();
  const answer = explain(snapshotFromObjects(live.objects(), null, 'cluster', 'cluster'), parseQuery(ALLOWED_QUERY));
  if (!('verdict' in answer)) throw new Error(JSON.stringify(answer));
  const adjusted = applyPartialView(answer, live.status(), 'istio-system');
  return {
    verdict: adjusted.verdict,
    conditions: adjusted.conditions.filter((c) => c.code === 'partial-view').map((c) => c.message),
  };
}

describe('partial view: every failed list or discovery is a condition', () => {
  it('the flow is allowed when nothing fails', async () => {
    expect((await verdictWith(statusFault({ path: /^\/never$/ }, 500))).verdict).toBe('allowed');
  });

  it.each([
    [
      'cluster-wide AuthorizationPolicy list (500)',
      /\/authorizationpolicies$/,
      500,
      /AuthorizationPolicy.* all namespaces .*\(500/,
    ],
    ['Namespace list (503)', /^\/api\/v1\/namespaces$/, 503, /Namespace objects are unreadable \(503/],
    [
      'mesh ConfigMap in the root namespace (500)',
      /namespaces\/istio-system\/configmaps$/,
      500,
      /ConfigMap in the root namespace istio-system/,
    ],
    [
      'discovery of security.istio.io (500)',
      /^\/apis\/security\.istio\.io\/v1$/,
      500,
      /PeerAuthentication\.security\.istio\.io in all namespaces/,
    ],
    [
      'Calico GlobalNetworkPolicy list (500)',
      /globalnetworkpolicies$/,
      500,
      /GlobalNetworkPolicy\.(crd\.)?projectcalico\.org in all namespaces/,
    ],
  ])('%s => conditional with a partial-view condition', async (_name, path, code, message) => {
    const { verdict, conditions } = await verdictWith(statusFault({ path }, code));
    expect(verdict).toBe('conditional');
    expect(conditions.some((c) => message.test(c))).toBe(true);
  });

  it('/apis itself failing keeps the core kinds and makes every named-group kind a gap, not "not installed"', async () => {
    api = await pocCluster();
    api.faults.add(statusFault({ path: /^\/apis$/ }, 500));
    const gaps = (await listOnce()).status().unreadable;
    expect(gaps.map((g) => g.kind)).toEqual(
      expect.arrayContaining([
        'AuthorizationPolicy.security.istio.io',
        'Deployment.apps',
        'NetworkPolicy.networking.k8s.io',
      ]),
    );
    expect(gaps.every((g) => g.namespace === null && g.reason.startsWith('500'))).toBe(true);
    expect(source?.objects().some((o) => o.object['kind'] === 'Pod')).toBe(false);
  });

  it('a 429 once on discovery is retried after Retry-After (client-go rest/with_retry.go): no gap', async () => {
    api = await pocCluster();
    api.faults.add(statusFault({ path: /^\/apis\/security\.istio\.io\/v1$/, times: 1 }, 429, { retryAfter: '1' }));
    const sleeps: number[] = [];
    source = createLiveSource({
      context: contextFor(api, 'poc-mesh'),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      watch: false,
      retry: {
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
      },
    });
    await source.start();
    expect(sleeps).toEqual([1000]);
    expect(api.faults.fired).toEqual([1]);
    expect(source.status().unreadable).toEqual([]);
    expect(source.objects().some((o) => o.object['kind'] === 'AuthorizationPolicy')).toBe(true);
  });
});

describe('partial view through the CLI', () => {
  beforeAll(() => ensureBuilt());

  it('a 500 on the cluster-wide AuthorizationPolicy list answers conditional, exit 4, and says so on stderr', async () => {
    api = await pocCluster();
    const env = { KUBECONFIG: writeKubeconfig(api, 'poc-mesh') };
    const healthy = await runCliAsync(ALLOWED_ARGS, { env });
    expect([healthy.code, (JSON.parse(healthy.stdout) as { verdict: string }).verdict]).toEqual([0, 'allowed']);
    api.faults.add(statusFault({ path: /^\/apis\/security\.istio\.io\/v1\/authorizationpolicies$/ }, 500));
    const r = await runCliAsync(ALLOWED_ARGS, { env });
    const out = JSON.parse(r.stdout) as { verdict: string; conditions: { code: string; message: string }[] };
    expect(r.code).toBe(4);
    expect(out.verdict).toBe('conditional');
    expect(out.conditions).toContainEqual({
      code: 'partial-view',
      message:
        'partial view: AuthorizationPolicy.security.istio.io in all namespaces is unreadable (500 InternalError)',
    });
    expect(r.stderr).toMatch(/partial view/);
  }, 30_000);
});

describe('snapshot: server text is data, never a channel', () => {
  const hostile =
    'boom\r\n- apiVersion: security.istio.io/v1\r\n  kind: AuthorizationPolicy\r\n  metadata: {name: evil, namespace: poc-mesh}\r\n' +
    '\u001b]0;pwned\u0007 Authorization: Bearer s3cr3t-token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('a Status message with CR, ESC and tokens lands escaped in status.gaps and cannot add a policy on replay', async () => {
    api = await pocCluster();
    api.faults.add(statusFault({ path: /\/peerauthentications$/ }, 500, { message: hostile }));
    const live = await listOnce();
    const text = renderSnapshotYaml(live.objects(), {
      context: 'mock',
      server: api.url,
      time: 'T',
      status: live.status(),
    });
    expect(text).not.toMatch(/[\r\u001b\u0007\u0080-\u009f]/);
    expect(text).not.toContain('s3cr3t-token');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    const list = yaml.load(text) as { status: { complete: boolean; gaps: { kind: string; reason: string }[] } };
    expect(list.status.complete).toBe(false);
    expect(list.status.gaps.map((g) => g.kind)).toEqual(['PeerAuthentication.security.istio.io']);
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-snap-'));
    writeFileSync(join(dir, 'snap.yaml'), text);
    const replayed = (await loadManifests([join(dir, 'snap.yaml')])).objects;
    const policies = replayed
      .filter((o) => o.object['kind'] === 'AuthorizationPolicy')
      .map((o) => (o.object['metadata'] as { name: string }).name);
    expect(policies).not.toContain('evil');
  });
});
