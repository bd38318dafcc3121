/**
 * A private control plane (the shared one stays up for the other files) whose etcd is stopped:
 * one-shot commands say what failed and exit 3 ("nothing needed could be read from the cluster").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createControlPlane,
  loadControlPlane,
  stopControlPlane,
  stopEtcd,
  type ControlPlaneState,
} from './lib/control-plane.js';
import { runCli } from './lib/harness.js';
import { adminKubeconfig } from './lib/users.js';

let dir: string;
let state: ControlPlaneState;
let kubeconfig: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshdbg-faults-'));
  state = await createControlPlane(dir, loadControlPlane(inject('clusterDir')).binDir);
  kubeconfig = adminKubeconfig(state);
});
afterAll(async () => {
  await stopControlPlane(state);
  rmSync(dir, { recursive: true, force: true });
});

describe('etcd stopped under a running apiserver', () => {
  it('before: the same commands read the cluster', async () => {
    const snap = await runCli(['snapshot', '-A', '--kubeconfig', kubeconfig]);
    expect(snap.code, snap.stderr).toBe(0);
  });

  it('snapshot and explain exit 3 with an error that names the cluster, not a stack trace', async () => {
    await stopEtcd(state);
    const args = ['--kubeconfig', kubeconfig, '--request-timeout', '5s'];
    const snap = await runCli(['snapshot', '-A', ...args]);
    const explain = await runCli(['explain', 'default/a', 'default/b', '--port', '80', ...args]);
    for (const r of [snap, explain]) {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/127\.0\.0\.1|cluster|apiserver|server/i);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });
});
