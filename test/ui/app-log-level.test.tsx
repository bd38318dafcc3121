import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';
import { fakeFeed } from './fixtures/fake-feed.js';
import { T0 } from './fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

async function selectBackend(a: AppHarness): Promise<void> {
  await filterPods(a, 'backend', 'frontend');
}

describe('log level (L, a write)', () => {
  it('asks first, then raises rbac to debug on the workload pods and shows it in the header', async () => {
    const app = renderApp(uiData(snapshot));
    await selectBackend(app);
    app.press('log-level');
    const confirm = await app.waitForText(
      '[write] Raise rbac to debug on 1 pods of poc-mesh/Deployment/backend for 10m? [y/n]',
    );
    expect(confirm).toContain('y yes [write]');
    expect(app.feed.calls).toEqual([]);
    app.press('confirm-yes', 'confirm');
    const frame = await app.waitForText('raised rbac on 1 pods of poc-mesh/Deployment/backend to debug');
    expect(frame).toContain('log level raised: poc-mesh/Deployment/backend rbac:debug 10m left');
    expect(app.feed.calls).toEqual([
      { namespace: 'poc-mesh', workload: 'Deployment/backend', pods: ['backend'], loggers: ['rbac'], level: 'debug' },
    ]);
  });

  it('can add the jwt and ext_authz loggers before confirming', async () => {
    const app = renderApp(uiData(snapshot));
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('Raise rbac to debug');
    app.press('confirm-toggle-jwt', 'confirm');
    app.press('confirm-toggle-ext-authz', 'confirm');
    await app.waitForText('Raise rbac,jwt,ext_authz to debug');
    app.press('confirm-toggle-jwt', 'confirm');
    await app.waitForText('Raise rbac,ext_authz to debug');
    app.press('confirm-yes', 'confirm');
    await app.waitForText('raised rbac,ext_authz on 1 pods');
    expect(app.feed.calls[0]?.loggers).toEqual(['rbac', 'ext_authz']);
  });

  it('does nothing when cancelled', async () => {
    const app = renderApp(uiData(snapshot));
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('[y/n]');
    app.press('confirm-no', 'confirm');
    await app.waitForText('cancelled: nothing changed');
    expect(app.feed.calls).toEqual([]);
  });

  it('caps the number of pods and says so', async () => {
    const data = { ...uiData(snapshot), logLevelPodCap: 0 };
    const app = renderApp(data);
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('on 0 pods (capped from 1)');
  });

  it('restores the level when the time limit passes', async () => {
    const app = renderApp(uiData(snapshot));
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('[y/n]');
    app.press('confirm-yes', 'confirm');
    await app.waitForText('raised rbac on 1 pods');
    app.clock.now = T0 + 10 * 60_000 + 1;
    await app.waitForNoText('log level raised');
    await app.waitForText('restored rbac on 1 pods');
    expect(app.feed.calls.map((c) => c.level)).toEqual(['debug', 'info']);
  });

  it('restores raised levels on quit before exiting', async () => {
    const app = renderApp(uiData(snapshot));
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('[y/n]');
    app.press('confirm-yes', 'confirm');
    await app.waitForText('raised rbac on 1 pods');
    app.press('quit');
    await expect.poll(() => app?.quits.count).toBe(1);
    expect(app.feed.calls.map((c) => c.level)).toEqual(['debug', 'info']);
  });

  it('refuses with the reason on a pod without a sidecar', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('filter');
    app.type('debug-no\r');
    await app.waitForNoText('frontend');
    app.press('log-level');
    await app.waitForText('error: poc-mesh/debug-no-sidecar has no istio-proxy sidecar');
  });

  it('explains why manifests cannot change log levels', async () => {
    const app = renderApp(uiData(snapshot, { canSetLogLevel: false }));
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('error: manifests have no running proxies: log levels change in `meshdbg demo`');
    expect(app.feed.calls).toEqual([]);
  });

  it('reports a failed write as an error and drops the raised marker', async () => {
    const app = renderApp(uiData(snapshot), {
      feed: fakeFeed(() => ({ changed: 0, errors: ['forbidden: pods/portforward'] })),
    });
    await selectBackend(app);
    app.press('log-level');
    await app.waitForText('[y/n]');
    app.press('confirm-yes', 'confirm');
    const frame = await app.waitForText('error: log level: forbidden: pods/portforward');
    expect(frame).not.toContain('log level raised');
  });
});
