import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';
import { paymentsDenial, T0 } from './fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

describe('denials view', () => {
  it('lists the correlated denials newest first with repeats counted', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.feed.emit([paymentsDenial(T0, 1), paymentsDenial(T0 + 1000, 2)]);
    await app.waitForText('denials(5m):2');
    app.press('command');
    app.type('denials\r');
    const frame = await app.waitForText('POLICY[RULE]');
    expect(frame).toMatch(
      /12:00:01\s+2\s+poc-mesh\/payments\s+poc-mesh\/backend\s+.*poc-mesh\/backend-deny-payments-example\[0\]/,
    );
    expect(frame).toContain('ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]');
  });

  it('counts in the header the lines that looked like denials but were not understood, also while frozen', async () => {
    const app = renderApp(uiData(snapshot), { columns: 140 });
    await app.waitForText('payments');
    expect(app.frame()).not.toContain('not-understood');
    app.feed.emit([{ type: 'unrecognized', added: 2 }]);
    await app.waitForText('not-understood:2');
    app.press('freeze');
    app.feed.emit([{ type: 'unrecognized', added: 1 }, paymentsDenial()]);
    await app.waitForText('not-understood:3');
  });

  it('opens a denial: the policy with the deciding rule highlighted, and the evidence', async () => {
    const app = renderApp(uiData(snapshot), { rows: 60 });
    await app.waitForText('payments');
    app.feed.emit([paymentsDenial()]);
    app.press('command');
    app.type('denials\r');
    await app.waitForText('backend-deny-payments-example');
    app.press('open', 'denials');
    const frame = await app.waitForText('Evidence');
    expect(frame).toContain('AuthorizationPolicy poc-mesh/backend-deny-payments-example');
    expect(frame).toContain('▶ rules[0] (decided)');
    expect(frame).toContain('payments-sa');
    expect(frame).toContain('enforced denied, matched policy');
  });

  it('says so when the proxy names a policy the Snapshot lacks (stale config)', async () => {
    const app = renderApp(uiData(snapshot), { rows: 40 });
    await app.waitForText('payments');
    const stale = paymentsDenial();
    app.feed.emit([
      { ...stale, policy: { ...stale.policy!, name: 'gone' }, ruleRef: 'ns[poc-mesh]-policy[gone]-rule[0]' },
    ]);
    await app.waitForText('denials(5m):1');
    app.press('command');
    app.type('denials\r\r');
    await app.waitForText('the proxy enforces stale config');
  });

  it('strips terminal control sequences from denial text', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.feed.emit([{ ...paymentsDenial(), request: 'GET /\u001b[2J\u001b]0;owned\u0007x' }]);
    app.press('command');
    app.type('denials\r');
    const frame = await app.waitForText('GET /x');
    expect(frame).not.toContain('\u001b]0');
    expect(frame).not.toContain('owned');
  });
});

describe('matched policy none', () => {
  it('shows the nearest miss with its clauses and the nearest rule highlighted', async () => {
    const app = renderApp(uiData(snapshot), { rows: 80, columns: 140 });
    await app.waitForText('payments');
    const miss = {
      policy: {
        kind: 'AuthorizationPolicy',
        namespace: 'poc-mesh',
        name: 'backend-allow-frontend-read',
        rule: 0,
        ruleRef: 'ns[poc-mesh]-policy[backend-allow-frontend-read]-rule[0]',
      },
      clauses: [{ field: 'to.operation.methods', ok: false, expected: ['GET'], actual: 'POST' }],
    };
    app.feed.emit([
      {
        ...paymentsDenial(),
        source: 'poc-mesh/frontend',
        request: 'POST /api/orders :8080',
        layer: 'authz-allow',
        policy: null,
        ruleRef: null,
        nearestMiss: [miss],
      },
    ]);
    await app.waitForText('denials(5m):1');
    app.press('command');
    app.type('denials\r');
    await app.waitForText('matched policy none');
    app.press('open', 'denials');
    const frame = await app.waitForText('Nearest rule');
    expect(frame).toContain('matched policy none: ALLOW policies exist and none matched');
    // the report layer's one nearest-miss formatter, as `explain` prints it
    expect(frame).toContain(
      'AuthorizationPolicy poc-mesh/backend-allow-frontend-read rule 0: to.operation.methods wants GET, got POST',
    );
    expect(frame).toContain('ALLOW policies in force on the destination (none matched)');
    expect(frame).toMatch(/AuthorizationPolicy poc-mesh\/backend-allow-frontend-read\s+ALLOW/);
    expect(frame).toContain('▶ rules[0] (nearest miss)');
  });
});
