/** What a cluster test file needs: the shared control plane, the admin client and the built CLI. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Discovery, type Manifest } from './apply.js';
import { adminClient, loadControlPlane, type ControlPlaneState } from './control-plane.js';
import { expectOk, type RestClient } from './rest.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(REPO, 'dist', 'meshdbg.mjs');

export interface Harness {
  readonly state: ControlPlaneState;
  readonly admin: RestClient;
  readonly discovery: Discovery;
  readonly adminKubeconfig: string;
}

export async function openHarness(dir: string): Promise<Harness> {
  const state = loadControlPlane(dir);
  const admin = adminClient(state);
  const discovery = new Discovery(admin);
  await discovery.refresh();
  return { state, admin, discovery, adminKubeconfig: join(dir, 'admin.kubeconfig') };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built meshdbg (npm ci's prepare builds dist/) with `args`; `input` goes to stdin. */
export function runCli(args: readonly string[], input?: string, timeoutMs = 90_000): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Deletes objects now (gracePeriodSeconds=0: no kubelet will confirm a pod's termination). */
export async function deleteManifests(h: Harness, manifests: readonly Manifest[]): Promise<void> {
  for (const m of [...manifests].reverse()) {
    if (m.kind === 'Namespace') continue; // no namespace controller finalizes a deleted namespace here
    const collection = h.discovery.collectionPath(m, 'default');
    if (!collection) continue;
    const path = `${collection}/${encodeURIComponent(String(m.metadata['name']))}`;
    await expectOk(
      h.admin.call('DELETE', path, { gracePeriodSeconds: 0, propagationPolicy: 'Background' }),
      `delete ${path}`,
      [404],
    );
  }
}

/** Deletes every object of one namespaced collection in `namespace` (pods, replicasets, ...). */
export async function deleteAllIn(h: Harness, collectionPath: string): Promise<void> {
  await expectOk(h.admin.call('DELETE', `${collectionPath}?gracePeriodSeconds=0`), `delete ${collectionPath}`);
}
