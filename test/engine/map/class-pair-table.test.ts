/**
 * MapPlan.evaluateAll and adopt (the diff's second thread, src/commands/diff-sides.ts): a plan that
 * takes another plan's table of the same Snapshot answers every class pair exactly as evaluating it
 * would, so the diff compares the same answers whichever thread computed them.
 */
import { describe, expect, it } from 'vitest';
import { planMap, type MapOptions } from '../../../src/engine/map/connectivity-map.js';
import { changesOf, diffSources } from '../../../src/engine/map/diff-plans.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { generator, worldYaml } from '../network-policy/random-policies.js';
import { ALL } from './agreement.js';
import { captureWorld } from './sidecar-capture-worlds.js';
import { manyBlocksWorld } from './many-blocks-world.js';

/** A plan that only adopted `snapshot`'s table: what it answers without evaluating anything. */
function adopted(snapshot: Snapshot, options: MapOptions = ALL): ReturnType<typeof planMap> {
  const plan = planMap(snapshot, options);
  plan.adopt(planMap(snapshot, options).evaluateAll());
  return plan;
}

function diffText(before: ReturnType<typeof planMap>, after: ReturnType<typeof planMap>): string {
  return JSON.stringify([...diffSources(before, after)].flatMap((s) => [...changesOf(s)]));
}

function agrees(before: Snapshot, after: Snapshot, options: MapOptions = ALL): void {
  const lazily = diffText(planMap(before, options), planMap(after, options));
  expect(diffText(planMap(before, options), adopted(after, options))).toBe(lazily);
  expect(diffText(adopted(before, options), adopted(after, options))).toBe(lazily);
  // every pair of a map from the table is the lazily evaluated one
  expect(JSON.stringify([...adopted(after, options).pairs()])).toBe(
    JSON.stringify([...planMap(after, options).pairs()]),
  );
}

describe('a plan that adopts a class pair table answers as one that evaluates', () => {
  it.each(Array.from({ length: 8 }, (_, i) => i + 1))('random NetworkPolicy worlds, seed %i', (seed) => {
    agrees(
      snapshotFromYaml(worldYaml(generator(seed).policies())),
      snapshotFromYaml(worldYaml(generator(seed + 100).policies())),
    );
  });

  it.each(Array.from({ length: 6 }, (_, i) => i + 1))('random sidecar meshes, seed %i', (seed) => {
    agrees(snapshotFromYaml(captureWorld(seed).yaml), snapshotFromYaml(captureWorld(seed + 50).yaml));
  });

  it.each(Array.from({ length: 3 }, (_, i) => i + 1))('worlds naming many address blocks, seed %i', (seed) => {
    const before = snapshotFromYaml(manyBlocksWorld(seed).yaml);
    const after = snapshotFromYaml(manyBlocksWorld(seed + 10).yaml);
    agrees(before, after);
    agrees(before, after, { ...ALL, namespaces: new Set(['shop']) });
  });
});

describe('the table', () => {
  const world = snapshotFromYaml(manyBlocksWorld(2).yaml);
  const plan = planMap(world, ALL);
  const table = plan.evaluateAll();
  const externalClasses = new Set(plan.classOf.filter((_, i) => (plan.workloads[i]?.kind ?? '') === 'External'));

  it('holds every class pair but those of two external classes, which no map lists', () => {
    expect(externalClasses.size).toBeGreaterThan(1);
    expect(table.index.length).toBe(plan.classCount ** 2);
    table.index.forEach((n, key) => {
      const [src, dst] = [Math.floor(key / plan.classCount), key % plan.classCount];
      expect(n === -1).toBe(externalClasses.has(src) && externalClasses.has(dst));
    });
  });

  it('answers every pair of workloads the map lists, so the walk evaluates nothing more', () => {
    let listed = 0;
    for (let i = 0; i < plan.workloads.length; i++)
      for (let j = 0; j < plan.workloads.length; j++) {
        if (!plan.listed(i, j)) continue;
        listed++;
        expect(
          table.index[(plan.classOf[i] as number) * plan.classCount + (plan.classOf[j] as number)],
        ).toBeGreaterThanOrEqual(0);
      }
    expect(listed).toBeGreaterThan(0);
  });

  it('keeps one copy of each answer', () => {
    expect(new Set(table.answers).size).toBe(table.answers.length);
    expect(table.answers.length).toBeLessThan(table.index.filter((n) => n >= 0).length);
  });

  it('reports its progress per source class', () => {
    const seen: [number, number][] = [];
    planMap(world, ALL).evaluateAll((done, total) => seen.push([done, total]));
    expect(seen).toEqual(Array.from({ length: plan.classCount + 1 }, (_, i) => [i, plan.classCount]));
  });

  it('is refused by a plan of another class count', () => {
    const other = planMap(snapshotFromYaml(worldYaml(generator(1).policies())), ALL);
    expect(other.classCount).not.toBe(plan.classCount);
    expect(() => other.adopt(table)).toThrow(/class pair table of \d+ classes given to a plan of \d+/);
  });
});
