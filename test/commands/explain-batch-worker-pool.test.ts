/**
 * The worker threads of `explain --batch FILE` (explain-batch-worker-pool.ts): a worker answers a
 * chunk with the text the main thread writes for it, and a worker that fails leaves its chunks
 * to the main thread, so every line is still answered.
 */
import { describe, expect, it } from 'vitest';
import { podPairs, syntheticCluster } from '../../bench/synthetic.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { WorkerPool, answerJoined, type JoinedAnswer } from '../../src/commands/explain-batch-worker-pool.js';
import type { Chunk } from '../../src/commands/explain-batch-line.js';

const NOW = '2026-11-20T10:00:00Z';
const { objects } = syntheticCluster({ pods: 60, networkPolicies: 30, authorizationPolicies: 20 }, 7);
const snapshot = snapshotFromObjects(objects, null, 'pool');
const lines = podPairs(objects, 40, 7).map(([src, dst, port], id) =>
  JSON.stringify({ id, src, dst, port, http: { method: 'GET', path: '/api/orders' } }),
);
const here = (c: Chunk): JoinedAnswer => answerJoined(c, snapshot, { now: NOW }, (e) => e);

async function readyPool(): Promise<WorkerPool> {
  const pool = new WorkerPool(1);
  pool.share(snapshot, { now: NOW }, () => ({ seq: -1, text: 'answered here', errors: 0 }));
  while (pool.readyWorkers < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  return pool;
}

describe('explain --batch worker pool', () => {
  it('answers a chunk as the main thread does', async () => {
    const pool = await readyPool();
    try {
      const chunk: Chunk = { seq: 3, first: 11, lines: [...lines, '', 'not json'] };
      const answer = await pool.leastBusy(1)?.send(chunk);
      expect(answer).toEqual(here(chunk));
      expect(answer?.errors).toBe(1);
      expect(pool.chunksAnswered).toBe(1);
    } finally {
      await pool.stop();
    }
  }, 30_000);

  it('leaves the chunks of a worker that fails to the main thread', async () => {
    const pool = await readyPool();
    try {
      const worker = pool.leastBusy(2);
      // a chunk without lines makes the worker throw: an uncaught error ends the thread
      const broken = worker?.send({ seq: 0, first: 1, lines: null as unknown as string[] });
      expect((await broken)?.text).toBe('answered here');
      expect(pool.readyWorkers).toBe(0);
      expect(pool.leastBusy(2)).toBeNull();
    } finally {
      await pool.stop();
    }
  }, 30_000);

  it('stops workers that never got a Snapshot', async () => {
    const pool = new WorkerPool(2);
    await pool.stop();
    expect(pool.readyWorkers).toBe(0);
    expect(pool.leastBusy(2)).toBeNull();
  });
});
