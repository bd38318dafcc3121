/**
 * `explain --batch` throughput (issue 15: >= 10,000 queries/s on the 10k-pod mesh with HTTP
 * queries) through the command's own runBatch (JSON line in, JSON line out), with a plain
 * js-yaml parse of the same mesh as the baseline measured in the same run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { runBatch } from '../src/commands/explain.js';
import { snapshotFromObjects } from '../src/commands/load-snapshot.js';
import { gc } from './measure.js';
import { podPairs, syntheticCluster, type ClusterSize } from './synthetic.js';

const HTTP = { method: 'GET', path: '/api/orders' };

/** `count` random pod pairs and ports of the mesh, drawn with `seed`, as batch lines. */
function queryFile(
  objects: ReturnType<typeof syntheticCluster>['objects'],
  count: number,
  seed: number,
  httpEvery: number,
): string {
  const lines = podPairs(objects, count, seed).map(([src, dst, port], i) =>
    JSON.stringify({ id: i, src, dst, port, http: i % httpEvery === 0 ? HTTP : undefined }),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-bench-batch-')), 'q.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Queries per second on pairs never asked before (a warm-up on other pairs first, so the JIT and
 * the per-Snapshot caches of the mesh are warm but no answer is), then the same pairs again.
 * CPU time as well as wall time: the machine may be shared.
 */
async function batchQps(label: string, size: ClusterSize, httpEvery: number): Promise<void> {
  const { objects } = syntheticCluster(size);
  const text = yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }, { noRefs: true });
  gc();
  const y0 = cpuMs();
  yaml.load(text);
  const yamlMs = cpuMs() - y0;
  const snapshot = snapshotFromObjects(objects, null, label);
  const count = 3000;
  let bytes = 0;
  const sink = (line: string): void => {
    bytes += line.length;
  };
  const defaults = { now: '2026-11-20T10:00:00Z' };
  await runBatch(queryFile(objects, count, 1, httpEvery), snapshot, defaults, sink);
  const fresh = queryFile(objects, count, 2, httpEvery);
  const measure = async (): Promise<{ wall: number; cpu: number }> => {
    gc();
    bytes = 0;
    const w0 = performance.now();
    const c0 = cpuMs();
    await runBatch(fresh, snapshot, defaults, sink);
    return { wall: count / ((performance.now() - w0) / 1000), cpu: count / ((cpuMs() - c0) / 1000) };
  };
  const first = await measure();
  const again = await measure();
  const q = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    `batch ${label} (${httpEvery === 1 ? 'all' : `1 in ${httpEvery}`} HTTP, ${(bytes / count).toFixed(0)} bytes per answer): ` +
      `new pairs ${q(first.wall)} queries/s (${q(first.cpu)} per CPU second), asked again ${q(again.wall)} (${q(again.cpu)}); ` +
      `a js-yaml parse of the mesh takes the CPU time of ${q((yamlMs / 1000) * first.cpu)} new queries`,
  );
}

await batchQps('10k+istio', { pods: 10_000, networkPolicies: 5_000, authorizationPolicies: 3_000 }, 1);
await batchQps('10k+istio', { pods: 10_000, networkPolicies: 5_000, authorizationPolicies: 3_000 }, 2);
await batchQps('10k map mesh', { pods: 10_000, networkPolicies: 4_500, authorizationPolicies: 2_200 }, 1);
