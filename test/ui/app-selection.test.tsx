/** On screen: the highlighted denial stays the same while new ones arrive, new rows are marked, freeze is shown. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';
import { paymentsDenial, T0 } from './fixtures/denials.js';
import { NEW_DENIAL_MS } from '../../src/ui/views/denials-view.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

const frontend = (time: number) => ({ ...paymentsDenial(time), id: 'frontend', source: 'poc-mesh/frontend' });

/** The highlighted row: without colours the table marks it with a `>` gutter. */
function highlighted(frame: string): string {
  return frame.split('\n').find((l) => l.startsWith('> ')) ?? '';
}

describe('live denials on screen', () => {
  it('keeps the highlight on the denial being read and marks the rows that arrived', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.feed.emit([paymentsDenial(T0)]);
    await app.waitForText('denials(5m):1');
    app.press('command');
    app.type('denials\r');
    await app.waitForText('POLICY[RULE]');
    app.clock.now = T0 + NEW_DENIAL_MS + 1;
    app.feed.emit([frontend(T0 + 1000)]);
    const frame = await app.waitForText('poc-mesh/frontend');
    expect(highlighted(frame)).toContain('poc-mesh/payments');
    expect(frame).toMatch(/\+ 12:00:01\s+1\s+poc-mesh\/frontend/);
    expect(frame).toContain('[1 new +]');
    app.press('open', 'denials');
    await app.waitForText('Evidence');
    expect(app.frame()).toContain('poc-mesh/payments -> poc-mesh/backend');
  });

  it('the freeze key holds new denials back and says so in the footer', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('command');
    app.type('denials\r');
    await app.waitForText('no denials seen yet');
    app.press('freeze', 'denials');
    await app.waitForText('FROZEN (0 updates held)');
    app.feed.emit([paymentsDenial(T0)]);
    await app.waitForText('FROZEN (1 updates held)');
    expect(app.frame()).toContain('no denials seen yet');
    app.press('freeze', 'denials');
    await app.waitForText('poc-mesh/payments');
    expect(app.frame()).not.toContain('FROZEN');
  });
});

describe('selection through freeze and repeats', () => {
  const debug = (time: number, count: number) => ({
    ...paymentsDenial(time, count),
    id: 'debug',
    source: 'poc-mesh/debug-no-sidecar',
  });

  it('stays on a denial that repeats (and so moves to the top) while frozen', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.feed.emit([frontend(T0), debug(T0 + 1000, 1), paymentsDenial(T0 + 2000)]);
    await app.waitForText('denials(5m):3');
    app.press('command');
    app.type('denials\r');
    await app.waitForText('POLICY[RULE]');
    app.press('freeze', 'denials');
    await app.waitForText('FROZEN');
    app.press('cursor-down', 'denials');
    await app.waitForText(/^> .*debug-no-sidecar/m);
    app.feed.emit([debug(T0 + 5000, 2)]);
    await app.waitForText('FROZEN (1 updates held)');
    app.press('freeze', 'denials');
    const frame = await app.waitForNoText('FROZEN');
    expect(highlighted(frame)).toContain('debug-no-sidecar');
  });
});
