/**
 * diffSources compares two maps per pair of class pairs; spelled out (changesOf) it must give
 * exactly what diffMaps gives over every edge of both maps (same changes, same order), with
 * workloads on both sides, on one side only, and classes of several workloads.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMap, type MapOptions } from '../../../src/engine/map/connectivity-map.js';
import { diffMaps, indexEdges } from '../../../src/engine/map/diff.js';
import { changesOf, diffSources, type SourceChanges } from '../../../src/engine/map/diff-plans.js';
import type { MapPlan } from '../../../src/engine/map/connectivity-map.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { generator, worldYaml } from '../network-policy/random-policies.js';
import { ALL } from './agreement.js';
import { loadExampleSnapshot } from './example-snapshot.js';
import { captureWorld } from './sidecar-capture-worlds.js';
import { manyBlocksWorld } from './many-blocks-world.js';

function allChanges(sources: Iterable<SourceChanges>): ReturnType<typeof diffMaps> {
  return [...sources].flatMap((source) => [...changesOf(source)]);
}

/** Each source once, in the sorted order of ids, with its changed destinations in that order too, none empty. */
function wellFormed(sources: readonly SourceChanges[]): boolean {
  const ascending = (ids: readonly string[]): boolean => ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id);
  return (
    ascending(sources.map((s) => s.src)) &&
    sources.every(
      (s) =>
        s.dsts.length > 0 &&
        s.dsts.length === s.changes.length &&
        ascending(s.dsts) &&
        s.changes.every((list) => list.length > 0),
    )
  );
}

function diffOf(b: MapPlan, a: MapPlan): ReturnType<typeof diffMaps> {
  const sources = [...diffSources(b, a)];
  expect(wellFormed(sources)).toBe(true);
  return allChanges(sources);
}

function bothWays(before: Snapshot, after: Snapshot, options: MapOptions = ALL): void {
  const b = planMap(before, options);
  const a = planMap(after, options);
  const expected = diffMaps(indexEdges(b.pairs()), indexEdges(a.pairs()));
  expect(diffOf(b, a)).toEqual(expected);
}

describe('diffSources agrees with the edge-by-edge diff', () => {
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
    expect(diffOf(b, planMap(after, ALL)).some((c) => c.src.startsWith('external/'))).toBe(true);
  });

  it('finds changes where there are some (the test is not vacuous)', () => {
    const b = planMap(snapshotFromYaml(worldYaml(generator(3).policies())), ALL);
    const a = planMap(snapshotFromYaml(worldYaml(generator(103).policies())), ALL);
    expect(diffOf(b, a).length).toBeGreaterThan(0);
  });
});
