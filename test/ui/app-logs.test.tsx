import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { FeedEvent } from '../../src/ui/feeds/log-feed.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';
import { T0 } from './fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

const logLine = (text: string, time = T0, pod = 'poc-mesh/backend'): FeedEvent => ({
  type: 'log',
  time,
  pod,
  container: 'istio-proxy',
  text,
});

async function openBackendLogs(a: AppHarness): Promise<void> {
  await filterPods(a, 'backend', 'frontend');
  a.press('open-logs');
  await a.waitForText('istio-proxy poc-mesh/backend');
}

describe('logs view', () => {
  it('tails the pod istio-proxy log, keeping other pods out, with a CNI pane', async () => {
    const app = renderApp(uiData(snapshot));
    await openBackendLogs(app);
    app.feed.emit([
      logLine('debug envoy rbac enforced denied, matched policy none'),
      logLine('from another pod', T0, 'poc-mesh/frontend'),
      {
        type: 'cni',
        time: T0,
        source: 'kube-router/node-1',
        severity: 'error',
        text: 'Aborting sync. Failed to run iptables-restore',
      },
    ]);
    const frame = await app.waitForText('matched policy none');
    expect(frame).not.toContain('from another pod');
    expect(frame).toContain('kube-router/node-1: Aborting sync');
  });

  it('redacts bearer tokens and JWTs in log lines as the other outputs do (issue 17)', async () => {
    const app = renderApp(uiData(snapshot));
    await openBackendLogs(app);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXN0dWZm';
    app.feed.emit([logLine(`debug rbac headers: 'authorization', 'Bearer opaque-secret-1' 'x-jwt', '${jwt}' done`)]);
    const frame = await app.waitForText('done');
    expect(frame).not.toContain('opaque-secret-1');
    expect(frame).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });

  it('filters lines and shows only RBAC lines on r', async () => {
    const app = renderApp(uiData(snapshot));
    await openBackendLogs(app);
    app.feed.emit([logLine('info upstream connect ok'), logLine('debug rbac checking request: requestedServerName')]);
    await app.waitForText('upstream connect ok');
    app.press('logs-rbac-only', 'logs');
    await app.waitForNoText('upstream connect ok');
    expect(app.frame()).toContain('rbac only');
    app.press('logs-rbac-only', 'logs');
    app.press('filter', 'logs');
    app.type('upstream\r');
    const frame = await app.waitForNoText('checking request');
    expect(frame).toContain('upstream connect ok');
  });

  it('time windows drop older lines (k9s 1-6 keys)', async () => {
    const app = renderApp(uiData(snapshot));
    await openBackendLogs(app);
    app.clock.now = T0 + 10 * 60_000;
    app.feed.emit([logLine('old line', T0), logLine('new line', T0 + 10 * 60_000)]);
    await app.waitForText('old line');
    app.press('logs-window-1m', 'logs');
    await app.waitForNoText('old line');
    expect(app.frame()).toContain('last 1m');
    app.press('logs-window-all', 'logs');
    await app.waitForText('old line');
  });

  it('toggles wrap and autoscroll', async () => {
    const app = renderApp(uiData(snapshot), { columns: 60 });
    await openBackendLogs(app);
    app.feed.emit([logLine(`long ${'x'.repeat(80)} END`)]);
    await app.waitForText('long');
    expect(app.frame()).not.toContain('END');
    app.press('logs-wrap', 'logs');
    await app.waitForText('END');
    app.press('logs-autoscroll', 'logs');
    await app.waitForText('autoscroll:off');
  });

  it('strips control sequences from log lines', async () => {
    const app = renderApp(uiData(snapshot));
    await openBackendLogs(app);
    app.feed.emit([logLine('evil \u001b[31mred\u001b[0m \u001b]52;c;Zm9v\u0007done')]);
    const frame = await app.waitForText('evil red done');
    expect(frame).not.toContain('\u001b');
  });
});
