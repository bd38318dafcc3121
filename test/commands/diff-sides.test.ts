/**
 * `meshdbg diff` on two threads (diff-sides.ts): the NEW side's class pairs come from a worker
 * thread, and the diff is the same as on one thread; a worker that fails, or a Snapshot that cannot
 * be copied, leaves the NEW plan to evaluate its pairs itself, with the same diff.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../helpers/snapshot.js';
import { captureWorld } from '../engine/map/sidecar-capture-worlds.js';
import { evaluateSidesApart, worthTwoThreads, MIN_CLASS_PAIRS, type DiffSides } from '../../src/commands/diff-sides.js';
import { changesOf, diffSources, planMap, type MapOptions } from '../../src/engine/index.js';
import type { Snapshot } from '../../src/model/snapshot.js';

// random sidecar meshes: NetworkPolicies, AuthorizationPolicies, capture, several namespaces
const before = snapshotFromYaml(captureWorld(3).yaml);
const after = snapshotFromYaml(captureWorld(53).yaml);

function sidesOf(afterSnapshot: Snapshot, namespaces: ReadonlySet<string> | null = null): DiffSides {
  const options: MapOptions = { namespaces, focus: null, includeDenied: false };
  return { before: planMap(before, options), after: planMap(afterSnapshot, options), afterSnapshot, namespaces };
}

function diffText(sides: DiffSides): string {
  return JSON.stringify([...diffSources(sides.before, sides.after)].flatMap((s) => [...changesOf(s)]));
}

describe('diff with the NEW side on a worker thread', () => {
  const oneThread = diffText(sidesOf(after));

  it('gives the diff of one thread, the worker answering every class pair of NEW', async () => {
    const sides = sidesOf(after);
    const progress: [number, number][] = [];
    expect(await evaluateSidesApart(sides, { new: (done, total) => progress.push([done, total]) })).toBe(true);
    expect(diffText(sides)).toBe(oneThread);
    expect(JSON.parse(oneThread).length).toBeGreaterThan(0);
    // the worker reported each of NEW's source classes, then the end
    expect(progress.at(-1)).toEqual([sides.after.classCount, sides.after.classCount]);
  }, 60_000);

  it('passes the namespaces of -n to the worker: its table fits the NEW plan of those namespaces', async () => {
    const namespaces = new Set(['a']);
    const sides = sidesOf(after, namespaces);
    expect(await evaluateSidesApart(sides)).toBe(true);
    const lazily = diffText(sidesOf(after, namespaces));
    expect(diffText(sides)).toBe(lazily);
    expect(lazily).not.toBe(oneThread);
  }, 60_000);

  it('a worker that exits without an answer leaves NEW to this thread, with the same diff', async () => {
    const sides = sidesOf(after);
    const failing = (): Worker => new Worker('process.exit(3)', { eval: true });
    expect(await evaluateSidesApart(sides, {}, failing)).toBe(false);
    expect(diffText(sides)).toBe(oneThread);
  }, 60_000);

  it('a worker that throws leaves NEW to this thread, with the same diff', async () => {
    const sides = sidesOf(after);
    const throwing = (): Worker =>
      new Worker("require('node:worker_threads').parentPort.once('message', () => { throw new Error('x'); })", {
        eval: true,
      });
    expect(await evaluateSidesApart(sides, {}, throwing)).toBe(false);
    expect(diffText(sides)).toBe(oneThread);
  }, 60_000);

  it('a Snapshot that cannot be copied starts no worker', async () => {
    const odd = { ...after, uncopyable: () => 0 } as unknown as Snapshot;
    const sides = sidesOf(odd);
    let started = 0;
    const start = (): Worker => {
      started++;
      return new Worker('', { eval: true });
    };
    expect(await evaluateSidesApart(sides, {}, start)).toBe(false);
    expect(started).toBe(0);
    expect(diffText(sides)).toBe(oneThread);
  });
});

describe('when a second thread pays', () => {
  it('both maps need MIN_CLASS_PAIRS class pairs', () => {
    const sides = sidesOf(after);
    const fewer = Math.min(sides.before.classCount, sides.after.classCount) ** 2;
    expect(worthTwoThreads(sides, fewer)).toBe(true);
    expect(worthTwoThreads(sides, fewer + 1)).toBe(false);
    expect(worthTwoThreads(sides)).toBe(fewer >= MIN_CLASS_PAIRS);
  });
});
