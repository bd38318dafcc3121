/**
 * `explain --batch` memory under a slow reader (issue 17: 100k answers to a slow reader once took
 * 966 MB): the built CLI answers 100k queries into a pipe read slowly, then into a pipe read at
 * full speed (the baseline measured in the same run); peak RSS (VmHWM) of each. With backpressure
 * the two stay close; without it the slow run grows with the output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const ANSWERS = Number(process.env['MESHDBG_BENCH_BATCH_ANSWERS'] ?? 100_000);
const QUERIES = [
  { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'GET', path: '/api/orders' } },
  { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'POST', path: '/api/orders' } },
  { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80 },
];

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the batch; the reader takes `chunkPauseMs` after each chunk it reads (0: full speed). */
function run(file: string, chunkPauseMs: number): Promise<{ peakMb: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/cli.js'), 'explain', '--batch', file, '--from', join(ROOT, 'examples/poc-mesh')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CI: 'true' },
    },
  );
  let peakMb = 0;
  let bytes = 0;
  const poll = setInterval(() => (peakMb = Math.max(peakMb, peakRssMb(child.pid ?? 0))), 20);
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (chunkPauseMs > 0) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), chunkPauseMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(poll);
      resolve({ peakMb, bytes, ms: performance.now() - t0 });
    });
  });
}

const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-bench-slow-')), 'q.jsonl');
const lines: string[] = [];
for (let i = 0; i < ANSWERS; i++) lines.push(JSON.stringify({ id: i, ...QUERIES[i % QUERIES.length] }));
writeFileSync(file, `${lines.join('\n')}\n`);

const fast = await run(file, 0);
const slow = await run(file, 2);
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `batch to a slow reader: ${ANSWERS.toLocaleString('en-US')} answers (${mb(slow.bytes)}) peak RSS ${slow.peakMb.toFixed(0)} MB in ${(slow.ms / 1000).toFixed(1)} s; ` +
    `to a full-speed reader ${fast.peakMb.toFixed(0)} MB in ${(fast.ms / 1000).toFixed(1)} s (slow/fast ${(slow.peakMb / fast.peakMb).toFixed(2)}x)`,
);
