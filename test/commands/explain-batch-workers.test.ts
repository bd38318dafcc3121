/**
 * `explain --batch FILE` shared with worker threads (explain-batch-workers.ts) writes what one
 * thread writes, byte for byte and in input order, per-line errors and their line numbers
 * included (DESIGN.md `--batch`: "writes one JSON result per line in order"), and the same exit
 * status; `--workers` is checked like every numeric flag.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podPairs, syntheticCluster } from '../../bench/synthetic.js';
import { batchWorkers, runBatch } from '../../src/commands/explain.js';
import {
  MIN_SHARED_BYTES,
  answerSharingLines,
  sharesLines,
  startBatchPool,
} from '../../src/commands/explain-batch-workers.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { seededRandom } from '../../src/util/random.js';
import type { Explanation } from '../../src/engine/index.js';
import { spawnSync } from 'node:child_process';
import { ROOT, ensureBuilt, runCli } from './cli-harness.js';

const NOW = '2026-11-20T10:00:00Z';
const REQUESTS = [undefined, { method: 'GET', path: '/api/orders' }, { method: 'POST', path: '/admin/x' }];
/** lines every thread must answer the same way: empty, not JSON, unknown peer, nested too deep */
const ODD_LINES = [
  '',
  'not json',
  '{"id":"u","src":"nope/x","dst":"a/b","port":1}',
  `{"id":7,"src":${'['.repeat(300)}`,
];

