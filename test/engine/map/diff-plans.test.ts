/**
 * diffPlans compares two maps per pair of class pairs; it must give exactly what diffMaps gives
 * over every edge of both maps (same changes, same order), with workloads on both sides, on one
 * side only, and classes of several workloads.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMap, type MapOptions } from '../../../src/engine/map/connectivity-map.js';
import { diffMaps, indexEdges } from '../../../src/engine/map/diff.js';
import { diffPlans } from '../../../src/engine/map/diff-plans.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { generator, worldYaml } from '../network-policy/random-policies.js';
import { ALL } from './agreement.js';
import { loadExampleSnapshot } from './example-snapshot.js';
import { captureWorld } from './sidecar-capture-worlds.js';
import { manyBlocksWorld } from './many-blocks-world.js';

function bothWays(before: Snapshot, after: Snapshot, options: MapOptions = ALL): void {
  const b = planMap(before, options);
  const a = planMap(after, options);
  const expected = diffMaps(indexEdges(b.pairs()), indexEdges(a.pairs()));
  expect([...diffPlans(b, a)]).toEqual(expected);
}

describe('diffPlans agrees with the edge-by-edge diff', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('random NetworkPolicy worlds, seed %i', (seed) => {
    const before = snapshotFromYaml(worldYaml(generator(seed).policies()));
    const after = snapshotFromYaml(worldYaml(generator(seed + 100).policies()));
    bothWays(before, after);
    bothWays(after, before);
  });

  it.each(Array.from({ length: 8 }, (_, i) => i + 1))(
    'random sidecar meshes (twins: classes of two), seed %i',
    (seed) => {
      bothWays(snapshotFromYaml(captureWorld(seed).yaml), snapshotFromYaml(captureWorld(seed + 50).yaml));
    },
  );

  const examples = readdirSync('examples', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  it.each(examples.map((name, i) => [name, examples[(i + 1) % examples.length] as string]))(
    'example %s to example %s (workloads on one side only)',
    async (from, to) => {
      bothWays(await loadExampleSnapshot(from), await loadExampleSnapshot(to));
    },
  );

  // externals walk the pods only (no map lists an external with another): blocks on both sides,
  // on one side only, and a namespace filter (MapPlan.listed decides, not the every-pair shortcut)
  it.each(Array.from({ length: 4 }, (_, i) => i + 1))('worlds naming many address blocks, seed %i', (seed) => {
    const before = snapshotFromYaml(manyBlocksWorld(seed).yaml);
    const after = snapshotFromYaml(manyBlocksWorld(seed + 10).yaml);
    bothWays(before, after);
    bothWays(after, before);
    bothWays(before, after, { ...ALL, namespaces: new Set(['shop']) });
    bothWays(before, after, { ...ALL, focus: 'shop/Pod/web' });
    const b = planMap(before, ALL);
    expect([...diffPlans(b, planMap(after, ALL))].some((c) => c.src.startsWith('external/'))).toBe(true);
  });

  it('finds changes where there are some (the test is not vacuous)', () => {
    const b = planMap(snapshotFromYaml(worldYaml(generator(3).policies())), ALL);
    const a = planMap(snapshotFromYaml(worldYaml(generator(103).policies())), ALL);
    expect([...diffPlans(b, a)].length).toBeGreaterThan(0);
  });
});
