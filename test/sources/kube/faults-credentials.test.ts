/**
 * Issue 17, credentials: an exec credential plugin runs under the request timeout (a hanging
 * plugin hung meshdbg for ever), and its bad output is reported without echoing the token.
 * kubectl bounds requests by --request-timeout; client-node runs the plugin with no limit.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { createKubeHttp, KubeHttpError } from '../../../src/sources/kube/http.js';
import { resolveKubeContext } from '../../../src/sources/kube/kubeconfig.js';

let api: KubeApiServer;
afterEach(() => api.close());

/** A kubeconfig whose user runs `script` (a shell script) as its exec credential plugin. */
function execKubeconfig(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-exec-'));
  const plugin = join(dir, 'plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\n${script}\n`);
  chmodSync(plugin, 0o755);
  const file = join(dir, 'config');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]`,
      `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "${plugin}", interactiveMode: Never}}}]`,
      'contexts: [{name: c, context: {cluster: c, user: u}}]',
      'current-context: c',
      '',
    ].join('\n'),
  );
  return file;
}

async function firstRequest(kubeconfig: string, timeoutMs: number): Promise<{ err: KubeHttpError; ms: number }> {
  const ctx = resolveKubeContext({ kubeconfig, context: null, env: {}, homeDir: '/nonexistent' });
  const started = Date.now();
  const err = (await createKubeHttp(ctx.kc, timeoutMs)
    .getJson('/api/v1/pods')
    .catch((e: unknown) => e)) as KubeHttpError;
  return { err, ms: Date.now() - started };
}

describe('exec credential plugins', () => {
  it('a plugin that hangs is killed after --request-timeout and named as the cause', async () => {
    api = await KubeApiServer.start();
    const { err, ms } = await firstRequest(execKubeconfig('exec sleep 30'), 400);
    expect(err).toBeInstanceOf(KubeHttpError);
    expect(err.message).toBe(
      'cannot use the kubeconfig credentials: the exec credential plugin did not finish within 400 ms (--request-timeout)',
    );
    expect(ms).toBeLessThan(10_000);
    expect(api.requests).toEqual([]);
  });

  it('a plugin that prints without end is stopped at 4 MiB, each of requests made at once (it was an internal error, exit 70)', async () => {
    api = await KubeApiServer.start();
    const ctx = resolveKubeContext({
      kubeconfig: execKubeconfig('exec yes'),
      context: null,
      env: {},
      homeDir: '/nonexistent',
    });
    const http = createKubeHttp(ctx.kc, 20_000);
    const started = Date.now();
    const errs = (await Promise.all(
      ['/api', '/apis', '/api/v1/pods'].map((path) => http.getJson(path).catch((e: unknown) => e)),
    )) as KubeHttpError[];
    for (const err of errs) {
      expect(err).toBeInstanceOf(KubeHttpError);
      expect(err.message).toBe(
        'cannot use the kubeconfig credentials: the exec credential plugin printed more than 4 MiB (no ExecCredential is that large) and was stopped',
      );
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(api.requests).toEqual([]);
  });

  it('output that is not an ExecCredential is reported without echoing the token', async () => {
    api = await KubeApiServer.start();
    const { err } = await firstRequest(execKubeconfig('echo \'{"status": {"token": "s3cr3t-tok\''), 5000);
    expect(err.message).toBe(
      'cannot use the kubeconfig credentials: the exec credential plugin printed something that is not an ExecCredential',
    );
    expect(err.message).not.toContain('s3cr3t');
  });

  it('a plugin that works still authenticates (the bound spawn keeps client-node working)', async () => {
    api = await KubeApiServer.start();
    const cred =
      '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"test-token"}}';
    const ctx = resolveKubeContext({
      kubeconfig: execKubeconfig(`echo '${cred}'`),
      context: null,
      env: {},
      homeDir: '/nonexistent',
    });
    const list = await createKubeHttp(ctx.kc, 5000).getJson<{ items: unknown[] }>('/api/v1/pods');
    expect(list.items).toEqual([]);
  });
});
