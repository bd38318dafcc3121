/**
 * A private control plane (the shared one stays up for the other files), its watch cache off so
 * lists are served by etcd: a list paged in small chunks with etcd compacted between two pages
 * (the continue token expires: 410) restarts and loses nothing; then etcd is stopped and one-shot
 * commands say what failed and exit 3 ("nothing needed could be read from the cluster").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  adminClient,
  createControlPlane,
  loadControlPlane,
  stopControlPlane,
  stopEtcd,
  type ControlPlaneState,
} from './lib/control-plane.js';
import { runCli } from './lib/harness.js';
import { startPagerProxy } from './lib/pager-proxy.js';
import { expectOk } from './lib/rest.js';
import { dump } from 'js-yaml';
import { SNAPSHOT_KINDS } from '../../src/sources/kube/kinds.js';
import { resolveKubeContext } from '../../src/sources/kube/kubeconfig.js';
import { createLiveSource } from '../../src/sources/kube/live-source.js';
import { adminKubeconfig } from './lib/users.js';

let dir: string;
let state: ControlPlaneState;
let kubeconfig: string;

/** A kubeconfig for the plain-HTTP proxy (it adds the admin's certificate upstream). */
const plainKubeconfig = (server: string) => ({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'proxy', cluster: { server } }],
  users: [{ name: 'proxy', user: {} }],
  contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy' } }],
  'current-context': 'proxy',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshdbg-faults-'));
  state = await createControlPlane(dir, loadControlPlane(inject('clusterDir')).binDir, ['--watch-cache=false']);
  kubeconfig = adminKubeconfig(state);
});
afterAll(async () => {
  await stopControlPlane(state);
  rmSync(dir, { recursive: true, force: true });
});

describe('a paged list whose continue token expires', () => {
  it('gets 410 on the continued page, lists again in full and keeps every object', async () => {
    const admin = adminClient(state);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } };
    await expectOk(admin.call('POST', '/api/v1/namespaces', ns), 'namespace paging');
    const names = Array.from({ length: 23 }, (_, i) => `np-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      const np = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name },
        spec: { podSelector: {} },
      };
      await expectOk(admin.call('POST', '/apis/networking.k8s.io/v1/namespaces/paging/networkpolicies', np), name);
    }
    const proxy = await startPagerProxy(state, admin, 'paging', 'networkpolicies');
    const file = join(dir, 'proxy.kubeconfig');
    writeFileSync(file, dump(plainKubeconfig(proxy.url)));
    const kinds = SNAPSHOT_KINDS.filter(
      (k) => k.kind === 'Namespace' || k.kind === 'Pod' || k.group === 'networking.k8s.io',
    );
    const context = resolveKubeContext({ kubeconfig: file, context: null, env: {}, homeDir: dir });
    const source = createLiveSource({
      context,
      namespaces: [],
      allNamespaces: true,
      requestTimeoutMs: 10_000,
      kinds,
      watch: false,
      reflector: { pageSize: 5 },
    });
    try {
      await source.start().catch((err: Error) => {
        throw new Error(`${err.message}; requests: ${JSON.stringify(proxy.log)}`);
      });
      const listed = source
        .objects()
        .filter((o) => o.object['kind'] === 'NetworkPolicy')
        .map((o) => String((o.object['metadata'] as Record<string, unknown>)['name']))
        .sort();
      expect(listed).toEqual(names);
      const npRequests = proxy.log.filter((r) => r.url.includes('/networkpolicies'));
      const expired = npRequests.findIndex((r) => r.url.includes('continue=') && r.status === 410);
      expect(expired, JSON.stringify(npRequests)).toBeGreaterThan(0);
      expect(npRequests[expired + 1]).toMatchObject({ status: 200 });
      expect(npRequests[expired + 1]!.url).not.toMatch(/continue=/);
      expect(source.status().partial).toEqual([]);
    } finally {
      source.stop();
      await proxy.close();
    }
  });
});

describe('etcd stopped under a running apiserver', () => {
  it('before: the same commands read the cluster', async () => {
    const snap = await runCli(['snapshot', '-A', '--kubeconfig', kubeconfig]);
    expect(snap.code, snap.stderr).toBe(0);
  });

  it('snapshot and explain exit 3 with an error that names the cluster, not a stack trace', async () => {
    await stopEtcd(state);
    const args = ['--kubeconfig', kubeconfig, '--request-timeout', '5s'];
    const snap = await runCli(['snapshot', '-A', ...args]);
    const explain = await runCli(['explain', 'default/a', 'default/b', '--port', '80', ...args]);
    for (const r of [snap, explain]) {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/127\.0\.0\.1|cluster|apiserver|server/i);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });
});
