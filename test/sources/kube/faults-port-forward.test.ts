/**
 * The port-forward WebSocket (Envoy admin without istioctl) against a server that accepts the
 * connection and never answers the upgrade (a proxy that swallows upgrades): bounded by the
 * request timeout, as kubectl bounds it by --request-timeout, never a hang.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { requestViaPortForward } from '../../../src/sources/kube/port-forward.js';
import { MeshdbgError } from '../../../src/util/errors.js';
import { contextFor } from './support/fixtures.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server that reads (and drops) the upgrade request and never answers it; the kubeconfig pointed at it. */
async function silentServer(): Promise<{
  kc: ReturnType<typeof contextFor>['kc'];
  sockets: net.Socket[];
  closed: () => number;
}> {
  const api = await KubeApiServer.start();
  const sockets: net.Socket[] = [];
  let closed = 0;
  const silent = net.createServer((s) => {
    sockets.push(s);
    s.resume();
    s.on('close', () => closed++);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  closers.push(
    () => api.close(),
    () => {
      for (const s of sockets) s.destroy();
      silent.close();
    },
  );
  const ctx = contextFor(api);
  Object.assign(ctx.kc.getCurrentCluster() ?? {}, {
    server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
  });
  return { kc: ctx.kc, sockets, closed: () => closed };
}

describe('port-forward against a silent server', () => {
  it('a cancel during the upgrade fails at once as cancelled, not after the timeout, and closes the connection', async () => {
    const { kc, sockets, closed } = await silentServer();
    const abort = new AbortController();
    const started = Date.now();
    const pending = requestViaPortForward(kc, { namespace: 'prod', name: 'p' }, 15000, {
      method: 'GET',
      path: '/config_dump',
      timeoutMs: 30_000,
      maxBytes: 1024,
      signal: abort.signal,
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    const err = await pending;
    expect((err as MeshdbgError).userMessage).toBe('port-forward to p.prod:15000 failed: cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sockets.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(closed()).toBe(sockets.length); // the cancel closed the upgrade's connection too: nothing left open
  });

  it('an upgrade never answered fails after the timeout, naming --request-timeout', async () => {
    const { kc, sockets, closed } = await silentServer();
    const started = Date.now();
    const err = await requestViaPortForward(kc, { namespace: 'prod', name: 'p' }, 15000, {
      method: 'GET',
      path: '/config_dump',
      timeoutMs: 300,
      maxBytes: 1024,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshdbgError);
    expect((err as MeshdbgError).userMessage).toBe(
      'port-forward to p.prod:15000 failed: the API server did not open it within 300 ms (raise --request-timeout if the cluster is just slow)',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sockets.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed()).toBe(sockets.length); // the client closed the connection: nothing keeps the process alive
  });
});
