/** What the bench scripts share: a GC between phases, percentiles, durations, and an explain query. */
import type { ExplainQuery } from '../src/engine/explanation.js';

/** Collects garbage when node runs with --expose-gc, so one phase's garbage is not billed to the next. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The p-th percentile (0-100) of ascending `sorted`; 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A duration in ms as `NNN µs` below 1 ms, else `N.NN ms`. */
export function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** A TCP explain query numbered `i`, with `http` as given. */
export function benchQuery(
  src: string,
  dst: string,
  port: number,
  i: number,
  http: ExplainQuery['http'] = null,
): ExplainQuery {
  return {
    id: String(i),
    src,
    dst,
    port,
    protocol: 'TCP',
    http,
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: '2026-11-20T10:00:00Z',
    resolve: {},
    namespace: null,
    cni: null,
  };
}
