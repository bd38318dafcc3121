/**
 * A small Kubernetes REST client for setting up tests (apply, status writes, deletes):
 * HTTPS with the admin's client certificate. meshdbg itself is never tested through this.
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import type { ClientCert } from './certs.js';

export interface RestResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  json(): Record<string, unknown>;
}

export interface RestClient {
  readonly server: string;
  call(method: string, path: string, body?: unknown, contentType?: string, accept?: string): Promise<RestResponse>;
}

export function restClient(server: string, caFile: string, cert: ClientCert): RestClient {
  const ca = readFileSync(caFile);
  const certPem = readFileSync(cert.certFile);
  const key = readFileSync(cert.keyFile);
  return {
    server,
    call(method, path, body, contentType = 'application/json', accept = 'application/json') {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          new URL(path, server),
          {
            method,
            ca,
            cert: certPem,
            key,
            headers: {
              accept,
              ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
            },
            timeout: 30_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({
                status: res.statusCode ?? 0,
                body: text,
                contentType: res.headers['content-type'] ?? 'application/json',
                json: () => JSON.parse(text) as Record<string, unknown>,
              });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      });
    },
  };
}

/** Throws with the server's message unless the status is 2xx (or listed in `alsoOk`). */
export async function expectOk(res: Promise<RestResponse>, what: string, alsoOk: readonly number[] = []) {
  const r = await res;
  if ((r.status < 200 || r.status > 299) && !alsoOk.includes(r.status)) {
    throw new Error(`${what}: HTTP ${r.status}: ${r.body.slice(0, 500)}`);
  }
  return r;
}
