/**
 * `npm run cluster:up`: a real etcd + kube-apiserver on 127.0.0.1 with the owners' CRDs, the
 * bundled examples applied (pods made without a kubelet) and two kubeconfigs: the admin's and
 * a user who may only read poc-mesh. Prints the kubeconfig path. `npm run cluster:down` stops it.
 * `--empty` skips the examples.
 */
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPath, readManifests } from './lib/apply.js';
import { startTestCluster, type TestCluster } from './lib/cluster.js';
import { loadControlPlane, stopControlPlane } from './lib/control-plane.js';
import { materializeDeployments } from './lib/pods.js';
import { namespaceReader } from './lib/users.js';

const UP_DIR = fileURLToPath(new URL('../../.tmp/cluster', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** Applies each example whose namespaces no earlier one used (several variants share namespaces). */
async function applyExamples(cluster: TestCluster): Promise<void> {
  const used = new Set<string>();
  for (const example of readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = join(EXAMPLES, example.name, 'manifests');
    const namespaces = new Set(
      readManifests(dir)
        .map((m) => m.metadata['namespace'])
        .filter((n): n is string => typeof n === 'string' && n !== 'istio-system' && n !== 'kube-system'),
    );
    if ([...namespaces].some((n) => used.has(n))) {
      process.stderr.write(
        `cluster: examples/${example.name}: skipped (shares a namespace with an example applied before)\n`,
      );
      continue;
    }
    namespaces.forEach((n) => used.add(n));
    const { applied, unserved } = await applyPath(cluster.admin, cluster.discovery, dir);
    let pods = 0;
    for (const ns of namespaces) pods += await materializeDeployments(cluster.admin, ns);
    const skipped = unserved.length ? `, ${unserved.length} of kinds the server does not serve` : '';
    process.stderr.write(`cluster: examples/${example.name}: ${applied.length} objects, ${pods} pods${skipped}\n`);
  }
}

async function main(): Promise<void> {
  if (existsSync(join(UP_DIR, 'state.json'))) await stopControlPlane(loadControlPlane(UP_DIR));
  rmSync(UP_DIR, { recursive: true, force: true });
  mkdirSync(UP_DIR, { recursive: true });
  const cluster = await startTestCluster(UP_DIR);
  process.stderr.write(`cluster: ${cluster.crds.length} CRDs installed\n`);
  if (!process.argv.includes('--empty')) await applyExamples(cluster);
  const reader = await namespaceReader(cluster.state, cluster.admin, 'meshdbg-reader', 'poc-mesh');
  process.stderr.write(`cluster: namespace-only user (reads poc-mesh): ${reader}\n`);
  process.stderr.write(`cluster: stop with npm run cluster:down\n`);
  process.stdout.write(`${cluster.adminKubeconfig}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cluster:up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
