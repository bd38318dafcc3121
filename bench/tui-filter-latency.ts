/**
 * Keystroke-to-frame latency of the pods filter with 20k pods loaded (target < 50 ms):
 * the whole App rendered in memory, one character typed at a time, time until the frame
 * shows the new filter. Run: `npx tsx bench/tui-filter-latency.ts`.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './measure.js';

// React picks its production build at first import, as the shipped bundle does: set it first.
process.env['NODE_ENV'] ??= 'production';
const { render } = await import('ink-testing-library');
const { createElement } = await import('react');
const { App } = await import('../src/ui/app.js');
const { buildUiData } = await import('../src/ui/data/ui-data.js');
const { REAL_ENGINE } = await import('../src/ui/data/real-engine.js');
const { EMPTY_FEED } = await import('../src/ui/feeds/log-feed.js');
const { exampleSnapshot, manyPods } = await import('../test/ui/fixtures/snapshots.js');

export interface LatencyResult {
  readonly pods: number;
  readonly buildMs: number;
  readonly samples: readonly number[];
  readonly medianMs: number;
  readonly p95Ms: number;
}

async function frameContaining(lastFrame: () => string | undefined, text: string, deadline: number): Promise<void> {
  while (!(lastFrame() ?? '').includes(text)) {
    if (performance.now() > deadline) throw new Error(`no frame with ${text}`);
    await new Promise((r) => setImmediate(r));
  }
}

export async function measureFilterLatency(pods = 20_000, typed = 'svc-1234-ab'): Promise<LatencyResult> {
  const snapshot = manyPods(await exampleSnapshot('poc-mesh'), pods);
  const t0 = performance.now();
  const data = buildUiData(snapshot, {
    engine: REAL_ENGINE,
    sourceLabel: 'bench',
    readonly: false,
    availability: { istioctl: false, cni: null },
    canSetLogLevel: false,
  });
  const buildMs = performance.now() - t0;
  const app = render(createElement(App, { data, feed: EMPTY_FEED, colors: false, size: { columns: 120, rows: 40 } }));
  await frameContaining(app.lastFrame, 'svc-0', performance.now() + 10_000);
  app.stdin.write('/');
  await frameContaining(app.lastFrame, '/▏', performance.now() + 5_000);
  const samples: number[] = [];
  for (let i = 1; i <= typed.length; i++) {
    const start = performance.now();
    app.stdin.write(typed[i - 1] ?? '');
    await frameContaining(app.lastFrame, `/${typed.slice(0, i)}▏`, start + 5_000);
    samples.push(performance.now() - start);
  }
  app.unmount();
  const sorted = [...samples].sort((a, b) => a - b);
  return { pods, buildMs, samples, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureFilterLatency();
  process.stdout.write(
    `tui filter latency: ${r.pods} pods, samples [${r.samples.map((s) => s.toFixed(0)).join(' ')}], rows built in ${r.buildMs.toFixed(0)} ms, keystroke-to-frame median ${r.medianMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms (target < 50 ms)\n`,
  );
}
