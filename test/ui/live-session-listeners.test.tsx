/**
 * Issue 17: "no abort-listener leak (today Node prints MaxListenersExceededWarning under the TUI
 * within seconds)". The live TUI session as `meshdbg` builds it on a cluster (src/commands/tui.tsx:
 * live source, live view, cluster feed following every sidecar's istio-proxy log, the App rendered
 * by Ink) runs against the local API server while every watch and every log follow ends at once,
 * for several reconnect cycles. The backoffs are the defaults, their sleeps scaled down 40 times
 * (the real abortable sleep) so the cycles take seconds. Every AbortSignal that gets an abort
 * listener is watched: no MaxListenersExceededWarning, and no signal's listener count grows with
 * the cycles (the live source raises its signals' limit, so the count is what shows a leak there).
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { createClusterFeed } from '../../src/ui/feeds/cluster-feed.js';
import { REAL_ENGINE } from '../../src/ui/data/real-engine.js';
import { snapshotFromObjects } from '../../src/model/snapshot-from-objects.js';
import { createKubeHttp } from '../../src/sources/kube/http.js';
import { followPods } from '../../src/sources/kube/follow-pods.js';
import { createLiveSource } from '../../src/sources/kube/live-source.js';
import type { LiveSource } from '../../src/sources/kube/live-source.js';
import { createLiveView } from '../../src/sources/kube/live-view.js';
import type { ReflectorClock } from '../../src/sources/kube/reflector.js';
import { sleep } from '../../src/sources/kube/sleep.js';
import { renderTui, type Rendered } from '../helpers/render.js';
import { watchEndsAtOnce } from '../helpers/kube-faults.js';
import type { KubeApiServer } from '../helpers/kube-api-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { contextFor, pod } from '../sources/kube/support/fixtures.js';
import { pocCluster } from '../sources/kube/support/poc-cluster.js';
import { uiData } from './fixtures/ui-data.js';

const PODS = 6;
const CYCLES = 5;
/** The default backoffs (client-go's 800 ms doubling), slept 40 times faster. */
const fastClock: ReflectorClock = {
  sleep: (ms, signal) => sleep(ms / 40, signal),
  random: Math.random,
  now: () => new Date(),
};

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Records every AbortSignal that gets an 'abort' listener, and the most listeners each had at once. */
function watchAbortSignals(): { max(): number; sample(): void } {
  const signals = new Set<AbortSignal>();
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
    if (this instanceof AbortSignal && args[0] === 'abort') signals.add(this);
    return add.apply(this, args);
  };
  cleanups.push(() => {
    EventTarget.prototype.addEventListener = add;
  });
  let max = 0;
  const sample = (): void => {
    for (const s of signals) max = Math.max(max, getEventListeners(s, 'abort').length);
  };
  return { max: () => max, sample };
}

async function misbehavingCluster(): Promise<KubeApiServer> {
  const api = await pocCluster();
  cleanups.push(() => api.close());
  for (let i = 0; i < PODS; i++) {
    const p = pod('poc-mesh', `sidecar-${i}`, `10.0.9.${i + 1}`);
    const containerStatuses = [{ name: 'istio-proxy', restartCount: 0 }];
    api.put({ ...p, status: { podIP: `10.0.9.${i + 1}`, phase: 'Running', containerStatuses } });
    api.logs.set('poc-mesh', `sidecar-${i}`, 'istio-proxy', [{ time: '2026-11-22T10:00:00.500000000Z', text: 'l' }]);
  }
  api.faults.add(watchEndsAtOnce(/./));
  api.logs.endFollowsAtOnce = true;
  return api;
}

/** The session runTuiOnSource builds, rendered with ink-testing-library. */
async function liveSession(api: KubeApiServer): Promise<Rendered> {
  const context = contextFor(api, 'poc-mesh');
  const source: LiveSource = createLiveSource({
    context,
    namespaces: [],
    allNamespaces: false,
    requestTimeoutMs: 2000,
    clock: fastClock,
  });
  cleanups.push(() => source.stop());
  await source.start();
  const view = createLiveView(source, (objects) => snapshotFromObjects(objects, 'poc-mesh', 'mock', 'cluster'));
  cleanups.push(() => view.dispose());
  const http = createKubeHttp(context.kc, 2000);
  const feed = createClusterFeed({
    snapshots: { current: () => view.current(), subscribe: (cb) => view.subscribe((s) => cb(s)) },
    hasSidecar: REAL_ENGINE.hasSidecar,
    follow: (targets, signal) =>
      followPods({ http, targets, signal, clock: fastClock, maxQueued: 5000, tailLines: 200 }),
    levels: null,
    clock: Date.now,
    maxPods: 50,
  });
  const app = renderTui(<App data={uiData(view.current())} feed={feed} colors={false} tickMs={20} flushMs={10} />);
  cleanups.push(() => app.unmount());
  return app;
}

/** Watch requests per collection and log follows per pod, counted from the server's log. */
function cycles(api: KubeApiServer): { watches: number; follows: number } {
  const watches = api.requests.filter((r) => /^GET \/api\/v1\/pods\?.*watch=(1|true)/.test(r)).length;
  const follows = api.requests.filter((r) =>
    /^GET \/api\/v1\/namespaces\/poc-mesh\/pods\/sidecar-0\/log\?.*follow=true/.test(r),
  ).length;
  return { watches, follows };
}

describe('the live TUI session under watches and log follows that end at once', () => {
  it('adds no abort listener per reconnect and triggers no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    cleanups.push(() => void process.off('warning', onWarning));
    const signals = watchAbortSignals();
    const api = await misbehavingCluster();
    const app = await liveSession(api);
    await app.waitForText('sidecar-0', 10_000);
    const sampler = setInterval(signals.sample, 10);
    cleanups.push(() => clearInterval(sampler));
    await waitFor(() => expect(cycles(api).follows).toBeGreaterThanOrEqual(2), 20_000, 20);
    const early = signals.max();
    await waitFor(
      () => {
        const c = cycles(api);
        expect(c.watches).toBeGreaterThanOrEqual(CYCLES);
        expect(c.follows).toBeGreaterThanOrEqual(CYCLES);
      },
      60_000,
      50,
    );
    signals.sample();
    if (process.env['MESHDBG_PRINT_RATES']) console.log({ early, late: signals.max(), cycles: cycles(api) });
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    // the most listeners any one signal had: the same after CYCLES reconnects as after the first ones
    expect(signals.max()).toBeLessThanOrEqual(early + 2);
  }, 90_000);
});
