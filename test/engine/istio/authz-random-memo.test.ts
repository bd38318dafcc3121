/**
 * What the AuthorizationPolicy layers remember between flows (per-rule plans, split principals,
 * trust-domain expansions) must never change a byte: over random AuthorizationPolicy sets (every
 * rule field, not- forms, `when` keys, DENY/AUDIT/ALLOW, dry-run) on a generated sidecar mesh,
 * answers from one long-lived Snapshot, interleaved with a second Snapshot that shares its pod
 * objects but not its policies, equal the answers of a fresh Snapshot per query.
 */
import { describe, expect, it } from 'vitest';
import { podPairs, syntheticCluster } from '../../../bench/synthetic.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { explain } from '../../../src/engine/explain.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import type { RawObject } from '../../../src/model/raw.js';
import { authorizationPolicies, NAMESPACES } from './random-authz.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { toJsonLine } from '../../../src/report/json.js';
import { seededRandom } from '../../../src/util/random.js';

const NOW = '2026-11-20T10:00:00Z';
const REQUESTS = [
  undefined,
  { method: 'GET', path: '/api/orders' },
  { method: 'POST', path: '/admin/x', headers: { 'x-team': 'a' } },
  { method: 'GET', path: '/api/orders', host: 'api-svc.ns-1.svc.cluster.local', headers: { 'x-team': 'b' } },
];

function lines(objects: readonly RawObject[], seed: number): string[] {
  const rnd = seededRandom(seed);
  return podPairs(objects, 60, seed).map(([src, dst, port], id) =>
    JSON.stringify({ id, src, dst, port, http: rnd.pick(REQUESTS) }),
  );
}

/** Where two answers part, with some context. */
function firstDifference(x: string, y: string): string {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `at ${i}: ${x.slice(Math.max(0, i - 200), i + 200)}\n  vs ${y.slice(Math.max(0, i - 200), i + 200)}`;
}

const answer = (snapshot: Snapshot, line: string): string =>
  toJsonLine(explain(snapshot, parseQuery(JSON.parse(line) as unknown, { now: NOW })));

describe('AuthorizationPolicy memos never change an answer', () => {
  it.each([1, 2, 3, 4, 5, 6])('random policies, seed %i', (seed) => {
    const mesh = syntheticCluster(
      { pods: NAMESPACES * 50, networkPolicies: 20, authorizationPolicies: 0 },
      seed,
    ).objects;
    const worldA = [...mesh, ...authorizationPolicies(seed, 30)];
    const worldB = [...mesh, ...authorizationPolicies(seed + 100, 30)];
    const a = snapshotFromObjects(worldA, null, 'a');
    // the same pod objects, other policies: a memo keyed by pod or rule position alone would answer from A's
    const fromB = snapshotFromObjects(worldB, null, 'b');
    const b: Snapshot = {
      ...a,
      istio: { ...a.istio, authorizationPolicies: fromB.istio.authorizationPolicies },
      findings: fromB.findings,
    };
    const qs = lines(mesh, seed);
    const warm = qs.flatMap((l) => [answer(a, l), answer(b, l)]);
    const cold = qs.flatMap((l) => [
      answer(snapshotFromObjects(worldA, null, 'a'), l),
      answer(snapshotFromObjects(worldB, null, 'b'), l),
    ]);
    expect(warm.filter((t) => t.includes('"layer":"authz-allow","verdict":"denied"')).length).toBeGreaterThan(0);
    expect(warm.filter((t) => t.includes('"kind":"AuthorizationPolicy"')).length).toBeGreaterThan(qs.length / 4);
    const diff = warm
      .map((w, i) => (w === cold[i] ? null : `${i}: ${firstDifference(w, cold[i] ?? '')}`))
      .filter(Boolean);
    expect(diff[0] ?? null).toBe(null);
  });
});
