/** One call from nothing to a ready test cluster: binaries, control plane, CRDs, discovery, admin kubeconfig. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Discovery } from './apply.js';
import { adminClient, createControlPlane, type ControlPlaneState } from './control-plane.js';
import { installCrds } from './crds.js';
import type { RestClient } from './rest.js';
import { adminKubeconfig } from './users.js';

const BUILD_SCRIPT = fileURLToPath(new URL('../build.sh', import.meta.url));

/** Builds (or finds in the cache) etcd and kube-apiserver; returns their folder. */
export function buildControlPlane(): string {
  const out = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export interface TestCluster {
  readonly state: ControlPlaneState;
  readonly admin: RestClient;
  readonly discovery: Discovery;
  readonly adminKubeconfig: string;
  readonly crds: readonly string[];
}

export async function startTestCluster(dir: string): Promise<TestCluster> {
  const state = await createControlPlane(dir, buildControlPlane());
  const admin = adminClient(state);
  const crds = await installCrds(admin);
  const discovery = new Discovery(admin);
  await discovery.refresh();
  return { state, admin, discovery, adminKubeconfig: adminKubeconfig(state), crds };
}
