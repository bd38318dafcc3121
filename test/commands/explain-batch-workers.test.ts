/**
 * `explain --batch FILE` shared with worker threads (explain-batch-workers.ts) writes what one
 * thread writes, byte for byte and in input order, per-line errors and their line numbers
 * included (DESIGN.md `--batch`: "writes one JSON result per line in order"), and the same exit
 * status; `--workers` is checked like every numeric flag.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podPairs, syntheticCluster } from '../../bench/synthetic.js';
import { batchWorkers, runBatch } from '../../src/commands/explain.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { seededRandom } from '../../src/util/random.js';
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
        startWorkersAfter: 50,
      });
      return { out, code };
    };
    const one = await answer(1);
    const shared = await answer(3);
    expect(one.out).toHaveLength(lines.length);
    expect(one.out.filter((l) => l.includes('"code":"bad-query"')).length).toBe(8);
    expect(one.out[334]).toContain('"message":"line 335: not JSON');
    expect(shared.code).toBe(one.code);
    expect(shared.out).toEqual(one.out);
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
    const lines = Array.from({ length: 2300 }, (_, id) =>
      id === 2200 ? 'not json' : JSON.stringify({ id, ...queries[id % 3] }),
    );
    const file = batchFile(lines);
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
    expect(shared.status).toBe(2);
    expect(shared.stderr).toBe(one.stderr);
    expect(shared.stdout).toBe(one.stdout);
    const zero = runCli([...args, '--workers', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--workers 0: must be a whole number');
  }, 60_000);
});
