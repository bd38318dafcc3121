/**
 * Issue 17, "the log-level guarantee": what meshdbg raises, it restores, on every path. A
 * journal entry is dropped only when the level was verified restored or the pod is gone
 * (404, or a new pod uid); API errors keep it, to be retried. Against the local API server
 * (port-forward to fake Envoy admins) and real second processes (kill -9, concurrent writes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slowBody, statusFault } from '../../helpers/kube-faults.js';
import { waitFor } from '../../helpers/wait-for.js';
import { fileJournal, processAlive } from '../../../src/sources/log-level/journal.js';
import { writeKubeconfig } from '../kube/support/fixtures.js';
import { A, B, levelFixture, manualClock, withProxy, yes } from './support/fixture.js';
import type { LevelFixture } from './support/fixture.js';

let fx: LevelFixture;
beforeEach(async () => {
  fx = await levelFixture();
});
afterEach(() => fx.close());

const podGet = /^\/api\/v1\/namespaces\/prod\/pods\/backend-1$/;

describe('restore keeps the entry on API errors and drops it only when verified or the pod is gone', () => {
  it('an API error while restoring keeps the entry, and the time-limit restore retries until it works', async () => {
    const clock = manualClock();
    const m = fx.manager({ clock });
    await m.raise([A], { rbac: 'debug' }, yes);
    fx.api.faults.add(statusFault({ path: podGet, times: 4 }, 500));
    clock.fire(); // the time limit
    await waitFor(() => expect(clock.pending()).toBe(1)); // a retry is scheduled
    expect(fx.rbacOf(A)).toBe('debug');
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
    clock.fire(); // the retry, with the API healthy again
    await waitFor(() => expect(fx.rbacOf(A)).toBe('warning'));
    await waitFor(() => expect(fx.journal.entries()).toEqual([]));
  });

  it('a failed write while restoring keeps the entry', async () => {
    const m = fx.manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    fx.api.portForwardTargets.delete(`prod/${A.name}`);
    const result = await m.restore();
    expect(result.errors).toEqual([expect.stringMatching(/^backend-1\.prod: .*kept to restore later/)]);
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
  });

  it('"pod gone" only on a 404 or a new pod uid', async () => {
    const m = fx.manager();
    await m.raise([A, B], { rbac: 'debug' }, yes);
    fx.api.remove(withProxy(A.name, 0));
    fx.api.put(withProxy(B.name, 0, 'uid-replaced'));
    const result = await m.restore();
    expect(result.skipped).toEqual([
      { pod: A, reason: 'pod is gone' },
      { pod: B, reason: 'pod was replaced (new uid)' },
    ]);
    expect(fx.journal.entries()).toEqual([]);
  });
});

describe('raising', () => {
  it('a failed pod GET when raising journals a retryable identity, restored once the pod reads again', async () => {
    fx.api.faults.add(statusFault({ path: podGet, times: 4 }, 500));
    const m = fx.manager();
    expect((await m.raise([A], { rbac: 'debug' }, yes)).changed).toEqual([A]);
    expect(fx.journal.entries().map((e) => e.proxyIdentity)).toEqual(['?/?']);
    expect((await m.restore()).changed).toEqual([A]);
    expect(fx.rbacOf(A)).toBe('warning');
  });

  it('a write applied but answered late counts as applied: entry kept, level verified, restored later', async () => {
    (fx.envoys[A.name] as { answerDelayMs: number }).answerDelayMs = 1500;
    const clock = manualClock();
    const m = fx.manager({ clock, controlTimeoutMs: 400 });
    const result = await m.raise([A], { rbac: 'debug' }, yes);
    expect(result).toEqual({ changed: [A], skipped: [], errors: [] });
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
    expect(clock.pending()).toBe(1);
    (fx.envoys[A.name] as { answerDelayMs: number }).answerDelayMs = 0;
    expect((await m.restore()).changed).toEqual([A]);
    expect(fx.rbacOf(A)).toBe('warning');
  });

  it('with two loggers, when the second is refused, the first is restored and nothing is left journalled', async () => {
    fx.envoys[A.name]?.refuse.add('jwt');
    const result = await fx.manager().raise([A], { rbac: 'debug', jwt: 'debug' }, yes);
    expect(result.changed).toEqual([]);
    expect(result.errors).toEqual([expect.stringMatching(/^backend-1\.prod: /)]);
    expect(fx.envoys[A.name]?.levels).toMatchObject({ rbac: 'warning', jwt: 'warning' });
    expect(fx.journal.entries()).toEqual([]);
  });
});

describe('quit', () => {
  it('takes well under 2 s when the API hangs: the entry stays for the next start', async () => {
    const m = fx.manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    fx.api.faults.add(slowBody({ path: podGet }));
    const started = Date.now();
    const result = await m.restore(undefined, AbortSignal.timeout(300));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.errors).toHaveLength(1);
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
  });
});

const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
const support = (name: string): string => fileURLToPath(new URL(`./support/${name}`, import.meta.url));

function child(script: string, args: string[]): { pid: number; output: () => string; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', tsx, support(script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { pid: proc.pid ?? 0, output: () => out, done: new Promise((r) => proc.on('close', r)) };
}

describe('the journal across processes', () => {
  it('kill -9 after raising, then a new start finds the leftover and restores it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'log-levels');
    const first = child('raise-then-wait.ts', [writeKubeconfig(fx.api), dir]);
    await waitFor(() => expect(first.output()).toContain('raised'), 20_000);
    expect(fx.rbacOf(A)).toBe('debug');
    process.kill(first.pid, 'SIGKILL');
    await first.done;
    expect(processAlive(first.pid)).toBe(false);
    const next = fx.manager({ pid: process.pid, journal: fileJournal(dir), alive: [] });
    expect(next.leftovers().map((e) => [e.pod, e.ownerPid])).toEqual([['backend-1', first.pid]]);
    expect((await next.restoreLeftovers()).changed).toEqual([A]);
    expect(fx.rbacOf(A)).toBe('warning');
    expect(fileJournal(dir).entries()).toEqual([]);
  }, 30_000);

  it('two processes writing at once lose nothing (one atomic file per entry)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'log-levels');
    const a = child('put-entries.ts', [dir, 'a', '150']);
    const b = child('put-entries.ts', [dir, 'b', '150']);
    expect(await Promise.all([a.done, b.done])).toEqual([0, 0]);
    expect(fileJournal(dir).entries()).toHaveLength(300);
  }, 30_000);
});
