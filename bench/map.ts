/**
 * `meshdbg map` and `diff` at scale (issue "map and diff"): full map of generated meshes
 * (1k pods / 450 NetworkPolicies / 220 AuthorizationPolicies, and 10k pods), each pod its own
 * workload; diff of two 10k-pod inputs; with a plain js-yaml parse of the same input as the
 * baseline measured in the same run.
 */
import yaml from 'js-yaml';
import { snapshotFromObjects } from '../src/commands/load-snapshot.js';
import { planMap } from '../src/engine/map/connectivity-map.js';
import { diffMaps, indexEdges } from '../src/engine/map/diff.js';
import { syntheticCluster, type ClusterSize } from './synthetic.js';

const ALL = { namespaces: null, focus: null, includeDenied: false } as const;

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function mapOnce(size: ClusterSize, seed = 42): { ms: number; edges: number; workloads: number; yamlMs: number } {
  const { objects } = syntheticCluster(size, seed);
  const text = yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }, { noRefs: true });
  const y0 = performance.now();
  yaml.load(text);
  const yamlMs = performance.now() - y0;
  const t0 = performance.now();
  const snapshot = snapshotFromObjects(objects, null, 'bench');
  const plan = planMap(snapshot, ALL);
  let edges = 0;
  for (const _ of plan.pairs()) edges++;
  return { ms: performance.now() - t0, edges, workloads: plan.workloads.length, yamlMs };
}

function report(label: string, size: ClusterSize): number {
  const r = mapOnce(size);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(
    `map ${label}: ${r.workloads} workloads, ${r.edges} edges in ${secs(r.ms)} (${(r.ms / r.yamlMs).toFixed(1)}x a js-yaml parse of the same input, ${secs(r.yamlMs)}); RSS ${rss.toFixed(0)} MB`,
  );
  return r.ms;
}

function diffOnce(size: ClusterSize): void {
  const before = snapshotFromObjects(syntheticCluster(size, 42).objects, null, 'before');
  const after = snapshotFromObjects(syntheticCluster(size, 43).objects, null, 'after');
  const t0 = performance.now();
  const changes = diffMaps(indexEdges(planMap(before, ALL).pairs()), indexEdges(planMap(after, ALL).pairs()));
  console.log(`diff 10k: ${changes.length} changes in ${secs(performance.now() - t0)}`);
}

const small = { pods: 1_000, networkPolicies: 450, authorizationPolicies: 220 };
report('1k', small);
if (process.env['MESHDBG_BENCH_MAP_10K'] === '1') {
  const big = { pods: 10_000, networkPolicies: 4_500, authorizationPolicies: 2_200 };
  report('10k', big);
  diffOnce(big);
}
