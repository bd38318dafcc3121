/**
 * `explain --batch` throughput (issue 15: >= 10,000 queries/s on the 10k-pod mesh with HTTP
 * queries) through the command's own runBatch (JSON line in, JSON line out, written to /dev/null
 * as `> /dev/null` does), with a plain js-yaml parse of the same mesh as the baseline measured in
 * the same run; then the same queries through the built CLI end to end (`npm run bench` builds it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { runBatch } from '../src/commands/explain.js';
import { explain } from '../src/engine/explain.js';
import { parseQuery } from '../src/parsers/explain-query.js';
import { toJsonLine } from '../src/report/json.js';
import { snapshotFromObjects } from '../src/commands/load-snapshot.js';
import { gc } from './measure.js';
import { podPairs, syntheticCluster, type ClusterSize } from './synthetic.js';

const HTTP = { method: 'GET', path: '/api/orders' };

/** `count` random pod pairs and ports of the mesh, drawn with `seed`, as batch lines. */
function queryLines(
  objects: ReturnType<typeof syntheticCluster>['objects'],
  count: number,
  seed: number,
  httpEvery: number,
): string[] {
  return podPairs(objects, count, seed).map(([src, dst, port], i) =>
    JSON.stringify({ id: i, src, dst, port, http: i % httpEvery === 0 ? HTTP : undefined }),
  );
}

function lineFile(lines: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-bench-batch-')), 'q.jsonl');
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '');
  return file;
}

const CLI = new URL('../dist/meshdbg.mjs', import.meta.url).pathname;

/** CPU ms (user + system) and wall ms of the built CLI answering `queries` into /dev/null (bash's `times`). */
function cliRun(mesh: string, queries: string, now: string, workers = 1): { cpu: number; wall: number } {
  const w0 = performance.now();
  const out = execFileSync(
    'bash',
    [
      '-c',
      'node "$1" explain --batch "$2" --from "$3" --now "$4" --workers "$5" > /dev/null; times',
      'bench',
      CLI,
      queries,
      mesh,
      now,
      String(workers),
    ],
    { encoding: 'utf8' },
  );
  const wall = performance.now() - w0;
  // `times`: the shell's user/system, then its children's, as `0m1.234s 0m0.056s`
  const children = out.trim().split('\n').at(-1) ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (a, m) => a + Number(m[1]) * 60e3 + Number(m[2]) * 1e3,
    0,
  );
  return { cpu, wall };
}

interface CliFigures {
  /** per query, the lines after the warm-up ones: comparable with runBatch's new pairs */
  readonly fresh: { wall: number; cpu: number };
  /** per query over the whole run, JIT warm-up included (reading the mesh excluded) */
  readonly whole: { wall: number; cpu: number };
}

/**
 * What a user runs: `meshdbg explain --batch FILE --from MESH > /dev/null`, the bundle in a fresh
 * process. Runs with warm-up + fresh lines, warm-up lines only, and no line (reading the mesh),
 * alternated twice; the differences give the per-query costs.
 */
function cliQps(text: string, warm: readonly string[], fresh: readonly string[], now: string): CliFigures | null {
  if (!existsSync(CLI)) return null;
  const mesh = join(mkdtempSync(join(tmpdir(), 'meshdbg-bench-batch-cli-')), 'mesh.yaml');
  writeFileSync(mesh, text);
  const files = [lineFile([...warm, ...fresh]), lineFile(warm), lineFile([])];
  const sums = files.map(() => ({ cpu: 0, wall: 0 }));
  for (let i = 0; i < 2; i++)
    files.forEach((f, j) => {
      const r = cliRun(mesh, f, now);
      (sums[j] as { cpu: number }).cpu += r.cpu / 2;
      (sums[j] as { wall: number }).wall += r.wall / 2;
    });
  const [all, warmOnly, none] = sums as [
    { cpu: number; wall: number },
    { cpu: number; wall: number },
    { cpu: number; wall: number },
  ];
  const rate = (n: number, ms: number): number => n / (ms / 1000);
  return {
    fresh: { wall: rate(fresh.length, all.wall - warmOnly.wall), cpu: rate(fresh.length, all.cpu - warmOnly.cpu) },
    whole: {
      wall: rate(warm.length + fresh.length, all.wall - none.wall),
      cpu: rate(warm.length + fresh.length, all.cpu - none.cpu),
    },
  };
}

/**
 * The built CLI on one large FILE of new pairs with `--workers 1` and `--workers 2`, and on an
 * empty FILE (reading the mesh only), alternated twice: whole runs (reading the mesh included),
 * and per line past reading the mesh (whole run minus the read-only run: what each more line of
 * a long batch costs), wall and CPU time of all threads, with the load average, since extra
 * threads only pay on idle CPUs.
 */
