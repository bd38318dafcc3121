/**
 * `meshdbg diff --from OLD` without --to compares the manifests with the live cluster (here the
 * local Kubernetes REST server): the same objects give no change; a NetworkPolicy widened in the
 * cluster is reported with exit 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORE_RESOURCES, KubeApiServer } from '../../helpers/kube-api-server.js';
import { ensureBuilt, ROOT } from '../../commands/cli-harness.js';
import { namespace, pod, writeKubeconfig } from './support/fixtures.js';

function ingressFrom(ports: number[]): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'server-ingress', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'server' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: ports.map((port) => ({ port })) },
      ],
    },
  };
}

const OBJECTS = [namespace('shop'), pod('shop', 'client', '10.0.0.1'), pod('shop', 'server', '10.0.0.2')];

function run(args: string[], kubeconfig: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', KUBECONFIG: kubeconfig, HOME: '/nonexistent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let api: KubeApiServer;
let manifests: string;
beforeAll(() => ensureBuilt());
beforeEach(async () => {
  api = await KubeApiServer.start(CORE_RESOURCES);
  for (const o of OBJECTS) api.put(o);
  manifests = join(mkdtempSync(join(tmpdir(), 'meshdbg-diff-')), 'before.yaml');
  writeFileSync(manifests, [...OBJECTS, ingressFrom([8080])].map((o) => yaml.dump(o)).join('---\n'));
});
afterEach(() => api.close());

describe('meshdbg diff against the live cluster', () => {
  it('no change when the cluster holds the same policies', async () => {
    api.put(ingressFrom([8080]));
    const r = await run(['diff', '--from', manifests, '-A'], writeKubeconfig(api));
    expect(r.stdout).toBe('0 changes\n');
    expect(r.code).toBe(0);
  });

  it('a port the cluster opens beyond the manifests is widened, exit 1', async () => {
    api.put(ingressFrom([8080, 9090]));
    const r = await run(['diff', '--from', manifests, '-A', '-o', 'json'], writeKubeconfig(api));
    expect(r.code).toBe(1);
    const changes = (
      JSON.parse(r.stdout) as { changes: { src: string; dst: string; ports: number[][]; change: string }[] }
    ).changes;
    expect(changes).toEqual([
      expect.objectContaining({
        src: 'shop/Pod/client',
        dst: 'shop/Pod/server',
        ports: [[9090, 9090]],
        change: 'widened',
      }),
    ]);
  });
});
