/**
 * A plain-HTTP proxy in front of the apiserver (the admin's client certificate on the HTTPS
 * side) that records every request and, before the first continued page of a list, writes one
 * object and compacts etcd past the list's revision, so the continue token has expired
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
 */
import { createServer, type Server } from 'node:http';
import { etcdUrl, type ControlPlaneState } from './control-plane.js';
import { expectOk, type RestClient } from './rest.js';

export interface Recorded {
  readonly url: string;
  readonly status: number;
}

async function etcdJson(s: ControlPlaneState, path: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${etcdUrl(s)}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, any>;
}

/** Compacts etcd at its current revision (gRPC gateway: go.etcd.io/etcd/api/v3 etcdserverpb KV.Compact). */
export async function compactNow(s: ControlPlaneState): Promise<number> {
  const range = await etcdJson(s, '/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  const revision = Number(range['header']['revision']);
  await etcdJson(s, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}

export async function startPagerProxy(s: ControlPlaneState, admin: RestClient, namespace: string, kind: string) {
  const log: Recorded[] = [];
  let compactions = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (url.includes(`/${kind}?`) && url.includes('continue=') && compactions === 0) {
        compactions++;
        const bump = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bump-${Date.now()}`, namespace } };
        await expectOk(admin.call('POST', `/api/v1/namespaces/${namespace}/configmaps`, bump), 'bump');
        await compactNow(s);
      }
      const upstream = await admin.call(req.method ?? 'GET', url, undefined, undefined, req.headers.accept);
      log.push({ url, status: upstream.status });
      res.writeHead(upstream.status, { 'content-type': upstream.contentType });
      res.end(upstream.body);
    })().catch((err: Error) => {
      res.writeHead(502);
      res.end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, log, close: () => new Promise<void>((r) => server.close(() => r())) };
}
