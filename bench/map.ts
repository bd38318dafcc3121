/**
 * `meshdbg map` and `diff` at scale (issue "map and diff"): full map of generated meshes
 * (1k pods / 450 NetworkPolicies / 220 AuthorizationPolicies, and 10k pods), each pod its own
 * workload; diff of two 10k-pod inputs (both maps included); with a plain js-yaml parse of the
 * same input as the baseline measured in the same run. Wall and CPU time are both given: the
 * bench machine is shared, and CPU time is what the code costs. MESHDBG_BENCH_MAP_10K=1 adds 10k.
 */
import yaml from 'js-yaml';
import { snapshotFromObjects } from '../src/commands/load-snapshot.js';
import { planMap } from '../src/engine/map/connectivity-map.js';
import { diffSources } from '../src/engine/map/diff-plans.js';
import { workloadsAnEditTouches } from '../src/engine/map/edit-scope.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { availableParallelism, loadavg } from 'node:os';
import { evaluateSidesApart, worthTwoThreads } from '../src/commands/diff-sides.js';
import { gc } from './measure.js';
import { syntheticCluster, type ClusterSize } from './synthetic.js';
import type { RawObject } from '../src/model/raw.js';

const ALL = { namespaces: null, focus: null, includeDenied: false } as const;

interface Timed<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timed<T>(run: () => T): Timed<T> {
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function both(t: Timed<unknown>): string {
  return `${secs(t.wallMs)} wall, ${secs(t.cpuMs)} CPU`;
}

function snapshotOf(size: ClusterSize, seed: number, edit: (objects: RawObject[]) => RawObject[] = (o) => o): Snapshot {
  return snapshotFromObjects(edit(syntheticCluster(size, seed).objects), null, 'bench');
}

/** The baseline: a plain js-yaml parse of the mesh's objects as one List. */
function yamlParseOf(size: ClusterSize, seed: number): Timed<unknown> {
  const items = syntheticCluster(size, seed).objects.map((o) => o.object);
  const text = yaml.dump({ apiVersion: 'v1', kind: 'List', items }, { noRefs: true });
  return timed(() => yaml.load(text));
}

function fullMap(snapshot: Snapshot): { edges: number; workloads: number; classes: number } {
  const plan = planMap(snapshot, ALL);
  let edges = 0;
  for (const _ of plan.pairs()) edges++;
  return { edges, workloads: plan.workloads.length, classes: new Set(plan.classOf).size };
}

function peakRssMb(): string {
  return `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
}

function reportMap(label: string, size: ClusterSize): Timed<unknown> {
  const yamlParse = yamlParseOf(size, 42);
  const snapshot = snapshotOf(size, 42);
  const r = timed(() => fullMap(snapshot));
  const ratio = (r.cpuMs / yamlParse.cpuMs).toFixed(1);
  console.log(
    `map ${label}: ${r.value.workloads} workloads in ${r.value.classes} classes, ${r.value.edges} edges in ${both(r)} ` +
      `(${ratio}x the CPU of a js-yaml parse of the same input, ${secs(yamlParse.cpuMs)}); peak RSS ${peakRssMb()}`,
  );
  return r;
}

/**
 * Both maps and the comparison, counting the changes (as `meshdbg diff` runs them: an edit of one
 * mesh evaluates only what it touches), and how many workloads the edit touched (null: all).
 */
function timedDiff(before: Snapshot, after: Snapshot): Timed<{ changes: number; touched: number | null }> {
  return timed(() => {
    let changes = 0;
    const touched = workloadsAnEditTouches(before, after);
    for (const source of diffSources(planMap(before, ALL), planMap(after, ALL), undefined, touched))
      for (const list of source.changes) changes += list.length;
    return { changes, touched: touched?.size ?? null };
  });
}

/**
 * A pull request's edit of the mesh: in `count` namespaces spread over the mesh, one NetworkPolicy
 * opens every pod of its namespace to any peer on any port (`podSelector: {}`, `ingress: [{}]`), and
 * in half as many, one AuthorizationPolicy takes the rules it has in the mesh of another seed and
 * selects the namespace's pods (the synthetic mesh gives each namespace one app).
 */
function policyEdit(size: ClusterSize, count: number): (objects: RawObject[]) => RawObject[] {
  const other = new Map(syntheticCluster(size, 43).objects.map((o) => [nameOf(o), o]));
  const namespaces = Math.max(2, Math.round(size.pods / 50));
  const step = Math.floor(namespaces / count);
  // np-N and ap-N live in namespace ns-(N mod namespaces); np-N with N mod 5 = 0 is already a deny-all
  const nps = new Set(Array.from({ length: count }, (_, i) => `NetworkPolicy np-${i * step + 1}`));
  const aps = new Set(
    Array.from({ length: Math.ceil(count / 2) }, (_, i) => `AuthorizationPolicy ap-${i * 2 * step + 1}`),
  );
  const edit = (o: RawObject, appOf: ReadonlyMap<string, string>): RawObject => {
    const namespace = (o.object['metadata'] as { namespace: string }).namespace;
    const spec = o.object['spec'] as Record<string, unknown>;
    const edited = nps.has(nameOf(o))
      ? { ...spec, podSelector: {}, ingress: [{}] }
      : {
          ...(other.get(nameOf(o))?.object['spec'] as object),
          selector: { matchLabels: { app: appOf.get(namespace) } },
        };
    return { ...o, object: { ...o.object, spec: edited } };
  };
  return (objects) => {
    const appOf = new Map<string, string>();
    for (const { object } of objects) {
      const metadata = object['metadata'] as { namespace?: string; labels?: Record<string, string> };
      if (object['kind'] === 'Pod' && metadata.namespace && metadata.labels?.['app'])
        appOf.set(metadata.namespace, metadata.labels['app']);
    }
    return objects.map((o) => (nps.has(nameOf(o)) || aps.has(nameOf(o)) ? edit(o, appOf) : o));
  };
}

function nameOf(o: RawObject): string {
  const metadata = o.object['metadata'] as { name?: string } | undefined;
  return `${String(o.object['kind'])} ${metadata?.name ?? ''}`;
}

function reportEditDiff(label: string, size: ClusterSize, map: Timed<unknown>, count: number): void {
  const mapCpuMs = map.cpuMs;
  const r = timedDiff(snapshotOf(size, 42), snapshotOf(size, 42, policyEdit(size, count)));
  const touched = r.value.touched ?? 'all';
  console.log(
    `diff ${label}, a pull request opening ${count} namespaces and editing ${Math.ceil(count / 2)} AuthorizationPolicies ` +
      `(${touched} workloads touched): ${r.value.changes} changes in ${both(r)} (${(r.cpuMs / mapCpuMs).toFixed(2)}x the CPU of one full map)`,
  );
}

function reportDiff(label: string, size: ClusterSize, map: Timed<unknown>): void {
  const r = timedDiff(snapshotOf(size, 42), snapshotOf(size, 43));
  console.log(
    `diff ${label}, two unrelated meshes (both maps and the comparison): ${r.value.changes} changes in ${both(r)} ` +
      `(${(r.cpuMs / map.cpuMs).toFixed(2)}x the CPU of one full map); peak RSS ${peakRssMb()}`,
  );
}

/**
 * The same diff as `meshdbg diff` runs it on a machine with an idle CPU: NEW's class pairs on a
 * worker thread while this thread evaluates OLD's (src/commands/diff-sides.ts), then the walk.
 * CPU time is the whole process's, worker included.
 */
async function reportDiffThreads(label: string, size: ClusterSize, map: Timed<unknown>): Promise<void> {
  const before = snapshotOf(size, 42);
  const after = snapshotOf(size, 43);
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sides = { before: planMap(before, ALL), after: planMap(after, ALL), afterSnapshot: after, namespaces: null };
  const apart = worthTwoThreads(sides) && (await evaluateSidesApart(sides));
  let changes = 0;
  for (const source of diffSources(sides.before, sides.after, undefined, null))
    for (const list of source.changes) changes += list.length;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `diff ${label}, two unrelated meshes, NEW on a second thread (${apart ? 'used' : 'not used'}, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)}): ` +
      `${changes} changes in ${secs(wallMs)} wall, ${secs(cpuMs)} CPU (${(wallMs / map.wallMs).toFixed(2)}x the wall time, ` +
      `${(cpuMs / map.cpuMs).toFixed(2)}x the CPU of one full map); peak RSS ${peakRssMb()}`,
  );
}

/**
 * One NetworkPolicy naming `blocks` ipBlocks with `excepts` excepts each (policies generated from
 * cloud providers' published ranges have thousands), on the 1k mesh: every block is an external
 * class, so this measures the external classes and their rows, not the pods.
 */
function manyBlocksPolicy(blocks: number, excepts: number, shift: number): RawObject {
  const from = Array.from({ length: blocks }, (_, i) => {
    const k = i + shift;
    const base = `${11 + (k >> 12)}.${(k >> 4) & 255}.${(k & 15) * 16}`;
    const except = Array.from({ length: excepts }, (_, j) => `${base}.${j * 16}/28`);
    return { ipBlock: { cidr: `${base}.0/20`, except } };
  });
  const spec = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from }] };
  const object = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'ranges', namespace: 'ns-0' },
    spec,
  };
  return { object, loc: null, lines: null };
}

function reportManyBlocks(blocks: number, excepts: number): void {
  const { objects } = syntheticCluster({ pods: 1_000, networkPolicies: 450, authorizationPolicies: 220 }, 42);
  const before = snapshotFromObjects([...objects, manyBlocksPolicy(blocks, excepts, 0)], null, 'bench');
  const after = snapshotFromObjects([...objects, manyBlocksPolicy(blocks, excepts, blocks / 2)], null, 'bench');
  const map = timed(() => fullMap(before));
  const diff = timedDiff(before, after);
  console.log(
    `map 1k + one policy naming ${blocks} ipBlocks with ${excepts} excepts each: ${map.value.workloads} workloads in ` +
      `${map.value.classes} classes, ${map.value.edges} edges in ${both(map)}; diff with half the blocks moved: ` +
      `${diff.value.changes} changes in ${both(diff)} (${(diff.cpuMs / map.cpuMs).toFixed(2)}x the map)`,
  );
}

const small = { pods: 1_000, networkPolicies: 450, authorizationPolicies: 220 };
const smallMap = reportMap('1k', small);
reportDiff('1k', small, smallMap);
await reportDiffThreads('1k', small, smallMap);
reportEditDiff('1k', small, smallMap, 10);
reportManyBlocks(1_000, 10);
if (process.env['MESHDBG_BENCH_MAP_10K'] === '1') {
  const big = { pods: 10_000, networkPolicies: 4_500, authorizationPolicies: 2_200 };
  const bigMap = reportMap('10k', big);
  reportDiff('10k', big, bigMap);
  await reportDiffThreads('10k', big, bigMap);
  reportEditDiff('10k', big, bigMap, 10);
}
