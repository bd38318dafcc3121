/** Starts the shared control plane once for `npm run test:cluster` and stops it at the end. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestCluster } from './lib/cluster.js';
import { stopControlPlane, type ControlPlaneState } from './lib/control-plane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterDir: string;
  }
}

let state: ControlPlaneState | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'meshdbg-cluster-'));
  const cluster = await startTestCluster(join(dir, 'shared'));
  state = cluster.state;
  project.provide('clusterDir', cluster.state.dir);
}

export async function teardown(): Promise<void> {
  if (state) await stopControlPlane(state);
  if (dir && !process.env['MESHDBG_KEEP_CLUSTER']) rmSync(dir, { recursive: true, force: true });
}
