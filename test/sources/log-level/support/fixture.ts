/** The local API server, two fake Envoy admins reached by port-forward, and a journal directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiServer } from '../../../helpers/kube-api-server.js';
import {
  createNativeProxyControl,
  portForwardRequester,
} from '../../../../src/sources/envoy-admin/native-proxy-control.js';
import { createKubeHttp } from '../../../../src/sources/kube/http.js';
import { kubeProxyIdentity } from '../../../../src/sources/kube/proxy-identity.js';
import { fileJournal } from '../../../../src/sources/log-level/journal.js';
import type { LogLevelJournal } from '../../../../src/sources/log-level/journal.js';
import { LogLevelManager } from '../../../../src/sources/log-level/manager.js';
import type { ManagerClock } from '../../../../src/sources/log-level/manager.js';
import { FakeEnvoyAdmin } from '../../envoy-admin/support/fake-envoy-admin.js';
import { contextFor, pod } from '../../kube/support/fixtures.js';

export const A = { namespace: 'prod', name: 'backend-1' };
export const B = { namespace: 'prod', name: 'backend-2' };
export const yes = (): Promise<boolean> => Promise.resolve(true);

export function withProxy(name: string, restarts: number, uid = `uid-${name}`): Record<string, unknown> {
  const p = pod('prod', name, '10.0.0.1');
  return {
    ...p,
    metadata: { ...(p['metadata'] as object), uid },
    status: { containerStatuses: [{ name: 'istio-proxy', restartCount: restarts }] },
  };
}

/** Timers that fire only when the test says so. */
export function manualClock(): ManagerClock & { fire(): void; pending(): number } {
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

export interface LevelFixture {
  readonly api: KubeApiServer;
  readonly envoys: Record<string, FakeEnvoyAdmin>;
  readonly journal: LogLevelJournal;
  manager(opts?: ManagerOpts): LogLevelManager;
  rbacOf(p: { name: string }): string | undefined;
  close(): Promise<void>;
}

export interface ManagerOpts {
  clock?: ManagerClock;
  readonly?: boolean;
  pid?: number;
  alive?: number[];
  controlTimeoutMs?: number;
  journal?: LogLevelJournal;
}

export async function levelFixture(): Promise<LevelFixture> {
  const api = await KubeApiServer.start();
  const envoys = { [A.name]: await FakeEnvoyAdmin.start(), [B.name]: await FakeEnvoyAdmin.start() };
  (envoys[B.name] as FakeEnvoyAdmin).levels['rbac'] = 'info';
  for (const p of [A, B]) {
    api.put(withProxy(p.name, 0));
    api.portForwardTargets.set(`prod/${p.name}`, (envoys[p.name] as FakeEnvoyAdmin).port);
  }
  const journal = fileJournal(join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'meshdbg', 'log-levels'));
  const kc = contextFor(api).kc;
  return {
    api,
    envoys,
    journal,
    manager: (opts = {}) =>
      new LogLevelManager({
        control: createNativeProxyControl(portForwardRequester(kc), { timeoutMs: opts.controlTimeoutMs ?? 5000 }),
        journal: opts.journal ?? journal,
        proxyIdentity: kubeProxyIdentity(createKubeHttp(kc, 2000, { sleep: () => Promise.resolve() })),
        context: 'mock',
        ttlMs: 10 * 60_000,
        readonly: opts.readonly ?? false,
        clock: opts.clock ?? manualClock(),
        pid: opts.pid ?? 1000,
        isAlive: (pid) => (opts.alive ?? []).includes(pid),
      }),
    rbacOf: (p) => envoys[p.name]?.levels['rbac'],
    close: async () => {
      await api.close();
      for (const e of Object.values(envoys)) await e.close();
    },
  };
}
