/**
 * Issue 17 / 16: "A log-level restore that fails on quit is reported, not dropped." Quitting
 * restores this run's levels within a bound; each failure is one stderr line saying the next
 * start offers the restore, and the journal keeps the entry for it. Against the local API server
 * and fake Envoy admins (the log-level fixture).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  holdStopSignals,
  RESTORE_ON_HANGUP_MS,
  RESTORE_ON_QUIT_MS,
  restoreBoundMs,
  restoreOnQuit,
} from '../../src/commands/restore-on-quit.js';
import { slowBody } from '../helpers/kube-faults.js';
import { A, levelFixture, yes, type LevelFixture } from '../sources/log-level/support/fixture.js';

let fx: LevelFixture;
beforeEach(async () => {
  fx = await levelFixture();
});
afterEach(() => fx.close());

describe('restore on quit', () => {
  it('restores what this run raised and writes nothing', async () => {
    const m = fx.manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    const lines: string[] = [];
    expect(await restoreOnQuit(m, (t) => lines.push(t))).toEqual([]);
    expect(fx.rbacOf(A)).toBe('warning');
    expect(lines).toEqual([]);
    expect(fx.journal.entries()).toEqual([]);
  });

  it('reports a failed restore on stderr and keeps it journalled for the next start', async () => {
    const m = fx.manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    fx.api.portForwardTargets.delete(`prod/${A.name}`);
    const lines: string[] = [];
    const failed = await restoreOnQuit(m, (t) => lines.push(t));
    expect(failed).toHaveLength(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^meshdbg: log level not restored: backend-1\.prod: .*; the next meshdbg start offers to restore it\n$/,
      ),
    ]);
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
  });

  it('reports, within its bound, a restore the API never answers', async () => {
    const m = fx.manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    fx.api.faults.add(slowBody({ path: /^\/api\/v1\/namespaces\/prod\/pods\/backend-1$/ }));
    const lines: string[] = [];
    await restoreOnQuit(m, (t) => lines.push(t), 300);
    expect(lines).toEqual([expect.stringMatching(/^meshdbg: log level not restored: backend-1\.prod: /)]);
    expect(fx.journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
  });

  it('does nothing without a log-level manager (read-only or recorded input)', async () => {
    const lines: string[] = [];
    expect(await restoreOnQuit(null, (t) => lines.push(t))).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('waits under 2 s on a quit or a signal, longer after a hangup where nobody waits at the terminal', () => {
    expect(RESTORE_ON_QUIT_MS).toBeLessThan(2000);
    for (const code of [0, 1, 130, 143]) expect(restoreBoundMs(code)).toBe(RESTORE_ON_QUIT_MS);
    expect(restoreBoundMs(129)).toBe(RESTORE_ON_HANGUP_MS);
    expect(RESTORE_ON_HANGUP_MS).toBeGreaterThan(RESTORE_ON_QUIT_MS);
  });

  it('holds SIGINT, SIGTERM and SIGHUP while held: a signal during the restore does not end the process', () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = signals.map((s) => process.listenerCount(s));
    const release = holdStopSignals();
    // a listener replaces the default action (ending the process); test/e2e/tui-hangup.test.ts
    // sends the real second SIGHUP during a restore
    expect(signals.map((s) => process.listenerCount(s))).toEqual(before.map((n) => n + 1));
    release();
    expect(signals.map((s) => process.listenerCount(s))).toEqual(before);
  });
});
