import { describe, expect, it } from 'vitest';
import { createLiveView, describeLiveStatus } from '../../../src/sources/kube/live-view.js';
import type { LiveSource, LiveStatus } from '../../../src/sources/kube/live-source.js';
import type { RawObject } from '../../../src/model/raw.js';

const status: LiveStatus = {
  stale: false,
  staleSince: null,
  partial: [],
  unreadable: [],
  namespaces: null,
  errors: [],
};

function fakeSource(): LiveSource & { set(n: number): void } {
  let objects: RawObject[] = [];
  const listeners = new Set<() => void>();
  return {
    start: () => Promise.resolve(),
    objects: () => objects,
    onChange: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    status: () => status,
    stop: () => undefined,
    set(n) {
      objects = Array.from({ length: n }, (_, i) => ({
        object: { kind: 'Pod', metadata: { name: `p${i}` } },
        loc: null,
        lines: null,
      }));
      for (const cb of listeners) cb();
    },
  };
}

describe('createLiveView', () => {
  it('rebuilds once per burst of changes and tells subscribers', () => {
    const source = fakeSource();
    const pending: (() => void)[] = [];
    let builds = 0;
    const view = createLiveView(
      source,
      (objects) => {
        builds += 1;
        return objects.length;
      },
      200,
      { set: (fn) => (pending.push(fn), () => pending.splice(pending.indexOf(fn), 1)) },
    );
    const seen: number[] = [];
    view.subscribe((v) => seen.push(v));
    source.set(1);
    source.set(2);
    source.set(3);
    expect(pending).toHaveLength(1);
    pending.shift()?.();
    expect([view.current(), builds, seen]).toEqual([3, 2, [3]]);
    view.dispose();
    source.set(4);
    expect(pending).toHaveLength(0);
  });

  it('describes a stale or partial view in one line, and nothing when all is well', () => {
    expect(describeLiveStatus(status)).toBeNull();
    expect(
      describeLiveStatus({
        ...status,
        stale: true,
        staleSince: '2026-11-22T10:00:03.000Z',
        errors: ['Pod (all namespaces): cannot reach x'],
        partial: ['partial view: ...'],
        namespaces: ['prod'],
      }),
    ).toBe('stale since 10:00:03Z (Pod (all namespaces): cannot reach x); partial view: namespaces prod');
  });
});