function cliThreads(text: string, lines: readonly string[], now: string): string | null {
  if (!existsSync(CLI)) return null;
  const mesh = join(mkdtempSync(join(tmpdir(), 'meshdbg-bench-batch-cli-')), 'mesh.yaml');
  writeFileSync(mesh, text);
  const file = lineFile(lines);
  const empty = lineFile([]);
  const load = loadavg()[0] ?? 0;
  // 0: the read-only run (an empty FILE is never shared, whatever --workers says)
  const sums = new Map<number, { cpu: number; wall: number }>([0, 1, 2].map((w) => [w, { cpu: 0, wall: 0 }]));
  for (let i = 0; i < 2; i++)
    for (const [workers, sum] of sums) {
      const r = workers === 0 ? cliRun(mesh, empty, now, 1) : cliRun(mesh, file, now, workers);
      sum.cpu += r.cpu / 2;
      sum.wall += r.wall / 2;
    }
  const at = (w: number): { cpu: number; wall: number } => sums.get(w) as { cpu: number; wall: number };
  const rate = (ms: number): number => lines.length / (ms / 1000);
  const q = (n: number): string => Math.round(n).toLocaleString('en-US');
  const whole = (w: number): string =>
    `--workers ${w} ${q(rate(at(w).wall))} queries/s (${q(rate(at(w).cpu))} per CPU second)`;
  const marginal = (w: number): number => rate(at(w).wall - at(0).wall);
  const perLine = (w: number): string =>
    `--workers ${w} ${q(marginal(w))} queries/s (${q(rate(at(w).cpu - at(0).cpu))} per CPU second)`;
  const n = lines.length.toLocaleString('en-US');
  return (
    `  built CLI, ${n} new pairs, whole run incl. reading the mesh (${(at(0).wall / 1000).toFixed(2)} s alone): ${whole(1)}, ${whole(2)}; ` +
    `past reading the mesh: ${perLine(1)}, ${perLine(2)}, --workers 2 / 1 = ${(marginal(2) / marginal(1)).toFixed(2)}x ` +
    `(load average ${load.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after, ${availableParallelism()} CPUs)`
  );
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** GC pause time (ms) observed while `run` runs, with the CPU ms it took. */
async function withGcTime(run: () => void): Promise<{ cpu: number; gc: number }> {
  let pauses = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const c0 = cpuMs();
  run();
  const cpu = cpuMs() - c0;
  // GC entries are delivered asynchronously
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return { cpu, gc: pauses };
}

/**
 * Where a new query's CPU goes: the engine (explain, all answers kept) and then the JSON line
 * (toJsonLine of those answers), each with the GC pauses seen meanwhile, per query.
 */
async function cpuSplit(lines: readonly string[], snapshot: ReturnType<typeof snapshotFromObjects>): Promise<string> {
  const now = '2026-11-20T10:00:00Z';
  const queries = lines.map((l) => parseQuery(JSON.parse(l) as unknown, { now }));
  gc();
  let answers: ReturnType<typeof explain>[] = [];
  const engine = await withGcTime(() => {
    answers = queries.map((q) => explain(snapshot, q));
  });
  gc();
  let bytes = 0;
  const json = await withGcTime(() => {
    for (const a of answers) bytes += toJsonLine(a).length;
  });
  const us = (ms: number): string => `${Math.round((ms * 1000) / lines.length)} µs`;
  return (
    `  CPU per new query: engine ${us(engine.cpu)} (GC pauses ${us(engine.gc)}), JSON line with the fix YAML ${us(json.cpu)} ` +
    `(GC ${us(json.gc)}, ${Math.round(bytes / lines.length)} bytes)`
  );
}

/**
 * Queries per second on pairs never asked before (a warm-up on other pairs first, so the JIT and
 * the per-Snapshot caches of the mesh are warm but no answer is), then the same pairs again.
 * CPU time as well as wall time: the machine may be shared.
 */
async function batchQps(label: string, size: ClusterSize, httpEvery: number, cli = false): Promise<void> {
  const { objects } = syntheticCluster(size);
  const text = yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }, { noRefs: true });
  gc();
  const y0 = cpuMs();
  yaml.load(text);
  const yamlMs = cpuMs() - y0;
  const snapshot = snapshotFromObjects(objects, null, label);
  const count = 3000;
  let bytes = 0;
  const devNull = openSync('/dev/null', 'w');
  const sink = (line: string): void => {
    bytes += line.length;
    writeSync(devNull, line);
  };
  const defaults = { now: '2026-11-20T10:00:00Z' };
  const warmLines = queryLines(objects, count, 1, httpEvery);
  const freshLines = queryLines(objects, count, 2, httpEvery);
  await runBatch(lineFile(warmLines), snapshot, defaults, sink);
  const fresh = lineFile(freshLines);
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
  console.log(await cpuSplit(queryLines(objects, count, 4, httpEvery), snapshot));
  if (!cli) return;
  const run = cliQps(text, warmLines, freshLines, defaults.now);
  console.log(
    run
      ? `  built CLI, explain --batch FILE > /dev/null: the same new pairs after the same warm-up ${q(run.fresh.wall)} queries/s ` +
          `(${q(run.fresh.cpu)} per CPU second); whole run of ${2 * count} lines, JIT warm-up included, ${q(run.whole.wall)} (${q(run.whole.cpu)})`
      : `  built CLI: ${CLI} missing (npm run build)`,
  );
  const threads = cliThreads(text, queryLines(objects, 20_000, 3, httpEvery), defaults.now);
  if (threads) console.log(threads);
}

await batchQps('10k+istio', { pods: 10_000, networkPolicies: 5_000, authorizationPolicies: 3_000 }, 1, true);
await batchQps('10k+istio', { pods: 10_000, networkPolicies: 5_000, authorizationPolicies: 3_000 }, 2);
await batchQps('10k map mesh', { pods: 10_000, networkPolicies: 4_500, authorizationPolicies: 2_200 }, 1);
