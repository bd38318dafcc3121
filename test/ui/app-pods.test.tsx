import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

describe('pods view', () => {
  it('shows the header, the pods of the source and key hints from the keymap', async () => {
    const app = renderApp(uiData(snapshot));
    const frame = await app.waitForText('payments');
    expect(frame).toContain('meshdbg  demo poc-mesh');
    expect(frame).toMatch(/pods:5\s+policies:\d+\s+denials\(5m\):0/);
    expect(frame).toContain('istioctl:not found');
    expect(frame).toMatch(/poc-mesh\s+backend\s+tmpl\s+sidecar\s+backend-sa\s+-\s+3\s+STRICT/);
    expect(frame).toMatch(/debug-no-sidecar\s+tmpl\s+-\s+debug-sa/);
    expect(frame).toContain('/ filter');
    // the first row is istiod, without a sidecar: the keys that need one are not offered
    expect(frame).not.toContain('l logs');
    expect(frame).not.toContain('L log level');
    app.press('cursor-down');
    const onBackend = await app.waitForText('L log level [write]');
    expect(onBackend).toContain('l logs');
  });

  it('filters as you type, taking a whole pasted word in one event', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('frontend');
    app.press('filter');
    app.type('payments');
    const frame = await app.waitForNoText('frontend');
    expect(frame).toContain('/payments');
    expect(frame).toMatch(/poc-mesh\s+payments/);
  });

  it('drills into a pod with Enter and comes back with Esc', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('filter');
    app.type('backend\r');
    await app.waitForNoText('frontend');
    app.press('open');
    const detail = await app.waitForText('Istio policies in force');
    expect(detail).toMatch(/DENY\s+backend-deny-payments-example\.poc-mesh\s+1/);
    expect(detail).toMatch(/ALLOW\s+backend-allow-frontend-read\.poc-mesh\s+1/);
    expect(detail).toContain('mode STRICT (PeerAuthentication poc-mesh/default)');
    expect(detail).toContain('<pods> <poc-mesh/backend>');
    app.press('back', 'pod');
    await app.waitForNoText('Istio policies in force');
  });

  it('switches namespace with :ns and says so', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('istiod');
    app.press('command');
    app.type('ns poc-mesh\r');
    const frame = await app.waitForNoText('istiod');
    expect(frame).toContain('ns:poc-mesh');
    expect(frame).toContain('namespace: poc-mesh');
  });

  it('fits 80x24 without a line wider than the terminal', async () => {
    const app = renderApp(uiData(snapshot), { columns: 80, rows: 24 });
    const frame = await app.waitForText('payments');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  it('shows help for the current view from the keymap, with writes marked', async () => {
    const app = renderApp(uiData(snapshot), { rows: 60 });
    await app.waitForText('payments');
    app.press('cursor-down');
    await app.waitForText('L log level');
    app.press('help');
    const frame = await app.waitForText('Keys of the pods view');
    expect(frame).toContain('Fuzzy filter pods by name, namespace, labels, service account');
    expect(frame).toContain('Global keys');
    expect(frame).toMatch(/L\s+\[write\] Raise the rbac logger/);
  });

  it('hides the write key in read-only mode', async () => {
    const app = renderApp(uiData(snapshot, { readonly: true }));
    const frame = await app.waitForText('payments');
    expect(frame).not.toContain('log level');
    expect(frame).toContain('read-only');
  });

  it('help lists only keys that can act, and q closes help instead of quitting', async () => {
    const app = renderApp(uiData(snapshot), { rows: 60 });
    await app.waitForText('payments');
    app.press('help');
    const frame = await app.waitForText('Keys of the pods view');
    expect(frame).not.toContain('Tail the istio-proxy log');
    expect(frame).toContain('Open the pod detail');
    app.type('q');
    await app.waitForNoText('Keys of the pods view');
    expect(app.quits.count).toBe(0);
  });

  it('Esc at the top view changes nothing but says nothing is above', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('back');
    await app.waitForText('nothing is above this view');
    expect(app.frame()).toContain('<pods>');
  });

  it('l on a pod without a sidecar says there is no istio-proxy', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('open-logs');
    await app.waitForText('no istio-proxy in this pod');
    expect(app.frame()).not.toContain('istio-proxy poc-mesh');
  });

  it('quits on q', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('quit');
    await app.waitForText('payments');
    await expect.poll(() => app?.quits.count).toBe(1);
  });
});

describe('terminal control sequences from manifests', () => {
  it('never reach the screen (pod names, namespaces, labels)', async () => {
    const evil = snapshot.pods.map((p) =>
      p.name === 'payments'
        ? { ...p, name: 'pay\u001b[31m\u001b[2J\u001b]0;pwned\u0007ments', labels: { ...p.labels, x: '\u001b[31mred' } }
        : p,
    );
    const app = renderApp(uiData({ ...snapshot, pods: evil }));
    const frame = await app.waitForText('payments');
    expect(frame).not.toContain('\u001b');
    expect(frame).not.toContain('pwned');
    app.press('filter');
    app.type('payments\r');
    app.press('open');
    const detail = await app.waitForText('Istio policies in force');
    expect(detail).toContain('Pod poc-mesh/payments');
    expect(detail).not.toContain('\u001b');
  });
});

describe('live updates', () => {
  it('shows a rebuilt Snapshot in place, keeping the view and the filter', async () => {
    const app = renderApp(uiData(snapshot));
    await app.waitForText('payments');
    app.press('filter');
    app.type('pay\r');
    await app.waitForNoText('frontend');
    const template = snapshot.pods.find((p) => p.name === 'payments');
    if (!template) throw new Error('no payments pod');
    const added = { ...template, name: 'payments-canary' };
    const pods = [...snapshot.pods, added];
    app.setData(
      uiData({
        ...snapshot,
        pods,
        index: {
          ...snapshot.index,
          podsByNamespace: new Map([
            ...snapshot.index.podsByNamespace,
            ['poc-mesh', pods.filter((p) => p.namespace === 'poc-mesh')],
          ]),
        },
      }),
    );
    const frame = await app.waitForText('payments-canary');
    expect(frame).toContain('pods:6');
    expect(frame).toContain('/pay');
    expect(frame).not.toContain('frontend');
  });
});
