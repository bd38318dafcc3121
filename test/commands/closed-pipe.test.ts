/** Issue 11: `meshdbg ... | head -1` stops quietly (exit 0, nothing on stderr), never "internal error: write EPIPE". */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, ROOT } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

/** Runs the CLI, reads its first stdout chunk and closes the pipe, as `| head -1` does. */
function firstLineThenClose(args: readonly string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let first = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().split('\n')[0] ?? '';
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, first }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-pipe-'));
const bigLog = join(dir, 'big.log');
writeFileSync(bigLog, readFileSync(fixture('../../logs/access-logs.log'), 'utf8').repeat(2000));

describe('a closed pipe ends the command quietly', () => {
  it.each([
    ['denials | head -1', ['denials', '--logs', bigLog]],
    ['denials -o json | head -1', ['denials', '--logs', bigLog, '-o', 'json']],
    ['demo --print-logs | head -1', ['demo', '--print-logs']],
    ['check | head', ['check', 'examples/np-test/expect.yaml', 'examples/poc-mesh/expect.yaml']],
  ])(
    '%s',
    async (_name, args) => {
      const r = await firstLineThenClose(args);
      expect(r.first).not.toBe('');
      expect(r.stderr).not.toMatch(/internal error|EPIPE/);
      expect(r.code).toBe(0);
    },
    60_000,
  );
});