function batchFile(lines: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-workers-')), 'q.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('explain --batch with worker threads', () => {
  it('writes the bytes and exit status of one thread, in input order, odd lines included', async () => {
    const { objects } = syntheticCluster({ pods: 200, networkPolicies: 100, authorizationPolicies: 60 }, 3);
    const rnd = seededRandom(3);
    const lines = podPairs(objects, 600, 3).map(([src, dst, port], id) =>
      JSON.stringify({ id, src, dst, port, http: rnd.pick(REQUESTS) }),
    );
    for (const at of [10, 150, 333, 590]) lines.splice(at, 0, ...ODD_LINES);
    const file = batchFile(lines);
    const answer = async (workers: number): Promise<{ out: string[]; code: number }> => {
      const out: string[] = [];
      const snapshot = snapshotFromObjects(objects, null, 'batch');
      const code = await runBatch(file, snapshot, { now: NOW }, (l) => void out.push(l), undefined, {
        workers,
        minBytes: 0,
      });
      return { out, code };
    };
    const one = await answer(1);
    const shared = await answer(3);
    expect(one.out).toHaveLength(lines.length);
    expect(one.out.filter((l) => l.includes('"code":"bad-query"')).length).toBe(8);
    expect(one.out[334]).toContain('"message":"line 335: not JSON');
    expect(shared.code).toBe(one.code);
    // a worker's chunk is written as one string: the bytes are what count
    expect(shared.out.length).toBeLessThan(one.out.length);
    expect(shared.out.join('')).toBe(one.out.join(''));
  });

  it('has worker threads answer chunks once they hold the Snapshot, same bytes in order', async () => {
    const { objects } = syntheticCluster({ pods: 100, networkPolicies: 50, authorizationPolicies: 30 }, 5);
    const rnd = seededRandom(5);
    const lines = podPairs(objects, 1500, 5).map(([src, dst, port], id) =>
      JSON.stringify({ id, src, dst, port, http: rnd.pick(REQUESTS) }),
    );
    lines.splice(700, 0, ...ODD_LINES);
    const snapshot = snapshotFromObjects(objects, null, 'batch');
    const one: string[] = [];
    await runBatch(batchFile(lines), snapshot, { now: NOW }, (l) => void one.push(l));
    const pool = startBatchPool(3);
    // the first 200 lines go before the workers are ready (answered here), the rest once both are
    async function* source(): AsyncGenerator<string> {
      for (const [i, line] of lines.entries()) {
        if (i === 200) while (pool.readyWorkers < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        yield line;
      }
    }
    const out: string[] = [];
    const batch = {
      snapshot,
      defaults: { now: NOW },
      partialView: (e: Explanation) => e,
      write: (l: string) => void out.push(l),
      pool,
    };
    const errors = await answerSharingLines(source(), batch, 3);
    expect(pool.chunksAnswered).toBeGreaterThan(0);
    expect(errors).toBe(ODD_LINES.length - 1); // the empty line does not count
    expect(out.join('')).toBe(one.join(''));
  }, 30_000);

  it('shares only a FILE of at least minBytes, with more than one thread', () => {
    const file = batchFile(['{"src":"a/b","dst":"c/d","port":1}']);
    expect(sharesLines(file, 2, 10)).toBe(true);
    expect(sharesLines(file, 2, 1000)).toBe(false);
    expect(sharesLines(file, 1, 0)).toBe(false);
    expect(sharesLines('-', 4, 0)).toBe(false);
    expect(sharesLines(join(tmpdir(), 'meshdbg-no-such-batch.jsonl'), 2, 0)).toBe(false);
  });

  it('takes --workers N from 1 to 999, else a bad-flag error', () => {
    expect(batchWorkers('1')).toBe(1);
    expect(batchWorkers('12')).toBe(12);
    // the default: one thread per idle CPU, at most 4, at least 1
    expect(batchWorkers(undefined, { cpus: 2, load: 0.2 })).toBe(2);
    expect(batchWorkers(undefined, { cpus: 2, load: 1.2 })).toBe(1);
    expect(batchWorkers(undefined, { cpus: 2, load: 7 })).toBe(1);
    expect(batchWorkers(undefined, { cpus: 16, load: 1 })).toBe(4);
    expect(batchWorkers(undefined)).toBeGreaterThanOrEqual(1);
    expect(batchWorkers(undefined)).toBeLessThanOrEqual(4);
    for (const bad of ['0', '-1', '1.5', 'x', '1000', ''])
      expect(() => batchWorkers(bad)).toThrow(/--workers .*must be a whole number/);
  });
});

describe('meshdbg explain --batch FILE --workers (built CLI)', () => {
  it('answers a file past the worker threshold as one thread does, and refuses --workers 0', () => {
    ensureBuilt();
    const queries = [
      { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'GET', path: '/api/orders' } },
      { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'DELETE', path: '/x' } },
      { src: 'poc-mesh/backend', dst: 'poc-mesh/frontend', port: 80 },
    ];
    // ids of 640 characters make 2300 lines a FILE past MIN_SHARED_BYTES
    const lines = Array.from({ length: 2300 }, (_, id) =>
      id === 2200 ? 'not json' : JSON.stringify({ id: String(id).padStart(640, '0'), ...queries[id % 3] }),
    );
    const file = batchFile(lines);
    expect(statSync(file).size).toBeGreaterThanOrEqual(MIN_SHARED_BYTES);
    const args = ['explain', '--batch', file, '--from', 'examples/poc-mesh', '--now', NOW];
    // ~20 MB of answers: more than runCli's spawnSync buffer
    const cli = (workers: string): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args, '--workers', workers], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
        maxBuffer: 256 * 1024 * 1024,
        timeout: 50_000,
      }) as { status: number | null; stdout: string; stderr: string };
    const one = cli('1');
    const shared = cli('3');
    expect(one.stdout.split('\n')).toHaveLength(lines.length + 1);
    expect(one.stdout).toContain('"message":"line 2201: not JSON');
    // stderr first: a run that fails says why (a status alone did not, once, under a full parallel suite)
    expect(shared.stderr).toBe(one.stderr);
    expect(shared.status).toBe(2);
    expect(shared.stdout).toBe(one.stdout);
    const zero = runCli([...args, '--workers', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--workers 0: must be a whole number');
    // the worker threads start before the mesh is read: a refused mesh still exits at once
    const bad = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-workers-')), 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: y}\nspec: {podSelector: 7}\n',
    );
    const refused = runCli(['explain', '--batch', file, '--from', bad, '--workers', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('spec.podSelector');
  }, 60_000);
});
