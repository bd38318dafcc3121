import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, fileJournal, processAlive } from '../../../src/sources/log-level/journal.js';
import type { LogLevelJournal } from '../../../src/sources/log-level/journal.js';
import type { LogLevelManager } from '../../../src/sources/log-level/manager.js';
import type { ManagerClock } from '../../../src/sources/log-level/manager.js';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { FakeEnvoyAdmin } from '../envoy-admin/support/fake-envoy-admin.js';
import { waitFor } from '../../helpers/wait-for.js';
import { A, B, levelFixture, manualClock, withProxy, yes } from './support/fixture.js';
import type { LevelFixture } from './support/fixture.js';

let fx: LevelFixture;
let api: KubeApiServer;
let envoys: Record<string, FakeEnvoyAdmin>;
let journal: LogLevelJournal;

function manager(
  opts: { clock?: ManagerClock; readonly?: boolean; pid?: number; alive?: number[] } = {},
): LogLevelManager {
  return fx.manager(opts);
}

beforeEach(async () => {
  fx = await levelFixture();
  ({ api, envoys, journal } = fx);
});

afterEach(() => fx.close());

const rbacOf = (p: { name: string }): string | undefined => envoys[p.name]?.levels['rbac'];

describe('LogLevelManager', () => {
  it('reads each pod level first, journals it, raises, and restores each pod to its own level after the time limit', async () => {
    const clock = manualClock();
    const m = manager({ clock });
    const result = await m.raise([A, B], { rbac: 'debug' }, yes);
    expect(result).toEqual({ changed: [A, B], skipped: [], errors: [] });
    expect([rbacOf(A), rbacOf(B)]).toEqual(['debug', 'debug']);
    expect(journal.entries().map((e) => [e.pod, e.before, e.proxyIdentity, e.expiresAt])).toEqual([
      ['backend-1', { rbac: 'warning' }, 'uid-backend-1/0', '2026-11-22T10:10:00.000Z'],
      ['backend-2', { rbac: 'info' }, 'uid-backend-2/0', '2026-11-22T10:10:00.000Z'],
    ]);
    clock.fire();
    await waitFor(() => expect([rbacOf(A), rbacOf(B)]).toEqual(['warning', 'info']));
    await waitFor(() => expect(journal.entries()).toEqual([]));
  });

  it('restores on quit and cancels the timers', async () => {
    const clock = manualClock();
    const m = manager({ clock });
    await m.raise([A], { rbac: 'debug' }, yes);
    expect(await m.restore()).toEqual({ changed: [A], skipped: [], errors: [] });
    expect(rbacOf(A)).toBe('warning');
    expect(clock.pending()).toBe(0);
  });

  it('lets the next start restore what a crash left raised, from the journal', async () => {
    await manager({ pid: 1000 }).raise([A, B], { rbac: 'debug' }, yes); // then process 1000 dies without restoring
    const next = manager({ pid: 2000 });
    expect(next.leftovers().map((e) => e.pod)).toEqual(['backend-1', 'backend-2']);
    expect((await next.restore()).changed).toEqual([]); // quitting restores only its own changes
    const result = await next.restoreLeftovers();
    expect(result.changed).toEqual([A, B]);
    expect([rbacOf(A), rbacOf(B)]).toEqual(['warning', 'info']);
    expect(next.leftovers()).toEqual([]);
  });

  it('does not offer to restore what another running meshdbg raised', async () => {
    await manager({ pid: 1000 }).raise([A], { rbac: 'debug' }, yes);
    expect(manager({ pid: 2000, alive: [1000] }).leftovers()).toEqual([]);
    expect(
      manager({ pid: 2000, alive: [] })
        .leftovers()
        .map((e) => [e.pod, e.ownerPid]),
    ).toEqual([['backend-1', 1000]]);
  });

  it('restores a pod whose proxy restarted (same pod uid) and drops the entry once verified', async () => {
    const m = manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    api.put(withProxy(A.name, 1));
    const result = await m.restore();
    expect(result).toEqual({ changed: [A], skipped: [], errors: [] });
    expect(rbacOf(A)).toBe('warning');
    expect(journal.entries()).toEqual([]);
  });

  it('keeps the original level when the same pod is raised twice', async () => {
    const m = manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    await m.raise([A], { rbac: 'trace' }, yes);
    expect(journal.entries()[0]?.before).toEqual({ rbac: 'warning' });
    await m.restore();
    expect(rbacOf(A)).toBe('warning');
  });

  it('changes nothing without confirmation, and refuses in --readonly mode', async () => {
    const declined = await manager().raise([A], { rbac: 'debug' }, () => Promise.resolve(false));
    expect(declined.changed).toEqual([]);
    expect(rbacOf(A)).toBe('warning');
    expect(journal.entries()).toEqual([]);
    await expect(manager({ readonly: true }).raise([A], { rbac: 'debug' }, yes)).rejects.toThrow(/--readonly/);
  });

  it('reports per-pod failures and keeps going', async () => {
    api.portForwardTargets.delete(`prod/${B.name}`);
    const result = await manager().raise([B, A], { rbac: 'debug' }, yes);
    expect(result.changed).toEqual([A]);
    expect(result.errors).toEqual([
      expect.stringMatching(/^backend-2\.prod: port-forward to backend-2\.prod:15000 failed/),
    ]);
    expect(journal.entries().map((e) => e.pod)).toEqual(['backend-1']);
  });

  it('leaves no journal entry when setting the level fails', async () => {
    const result = await manager().raise([A], { nosuchlogger: 'debug' }, yes);
    expect(result.errors).toEqual([expect.stringMatching(/answered 400/)]);
    expect(journal.entries()).toEqual([]);
  });
});

describe('journal file', () => {
  it('probes whether a process is alive', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('lives in the user cache directory', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe('/x/cache/meshdbg');
    expect(cacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/meshdbg');
    expect(cacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/meshdbg');
  });

  it('names a corrupt journal entry with exit 3 instead of ignoring it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'log-levels');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.json'), '{nope');
    expect(() => fileJournal(dir).entries()).toThrow(
      expect.objectContaining({
        exitCode: 3,
        userMessage: `the log-level journal entry ${join(dir, 'x.json')} is not JSON`,
      }),
    );
  });
});
