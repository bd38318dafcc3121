/** The TUI `:map` view: allowed edges of the namespace beside denials seen, filter, sort, Enter explains the edge. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { REAL_ENGINE } from '../../src/ui/data/real-engine.js';
import { recordingEngine, uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';
import { paymentsDenial } from './fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

async function openMap(app: AppHarness): Promise<string> {
  await app.waitForText('payments');
  app.press('command');
  app.type('map\r');
  return app.waitForText('HTTP RULES');
}

describe(':map view', () => {
  it('lists the allowed edges with ports, mTLS and the HTTP rules that admit requests', async () => {
    const app = renderApp(uiData(snapshot), { columns: 200, rows: 40 });
    const frame = await openMap(app);
    // examples/poc-mesh: backend admits frontend only for GET /api/orders and /health on 8080 (golden map)
    expect(frame).toMatch(/poc-mesh\/Deployment\/frontend\s+poc-mesh\/Deployment\/backend\s+TCP 8080 mTLS/);
    expect(frame).toContain('only methods=GET paths=/api/orders|/health');
    expect(frame).toContain('map');
  });

  it('filters edges by text and counts the denials the logs showed for a pair', async () => {
    const app = renderApp(uiData(snapshot), { columns: 200, rows: 40 });
    await openMap(app);
    app.feed.emit([paymentsDenial(undefined, 3)]);
    app.press('filter', 'map');
    app.type('payments\r');
    // payments -> backend: TCP denied at authz (golden map), UDP/SCTP allowed; the logs showed 3 denials
    const frame = await app.waitForText(
      /poc-mesh\/Deployment\/payments\s+poc-mesh\/Deployment\/backend\s+UDP all, SCTP all\s+default\s+-\s+3\s/,
    );
    expect(frame).not.toContain('poc-mesh/Deployment/frontend         poc-mesh/Deployment/backend');
  });

  it('Enter explains the edge: its source pod to its destination pod on the first allowed port', async () => {
    const { queries, engine } = recordingEngine();
    const app = renderApp(uiData(snapshot, { engine }), { columns: 200, rows: 50 });
    await openMap(app);
    app.press('filter', 'map');
    app.type('api/orders\r');
    await app.waitForNoText('Deployment/payments ');
    app.press('open', 'map');
    await app.waitForText('explain poc-mesh/frontend');
    const q = queries.at(-1);
    expect(q?.src).toBe('poc-mesh/frontend');
    expect(q?.dst).toBe('poc-mesh/backend');
    expect(q?.port).toBe(8080);
  });

  it('Enter on an edge from an external class explains it from the address the map evaluated the class with', async () => {
    const { queries, engine } = recordingEngine();
    const app = renderApp(uiData(snapshot, { engine }), { columns: 200, rows: 50 });
    await openMap(app);
    app.press('filter', 'map');
    app.type('istiod\r');
    // sorted by source: external/0.0.0.0/0 -> istiod (TCP all) comes first
    await app.waitForText(/external\/0\.0\.0\.0\/0\s+istio-system\/Deployment\/istiod/);
    app.press('open', 'map');
    const frame = await app.waitForText(/verdict: \w+/);
    const address = REAL_ENGINE.connectivityMap(snapshot, null).addresses.get('external/0.0.0.0/0');
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(queries.at(-1)).toMatchObject({
      src: address,
      dst: expect.stringMatching(/^istio-system\/istiod/),
      port: 1,
    });
    expect(frame).toMatch(/verdict: allowed/);
  });

  it('follows a new Snapshot (live updates): the edges are those of the new one', async () => {
    const app = renderApp(uiData(snapshot), { columns: 200, rows: 40 });
    await openMap(app);
    app.setData(uiData(await exampleSnapshot('np-test')));
    const frame = await app.waitForText('np-test-1/Deployment/np-test-nginx-1');
    expect(frame).not.toContain('poc-mesh/Deployment/frontend');
  });

  it('help lists the view keys and :map', async () => {
    const app = renderApp(uiData(snapshot), { columns: 160, rows: 60 });
    await openMap(app);
    app.press('filter', 'map');
    app.type('api/orders\r');
    await app.waitForNoText('Deployment/payments ');
    app.press('help', 'map');
    const frame = await app.waitForText('Explain this edge');
    expect(frame).toContain(':map');
  });
});
