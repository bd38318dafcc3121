import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';
import { paymentsDenial, T0 } from './fixtures/denials.js';
import { nextSort, sortRows, type SortColumn } from '../../src/ui/state/table-sort.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

const selectedRow = (frame: string): string | undefined => frame.split('\n').find((l) => l.startsWith('>'));

describe(':svc', () => {
  it('lists the Services with ports and selected pods; Shift+N sorts by name (marked), again reverses', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120 });
    await app.waitForText('payments');
    app.press('command');
    app.type('svc\r');
    const frame = await app.waitForText('CLUSTER-IP');
    expect(frame).toMatch(/poc-mesh\s+backend\s+ClusterIP\s+\S+\s+80\/http->http TCP/);
    expect(frame).toContain('istiod');
    app.type('N');
    const up = await app.waitForText('NAME↑');
    expect(up.indexOf('backend')).toBeLessThan(up.indexOf('istiod'));
    app.type('N');
    const down = await app.waitForText('NAME↓');
    expect(down.indexOf('istiod')).toBeLessThan(down.indexOf('backend'));
  });

  it('d (and Enter) describes a Service: ports, selector, the pods and their policies', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120, rows: 40 });
    await app.waitForText('payments');
    app.press('command');
    app.type('svc\r');
    await app.waitForText('CLUSTER-IP');
    app.type('/backend\r');
    await app.waitForNoText('istiod');
    app.press('describe', 'services');
    const frame = await app.waitForText('Pods selected (1)');
    expect(frame).toContain('Service poc-mesh/backend');
    expect(frame).toContain('selector app=backend');
    expect(frame).toMatch(/AuthorizationPolicies: [\s\S]*backend-allow-frontend-read/);
  });
});

describe(':ns alone', () => {
  it('lists namespaces to pick from; Enter picks one and the header counts follow it', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120 });
    await app.waitForText('payments');
    const all = app.frame();
    expect(all).toMatch(/ns:all\s+pods:(\d+)/);
    app.press('command');
    app.type('ns\r');
    const list = await app.waitForText('POLICIES');
    expect(list).toMatch(/istio-system\s+\d+/);
    expect(list).toMatch(/poc-mesh\s+\d+\s+\d+/);
    app.type('/istio\r');
    await app.waitForNoText(/^.*poc-mesh\s+\d+\s+\d+/m);
    app.press('pick-namespace', 'namespaces');
    const picked = await app.waitForText('ns:istio-system');
    expect(picked).toMatch(/ns:istio-system\s+pods:1\s+policies:0/);
    expect(picked).not.toContain('payments');
  });

  it('0 in the picker goes back with all namespaces', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120 });
    await app.waitForText('payments');
    app.press('command');
    app.type('ns istio-system\r');
    await app.waitForText('ns:istio-system');
    app.press('command');
    app.type('ns\r');
    await app.waitForText('POLICIES');
    app.press('all-namespaces', 'namespaces');
    await app.waitForText('ns:all');
  });
});

describe('header denial counters', () => {
  it('count every denial kept besides the recent ones, so recorded logs count', async () => {
    const app = renderApp(uiData(snapshot), { columns: 140 });
    await app.waitForText('payments');
    app.feed.emit([{ ...paymentsDenial(T0 - 3_600_000, 3), id: 'old' }, paymentsDenial(T0, 2)]);
    await app.waitForText('denials(5m):2 all:5');
    app.press('command');
    app.type('ns istio-system\r');
    await app.waitForText(/denials\(5m\):0\s/);
  });
});

describe('Shift-sort on the denials and policies tables', () => {
  it('sorts denials by count with N, the selection staying on the same denial', async () => {
    const app = renderApp(uiData(snapshot), { columns: 140 });
    await app.waitForText('payments');
    const d = paymentsDenial();
    app.feed.emit([
      { ...d, id: 'a', source: 'poc-mesh/frontend', count: 1, time: T0 },
      { ...d, id: 'b', source: 'poc-mesh/payments', count: 9, time: T0 - 1000 },
    ]);
    app.press('command');
    app.type('denials\r');
    await app.waitForText('POLICY[RULE]');
    await app.waitForText('poc-mesh/payments ');
    expect(selectedRow(app.frame())).toContain('poc-mesh/frontend');
    app.type('N');
    const sorted = await app.waitForText(/N↑/);
    expect(sorted.indexOf('poc-mesh/frontend ')).toBeLessThan(sorted.indexOf('poc-mesh/payments '));
    app.type('N');
    const reversed = await app.waitForText(/N↓/);
    expect(reversed.indexOf('poc-mesh/payments ')).toBeLessThan(reversed.indexOf('poc-mesh/frontend '));
    expect(selectedRow(reversed)).toContain('poc-mesh/frontend');
  });

  it('sorts policies by kind with K', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120, rows: 30 });
    await app.waitForText('payments');
    app.press('command');
    app.type('policies\r');
    await app.waitForText('SUMMARY');
    app.type('K');
    const frame = await app.waitForText('KIND↑');
    const kinds = frame
      .split('\n')
      .map((l) => /^[> ] ?(AuthorizationPolicy|NetworkPolicy|PeerAuthentication|RequestAuthentication)\b/.exec(l)?.[1])
      .filter((k) => k !== undefined);
    expect(kinds.length).toBeGreaterThan(1);
    expect(kinds).toEqual([...kinds].sort());
  });
});

describe('table sort', () => {
  const cols: SortColumn<{ n: number; s: string }>[] = [
    { key: 'N', title: 'N', value: (r) => r.n },
    { key: 'S', title: 'S', value: (r) => r.s },
  ];
  it('numbers numerically, text by locale, ties stable; same key reverses', () => {
    const rows = [
      { n: 10, s: 'b' },
      { n: 9, s: 'a' },
      { n: 10, s: 'a' },
    ];
    expect(sortRows(rows, cols, { key: 'N', descending: false }).map((r) => `${r.n}${r.s}`)).toEqual([
      '9a',
      '10b',
      '10a',
    ]);
    expect(nextSort({ key: 'N', descending: false }, 'N')).toEqual({ key: 'N', descending: true });
    expect(nextSort({ key: 'N', descending: true }, 'S')).toEqual({ key: 'S', descending: false });
  });
});

describe('d describes the selected object in every list', () => {
  it('a pod: its detail', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120, rows: 40 });
    await app.waitForText('payments');
    app.press('describe');
    await app.waitForText(/<pods> <poc-mesh\/|<pods> <istio-system\//);
  });

  it('a policy: the policy document', async () => {
    const app = renderApp(uiData(snapshot), { columns: 120, rows: 40 });
    await app.waitForText('payments');
    app.press('command');
    app.type('ap\r');
    await app.waitForText('backend-allow-frontend-read');
    app.press('describe', 'policies');
    await app.waitForText('<policies> <AuthorizationPolicy/');
  });
});
