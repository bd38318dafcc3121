/**
 * Calico at scale (issue 14): 10k pods / 5k NetworkPolicies, and the same cluster with 2k Calico
 * policies in 4 tiers (security, platform, apps, default; each non-default tier ends its policies
 * with Pass). Snapshot build and explain p50/p99 over the same random pairs, the no-Calico cluster
 * measured in the same run as the baseline. Target: the Calico figures within 1.5x of the baseline.
 */
import { snapshotFromObjects } from '../src/commands/load-snapshot.js';
import { explain } from '../src/engine/explain.js';
import type { RawObject } from '../src/model/raw.js';
import { benchQuery, fmt, gc, percentile } from './measure.js';
import { calicoObjects, syntheticCluster } from './synthetic.js';

function measure(label: string, objects: readonly RawObject[], pairs: readonly [string, string, number][]) {
  gc();
  const t0 = performance.now();
  const snapshot = snapshotFromObjects(objects, null, label);
  const buildMs = performance.now() - t0;
  pairs.slice(0, 200).forEach(([src, dst, port], i) => explain(snapshot, benchQuery(dst, src, port, i)));
  const times: number[] = [];
  const verdicts = new Map<string, number>();
  pairs.forEach(([src, dst, port], i) => {
    const s = performance.now();
    const r = explain(snapshot, benchQuery(src, dst, port, i));
    times.push(performance.now() - s);
    const v = r.kind === 'Error' ? 'error' : r.verdict;
    verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
  });
  times.sort((a, b) => a - b);
  return {
    buildMs,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    verdicts: [...verdicts].map(([v, n]) => `${n} ${v}`).join(', '),
  };
}

const size = { pods: 10_000, networkPolicies: 5_000, authorizationPolicies: 0 };
const { objects, pairs } = syntheticCluster(size);
const calico = calicoObjects(2_000, Math.round(size.pods / 50));
const base = measure('baseline', objects, pairs);
const withCalico = measure('calico', [...objects, ...calico], pairs);
for (const [label, r] of [
  ['no Calico (baseline)', base],
  ['+2k Calico policies, 4 tiers', withCalico],
] as const)
  console.log(`${label}: build ${fmt(r.buildMs)}, explain p50 ${fmt(r.p50)}, p99 ${fmt(r.p99)} (${r.verdicts})`);
console.log(
  `ratio: build ${(withCalico.buildMs / base.buildMs).toFixed(2)}x, explain p50 ${(withCalico.p50 / base.p50).toFixed(2)}x (target <= 1.5x)`,
);
