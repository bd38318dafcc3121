/**
 * Issue 16 item 7: a cluster's first lists (or a big --from) take seconds; the screen shows
 * objects read and what is pending meanwhile. The slow source: the local API server holds the
 * AuthorizationPolicy list until the test lets it go.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import { renderTui } from '../../helpers/render.js';
import { contextFor } from '../../sources/kube/support/fixtures.js';
import { pocCluster } from '../../sources/kube/support/poc-cluster.js';
import { createLiveSource, type LiveSource } from '../../../src/sources/kube/live-source.js';
import type { LoadProgress } from '../../../src/sources/load-progress.js';
import { createProgressStore, LoadingScreen, progressLines } from '../../../src/ui/components/loading-screen.js';

let api: KubeApiServer | null = null;
let source: LiveSource | null = null;
afterEach(async () => {
  source?.stop();
  await api?.close();
  api = null;
  source = null;
});

/** Holds every AuthorizationPolicy list until `release()`, then answers an empty list. */
function heldAuthorizationPolicies(server: KubeApiServer): { release(): void; held(): number } {
  const waiting: http.ServerResponse[] = [];
  const answer = (res: http.ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicyList',
        metadata: { resourceVersion: '1' },
        items: [],
      }),
    );
  };
  let released = false;
  server.faults.add({
    match: (req) => /\/authorizationpolicies$/.test(req.path) && !req.watching,
    times: Infinity,
    respond: (res) => (released ? answer(res) : waiting.push(res)),
  });
  return {
    release: () => {
      released = true;
      for (const res of waiting.splice(0)) answer(res);
    },
    held: () => waiting.length,
  };
}

describe('loading screen', () => {
  it('shows objects read and the kinds still being listed while a cluster answers slowly', async () => {
    api = await pocCluster();
    const gate = heldAuthorizationPolicies(api);
    const progress = createProgressStore();
    const reports: LoadProgress[] = [];
    const app = renderTui(
      <LoadingScreen source="cluster kind-poc" progress={progress} size={{ columns: 100, rows: 10 }} />,
    );
    expect(app.frame()).toContain('meshdbg  cluster kind-poc  loading');
    source = createLiveSource({
      context: contextFor(api, 'poc-mesh'),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 10_000,
      watch: false,
      onProgress: (p) => {
        reports.push(p);
        progress.report(p);
      },
    });
    const started = source.start();
    const frame = await app.waitForText(/listing: AuthorizationPolicy\.security\.istio\.io$/m, 10_000);
    expect(gate.held()).toBeGreaterThan(0);
    const waiting = reports.at(-1);
    expect(waiting?.pending).toEqual(['AuthorizationPolicy.security.istio.io']);
    expect(waiting?.objects).toBeGreaterThan(0);
    expect(frame).toContain(
      `objects read: ${waiting?.objects}   kinds: ${waiting?.done} of ${(waiting?.done ?? 0) + 1}`,
    );
    gate.release();
    await started;
    const done = await app.waitForText('building the view...');
    expect(done).toMatch(/kinds: (\d+) of \1/);
    expect(reports.at(-1)?.pending).toEqual([]);
    app.unmount();
  });

  it('lists the pending names that fit the width and counts the rest', () => {
    const p: LoadProgress = { unit: 'file', objects: 1200, done: 3, pending: ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'] };
    expect(progressLines(p, 80)).toEqual([
      'objects read: 1200   files: 3 of 7',
      'pending: a.yaml, b.yaml, c.yaml, d.yaml',
    ]);
    expect(progressLines(p, 30)).toEqual(['objects read: 1200   files: 3 of 7', 'pending: a.yaml, b.yaml (+2)']);
    expect(progressLines(null, 80)).toEqual(['starting...']);
  });
});
