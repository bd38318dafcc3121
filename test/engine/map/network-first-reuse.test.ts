/**
 * The map evaluates a flow through its early exit (src/engine/map/network-first.ts
 * evaluateNetworkFirst): a NetworkPolicy denial stops there; otherwise the sidecar pipeline runs
 * on, reusing the layers the early exit already evaluated (sidecar-flow.ts sidecarFlowResult).
 * The reused answer must be the fresh pipeline's (`evaluateFlow`, what `explain` runs) field for
 * field, and an early denial must have the same verdict and decidedBy. Checked at every probe the
 * map makes (pair-evaluation.ts pairProbes) on random worlds: the early exit's condition worlds,
 * the bench's generated meshes (sidecar and ambient, with AuthorizationPolicies) and every example.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticCluster } from '../../../bench/synthetic.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { evaluateFlow } from '../../../src/engine/explain/flow-eval.js';
import { evaluateNetworkFirst, networkPolicyDenial } from '../../../src/engine/map/network-first.js';
import { flowFor } from '../../../src/engine/map/pair-evaluation.js';
import { pairProbes, type PeerEndpoint } from '../../../src/engine/map/pair-probes.js';
import { policyFacts } from '../../../src/engine/map/policy-facts.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { loadExampleSnapshot } from './example-snapshot.js';
import { networkFirstWorld } from './network-first-worlds.js';

const LATER_LAYERS = new Set(['mtls', 'authz-custom', 'jwt', 'authz-deny', 'authz-allow']);

interface Seen {
  early: number;
  reused: number;
  /** reused answers a layer after the reused ones decided or made conditional */
  decidedLater: number;
}

/** Every probe of every ordered pair of pods (at most `limit` pods): disagreements, and what was exercised. */
function check(snapshot: Snapshot, seen: Seen, limit = 40): string[] {
  const facts = policyFacts(snapshot);
  const pods: PeerEndpoint[] = snapshot.pods.slice(0, limit).map((pod) => ({ type: 'pod', pod }));
  const failures: string[] = [];
  for (const src of pods)
    for (const dst of pods) {
      if (src === dst || src.type !== 'pod' || dst.type !== 'pod') continue;
      for (const probe of pairProbes(snapshot, facts, src, dst)) {
        const where = `${src.pod.name} -> ${dst.pod.name} ${probe.protocol}/${probe.port}`;
        const flow = flowFor(snapshot, src, dst, probe.protocol, probe.port);
        const full = evaluateFlow(snapshot, flow);
        const answer = evaluateNetworkFirst(snapshot, flow);
        if (networkPolicyDenial(snapshot, flow) !== null) {
          seen.early++;
          if (answer.verdict !== full.verdict || JSON.stringify(answer.decidedBy) !== JSON.stringify(full.decidedBy))
            failures.push(`${where}: early exit ${answer.verdict}, explain ${full.verdict}`);
          continue;
        }
        seen.reused++;
        if (JSON.stringify(answer) !== JSON.stringify(full))
          failures.push(`${where}: reused layers answer differently`);
        const later = full.steps.some((s) => LATER_LAYERS.has(s.layer) && s.effective && s.verdict !== 'allowed');
        if (later && full.steps.some((s) => LATER_LAYERS.has(s.layer) && s.verdict !== 'not-applicable'))
          seen.decidedLater++;
      }
    }
  return failures;
}

describe('reusing the early exit layers gives the fresh pipeline answer', () => {
  const seen: Seen = { early: 0, reused: 0, decidedLater: 0 };

  it.each(Array.from({ length: 24 }, (_, i) => i + 1))('early-exit condition world, seed %i', (seed) => {
    expect(check(snapshotFromYaml(networkFirstWorld(seed).yaml), seen)).toEqual([]);
  });

  it.each([1, 2, 3, 4])('generated sidecar mesh, seed %i', (seed) => {
    const size = { pods: 40, networkPolicies: 18, authorizationPolicies: 12 };
    const snapshot = snapshotFromObjects(syntheticCluster(size, seed).objects, null, 'test');
    expect(check(snapshot, seen)).toEqual([]);
  });

  it.each([1, 2])('generated ambient mesh, seed %i', (seed) => {
    const size = { pods: 30, networkPolicies: 14, authorizationPolicies: 8, ambient: true };
    const snapshot = snapshotFromObjects(syntheticCluster(size, seed).objects, null, 'test');
    expect(check(snapshot, seen, 30)).toEqual([]);
  });

  it.each(
    readdirSync('examples', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name),
  )('example %s', async (name) => {
    expect(check(await loadExampleSnapshot(name), seen)).toEqual([]);
  });

  it('the worlds exercise the early exit, the reuse and the layers after it (not vacuous)', () => {
    expect(seen.early).toBeGreaterThan(0);
    expect(seen.reused).toBeGreaterThan(0);
    expect(seen.decidedLater).toBeGreaterThan(0);
  });
});
