/** The map and diff walks tell how many source workloads are behind them (for the command's progress line). */
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { diffSources } from '../../../src/engine/map/diff-plans.js';
import { ALL } from './agreement.js';
import { loadExampleSnapshot } from './example-snapshot.js';

function heard(): { calls: [number, number][]; onSource: (done: number, total: number) => void } {
  const calls: [number, number][] = [];
  return { calls, onSource: (done, total) => void calls.push([done, total]) };
}

describe('source progress', () => {
  it('map: every source from 0, then all of them, and the same edges as without it', async () => {
    const plan = planMap(await loadExampleSnapshot('poc-mesh'), ALL);
    const { calls, onSource } = heard();
    const edges = [...plan.pairs(onSource)];
    const total = plan.workloads.length;
    expect(calls).toEqual([...Array.from({ length: total }, (_, i) => [i, total]), [total, total]]);
    expect(edges).toEqual([...plan.pairs()]);
  });

  it('diff: every source of both sides from 0, then all of them, and the same changes as without it', async () => {
    const before = planMap(await loadExampleSnapshot('poc-mesh'), ALL);
    const after = planMap(await loadExampleSnapshot('kyma-netpol'), ALL);
    const { calls, onSource } = heard();
    const changes = [...diffSources(before, after, onSource)];
    const total = new Set([...before.workloads, ...after.workloads].map((w) => w.id)).size;
    expect(calls).toEqual([...Array.from({ length: total }, (_, i) => [i, total]), [total, total]]);
    expect(changes).toEqual([...diffSources(before, after)]);
  });
});
