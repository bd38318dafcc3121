import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { AuthzDisplayRow, LiveAuthzCheck } from '../../src/ui/data/engine-port.js';
import { waitFor } from '../helpers/wait-for.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { filterPods, renderApp, unmountAppsAfterEach, type AppHarness } from './fixtures/app.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

function liveCheck(
  rows: readonly AuthzDisplayRow[],
  pending = false,
  issues: readonly string[] = [],
): LiveAuthzCheck & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    via: 'istioctl',
    signals,
    read: (_pod, signal) => {
      signals.push(signal);
      return pending ? new Promise(() => undefined) : Promise.resolve({ rows, issues });
    },
  };
}

async function openBackend(a: AppHarness): Promise<void> {
  await filterPods(a, 'backend', 'frontend');
  a.press('open');
}

describe('pod detail on a live source', () => {
  it('shows the proxy table and where it differs from the Snapshot', async () => {
    const live = liveCheck([
      { action: 'ALLOW', policy: 'backend-allow-frontend-read.poc-mesh', rules: 1 },
      { action: 'ALLOW', policy: 'namespace-deny-all.poc-mesh', rules: 1 },
      { action: 'ALLOW', policy: 'old-allow-all.poc-mesh', rules: 1 },
    ]);
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: live }), { rows: 60 });
    await openBackend(app);
    const frame = await app.waitForText('Live, from the proxy (istioctl)');
    await app.waitForText('proxy still enforces ALLOW old-allow-all.poc-mesh, which the cluster no longer has');
    expect(app.frame()).toContain('proxy does not enforce DENY backend-deny-payments-example.poc-mesh yet');
    expect(frame).toContain('from the Snapshot');
  });

  // The drift check (sources/envoy-admin/drift.ts) compares rule counts per policy: an edited
  // policy is one difference, not a policy "only on the proxy" plus one "only in the Snapshot".
  it('reports a policy whose rule count differs once, with both counts', async () => {
    const live = liveCheck([
      { action: 'DENY', policy: 'backend-deny-payments-example.poc-mesh', rules: 1 },
      { action: 'ALLOW', policy: 'backend-allow-frontend-read.poc-mesh', rules: 3 },
      { action: 'ALLOW', policy: 'namespace-deny-all.poc-mesh', rules: 1 },
    ]);
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: live }), { rows: 60, columns: 160 });
    await openBackend(app);
    await app.waitForText('ALLOW backend-allow-frontend-read.poc-mesh: proxy has 3 rules, the cluster 1');
    expect(app.frame()).not.toContain('still enforces');
    expect(app.frame()).not.toContain('does not enforce');
  });

  it('says when they agree', async () => {
    const same = [
      { action: 'DENY', policy: 'backend-deny-payments-example.poc-mesh', rules: 1 },
      { action: 'ALLOW', policy: 'backend-allow-frontend-read.poc-mesh', rules: 1 },
      { action: 'ALLOW', policy: 'namespace-deny-all.poc-mesh', rules: 1 },
    ];
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: liveCheck(same) }), { rows: 60 });
    await openBackend(app);
    await app.waitForText('same as the Snapshot');
  });

  // A proxy answer we could not read (a config_dump that does not parse, a table line that is not
  // ACTION/policy/RULES) must not read as "no policies" or "the proxy does not enforce X yet".
  it('shows what of the answer it could not understand, and does not compare a partial table', async () => {
    const issue = 'line 4: RULES is not a number: "x"';
    const partial = liveCheck([{ action: 'ALLOW', policy: 'namespace-deny-all.poc-mesh', rules: 1 }], false, [issue]);
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: partial }), { rows: 60, columns: 160 });
    await openBackend(app);
    await app.waitForText(issue);
    expect(app.frame()).toContain(
      'not compared with the Snapshot: part of the answer from istioctl was not understood',
    );
    expect(app.frame()).not.toContain('does not enforce');
    expect(app.frame()).not.toContain('same as the Snapshot');
  });

  it('does not call an unreadable answer "every request is allowed"', async () => {
    const issue = 'line 1: no "ACTION AuthorizationPolicy RULES" header found';
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: liveCheck([], false, [issue]) }), {
      rows: 60,
      columns: 160,
    });
    await openBackend(app);
    await app.waitForText('no policy rows understood');
    const live = app.frame().split('Live, from the proxy')[1] ?? '';
    expect(live).not.toContain('every request is allowed');
  });

  it('aborts the read when the user leaves the pod (latest wins)', async () => {
    const live = liveCheck([], true);
    const app = renderApp(uiData(snapshot, { liveAuthzCheck: live }), { rows: 60 });
    await openBackend(app);
    await app.waitForText('reading...');
    await waitFor(() => expect(live.signals).toHaveLength(1));
    app.press('back', 'pod');
    await waitFor(() => expect(live.signals[0]?.aborted).toBe(true));
  });
});

describe('pod detail of an ambient pod on a live source', () => {
  it("shows the node ztunnel's policies for the pod and where they differ from the Snapshot", async () => {
    const ambient = await exampleSnapshot('ambient-mesh');
    const seen: string[] = [];
    const live: LiveAuthzCheck = {
      via: 'istioctl',
      read: () => Promise.reject(new Error('ambient pods have no sidecar to ask')),
      readAmbient: (pod) => {
        seen.push(pod.name);
        return Promise.resolve({
          from: 'ztunnel istio-system/ztunnel-abcde (config_dump)',
          rows: [{ action: 'ALLOW', policy: 'ratings-l4.shop', rules: 1 }],
          messages: ['ztunnel enforces ALLOW shop/old-l4, which the Snapshot does not: stale or newer config'],
        });
      },
    };
    const app = renderApp(uiData(ambient, { liveAuthzCheck: live }), { rows: 90, columns: 200 });
    await app.waitForText('ratings');
    app.press('filter');
    app.type('ratings\r');
    await app.waitForNoText('productpage');
    app.press('open');
    await app.waitForText('Live, from ztunnel istio-system/ztunnel-abcde (config_dump)');
    await app.waitForText('ztunnel enforces ALLOW shop/old-l4, which the Snapshot does not');
    expect(seen[0]).toMatch(/^ratings/);
  });
});
