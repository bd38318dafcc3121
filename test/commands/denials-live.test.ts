/**
 * Issue 17: `kubectl logs -f POD | meshdbg denials --logs -` prints each denial as it is seen (the
 * stream stays open: nothing would come out if meshdbg waited for EOF), and Ctrl-C ends it with the
 * summary so far and the shell's code for the signal (128 + n: 130 SIGINT, 143 SIGTERM).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './cli-harness.js';

// seed 004: one RBAC denial as istio-proxy logs it (examples/np-test-authz-only, provenance there)
const SEED_004 = readFileSync(join(ROOT, 'examples/np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log'), 'utf8');

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Live {
  readonly child: ChildProcessWithoutNullStreams;
  out(): string;
  err(): string;
  until(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

function startDenials(args: readonly string[]): Live {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'denials', '--logs', '-', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const until = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} in: ${out} ${err}`)), 20_000);
      const check = (): void => {
        if (!pattern.test(out)) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });
  return { child, out: () => out, err: () => err, until, exit };
}

describe('denials --logs - on a live stream', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'prints a denial while stdin is still open; %s prints the summary so far and exits %i',
    async (signal, code) => {
      const live = startDenials([]);
      live.child.stdin.write(SEED_004);
      await live.until(/deny-all-ingress-using-authorizationpolicy rule 0/);
      expect(live.child.exitCode).toBeNull(); // printed before the input ended
      live.child.stdin.write(SEED_004); // the same denial again: counted, not printed twice
      await new Promise((r) => setTimeout(r, 300));
      live.child.kill(signal);
      expect(await live.exit).toBe(code);
      expect(live.out().match(/rule 0 \[/g)).toHaveLength(2); // as seen + the repeat in the summary
      expect(live.out()).toContain(`summary: 2 denials, 1 distinct, stopped by ${signal}\nrepeated:\n`);
      expect(live.out()).toContain('denied x2');
      expect(live.err()).toBe('');
    },
    40_000,
  );

  it('-o json: each Denial line comes out as it is seen; end of input exits 0', async () => {
    const live = startDenials(['-o', 'json']);
    live.child.stdin.write(SEED_004);
    await live.until(/"kind":"Denial"/);
    expect(live.child.exitCode).toBeNull();
    live.child.stdin.end();
    expect(await live.exit).toBe(0);
    expect(live.out().trimEnd().split('\n')).toHaveLength(1);
  }, 40_000);
});
