import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portForwardRequester } from '../../../src/sources/envoy-admin/native-proxy-control.js';
import { createZtunnelLogControl } from '../../../src/sources/envoy-admin/ztunnel-log-control.js';
import { parseZtunnelLogging } from '../../../src/parsers/ztunnel-logging.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { kubeProxyIdentity } from '../../../src/sources/kube/proxy-identity.js';
import { fileJournal, processAlive } from '../../../src/sources/log-level/journal.js';
import { LogLevelManager } from '../../../src/sources/log-level/manager.js';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { waitFor } from '../../helpers/wait-for.js';
import { contextFor, writeKubeconfig } from '../kube/support/fixtures.js';
import { FakeZtunnelAdmin } from './support/fake-ztunnel-admin.js';
import { manualClock, yes } from './support/fixture.js';

// the answers of istio/ztunnel src/admin.rs test_change_log_level
describe('ztunnel /logging answers', () => {
  it('reads the filter: targets and the bare default level', () => {
    expect(parseZtunnelLogging('current log level is hickory_server::server=off,info\n')).toEqual({
      defaultLevel: 'info',
      targets: { 'hickory_server::server': 'off' },
    });
    expect(parseZtunnelLogging('current log level is hickory_server::server=off,access=debug,info\n')).toEqual({
      defaultLevel: 'info',
      targets: { 'hickory_server::server': 'off', access: 'debug' },
    });
    expect(parseZtunnelLogging('current log level is hickory_server::server=off,warn\n')?.defaultLevel).toBe('warning');
    expect(parseZtunnelLogging('Invalid level provided: x\n')).toBeNull();
  });
});

export const ZT = { namespace: 'istio-system', name: 'ztunnel-aaaaa' };

export function ztunnelPod(uid = 'uid-ztunnel'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ZT.name, namespace: ZT.namespace, uid, labels: { app: 'ztunnel' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'istio-proxy', image: 'ztunnel' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'istio-proxy', restartCount: 0 }] },
  };
}

let api: KubeApiServer;
let zt: FakeZtunnelAdmin;
beforeEach(async () => {
  api = await KubeApiServer.start();
  zt = await FakeZtunnelAdmin.start();
  api.put(ztunnelPod());
  api.portForwardTargets.set(`${ZT.namespace}/${ZT.name}`, zt.port);
});
afterEach(async () => {
  await api.close();
  await zt.close();
});

function manager(journalDir: string, pid = 1000, clock = manualClock()): LogLevelManager {
  const kc = contextFor(api).kc;
  return new LogLevelManager({
    control: createZtunnelLogControl(portForwardRequester(kc), { timeoutMs: 5000 }),
    journal: fileJournal(journalDir),
    proxyIdentity: kubeProxyIdentity(createKubeHttp(kc, 2000, { sleep: () => Promise.resolve() })),
    context: 'mock',
    ttlMs: 10 * 60_000,
    readonly: false,
    clock,
    pid,
    isAlive: () => false,
  });
}

const journalDir = (): string => join(mkdtempSync(join(tmpdir(), 'meshdbg-journal-')), 'log-levels');

describe('raising ztunnel policy logging (ztunnel::state) like a sidecar logger', () => {
  it('reads, journals, raises, and restores after the time limit to the level it had', async () => {
    const dir = journalDir();
    const clock = manualClock();
    const m = manager(dir, 1000, clock);
    const raised = await m.raise([ZT], { 'ztunnel::state': 'debug' }, yes);
    expect(raised).toEqual({ changed: [ZT], skipped: [], errors: [] });
    expect(zt.text()).toBe('hickory_server::server=off,ztunnel::state=debug,info');
    expect(
      fileJournal(dir)
        .entries()
        .map((e) => [e.namespace, e.pod, e.before]),
    ).toEqual([['istio-system', 'ztunnel-aaaaa', { 'ztunnel::state': 'info' }]]);
    clock.fire();
    await waitFor(() => expect(fileJournal(dir).entries()).toEqual([]));
    expect(zt.text()).toBe('hickory_server::server=off,ztunnel::state=info,info');
    expect(zt.requests).toEqual([
      'POST /logging',
      'POST /logging?level=ztunnel%3A%3Astate%3Ddebug',
      'POST /logging?level=ztunnel%3A%3Astate%3Dinfo',
    ]);
  });

  it('keeps the entry when ztunnel refuses the restore, to retry', async () => {
    const dir = journalDir();
    const m = manager(dir);
    await m.raise([ZT], { 'ztunnel::state': 'debug' }, yes);
    await zt.close();
    const result = await m.restore();
    expect(result.changed).toEqual([]);
    expect(result.errors[0]).toMatch(/ztunnel-aaaaa.istio-system: .*still raised; kept to restore later/);
    expect(fileJournal(dir).entries()).toHaveLength(1);
  });

  it('kill -9 after raising, then a new start finds the leftover and restores it', async () => {
    const dir = journalDir();
    const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
    const script = fileURLToPath(new URL('./support/raise-then-wait.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', tsx, script, writeKubeconfig(api), dir, 'ztunnel'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const done = new Promise((r) => proc.on('close', r));
    await waitFor(() => expect(out).toContain('raised'), 20_000);
    expect(zt.filter.get('ztunnel::state')).toBe('debug');
    process.kill(proc.pid ?? 0, 'SIGKILL');
    await done;
    expect(processAlive(proc.pid ?? 0)).toBe(false);
    const next = manager(dir, process.pid);
    expect(next.leftovers().map((e) => [e.pod, e.ownerPid])).toEqual([['ztunnel-aaaaa', proc.pid]]);
    expect((await next.restoreLeftovers()).changed).toEqual([ZT]);
    expect(zt.filter.get('ztunnel::state')).toBe('info');
    expect(fileJournal(dir).entries()).toEqual([]);
  }, 30_000);
});
