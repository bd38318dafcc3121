import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import {
  createNativeProxyControl,
  portForwardRequester,
} from '../../../src/sources/envoy-admin/native-proxy-control.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { kubeProxyIdentity } from '../../../src/sources/kube/proxy-identity.js';
import { cacheDir, fileJournal, processAlive } from '../../../src/sources/log-level/journal.js';
import type { LogLevelJournal } from '../../../src/sources/log-level/journal.js';
import { LogLevelManager } from '../../../src/sources/log-level/manager.js';
import type { ManagerClock } from '../../../src/sources/log-level/manager.js';
import { restoreOnSignals } from '../../../src/sources/log-level/signals.js';
import { FakeEnvoyAdmin } from '../envoy-admin/support/fake-envoy-admin.js';
import { contextFor, pod } from '../kube/support/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';

const A = { namespace: 'prod', name: 'backend-1' };
const B = { namespace: 'prod', name: 'backend-2' };
const yes = (): Promise<boolean> => Promise.resolve(true);

let api: KubeApiServer;
let envoys: Record<string, FakeEnvoyAdmin>;
let journal: LogLevelJournal;

function withProxy(name: string, restarts: number): Record<string, unknown> {
  const p = pod('prod', name, '10.0.0.1');
  return {
    ...p,
    metadata: { ...(p['metadata'] as object), uid: `uid-${name}` },
    status: { containerStatuses: [{ name: 'istio-proxy', restartCount: restarts }] },
  };
}

/** Timers that fire only when the test says so. */
function manualClock(): ManagerClock & { fire(): void; pending(): number } {
  const timers = new Set<() => void>();
  return {
    now: () => Date.parse('2026-11-22T10:00:00Z'),
    setTimer: (fn) => {
      timers.add(fn);
      return () => timers.delete(fn);
    },
    fire: () => {
      const all = [...timers];
      timers.clear();
      for (const fn of all) fn();
    },
    pending: () => timers.size,
  };
}

function manager(
  opts: { clock?: ManagerClock; readonly?: boolean; pid?: number; alive?: number[] } = {},
): LogLevelManager {
  const kc = contextFor(api).kc;
  return new LogLevelManager({
    control: createNativeProxyControl(portForwardRequester(kc), { timeoutMs: 5000 }),
    journal,
    proxyIdentity: kubeProxyIdentity(createKubeHttp(kc, 2000)),
    context: 'mock',
    ttlMs: 10 * 60_000,
    readonly: opts.readonly ?? false,
    clock: opts.clock ?? manualClock(),
    pid: opts.pid ?? 1000,
    isAlive: (pid) => (opts.alive ?? []).includes(pid),
  });
}

beforeEach(async () => {
  api = await KubeApiServer.start();
  envoys = { [A.name]: await FakeEnvoyAdmin.start(), [B.name]: await FakeEnvoyAdmin.start() };
  (envoys[B.name] as FakeEnvoyAdmin).levels['rbac'] = 'info';
  for (const p of [A, B]) {
    api.put(withProxy(p.name, 0));
    api.portForwardTargets.set(`prod/${p.name}`, (envoys[p.name] as FakeEnvoyAdmin).port);
  }
  journal = fileJournal(join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'meshdbg', 'log-levels.json'));
});

afterEach(async () => {
  await api.close();
  for (const e of Object.values(envoys)) await e.close();
});

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

  it('restores on SIGTERM and SIGINT before exiting with 143 / 130', async () => {
    const m = manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    const proc = new EventEmitter();
    const exits: number[] = [];
    const uninstall = restoreOnSignals(m, proc, (code) => exits.push(code));
    proc.emit('SIGTERM');
    await waitFor(() => expect(exits).toEqual([143]));
    expect(rbacOf(A)).toBe('warning');
    uninstall();
    expect(proc.listenerCount('SIGINT')).toBe(0);
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

  it('skips pods whose proxy restarted since the change', async () => {
    const m = manager();
    await m.raise([A], { rbac: 'debug' }, yes);
    api.put(withProxy(A.name, 1));
    (envoys[A.name] as FakeEnvoyAdmin).levels['rbac'] = 'warning'; // the new Envoy starts at its default
    const result = await m.restore();
    expect(result.changed).toEqual([]);
    expect(result.skipped).toEqual([{ pod: A, reason: 'proxy restarted (already at its default levels)' }]);
    expect(journal.entries()).toEqual([]);
    expect(envoys[A.name]?.requests.filter((r) => r.startsWith('POST /logging?'))).toEqual([
      'POST /logging?rbac=debug',
    ]);
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

  it('names a corrupt journal instead of ignoring it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'log-levels.json');
    writeFileSync(path, '{nope');
    expect(() => fileJournal(path).entries()).toThrow(`the log-level journal ${path} is not JSON`);
  });
});
