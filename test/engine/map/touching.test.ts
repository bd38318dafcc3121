/** `touching`: the map's edges into or out of some namespaces' workloads, to and from any peer (the TUI's `:map`). */
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { loadExampleSnapshot } from './example-snapshot.js';

describe('planMap touching', () => {
  it('keeps exactly the edges of the full map that have a side in the namespace', async () => {
    const snapshot = await loadExampleSnapshot('poc-mesh');
    const all = [...planMap(snapshot, { namespaces: null, focus: null, includeDenied: false }).pairs()];
    const touching = new Set(['istio-system']);
    const some = [...planMap(snapshot, { namespaces: null, focus: null, includeDenied: false, touching }).pairs()];
    const inNs = (id: string): boolean => id.startsWith('istio-system/');
    expect(some).toEqual(all.filter((e) => inNs(e.src) || inNs(e.dst)));
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
  });
});

describe('planMap listedRow', () => {
  it('is listed(i, j) a row at a time, over every pair, a focus and touching, with external peers', async () => {
    const snapshot = await loadExampleSnapshot('kyma-netpol');
    const base = { namespaces: null, focus: null, includeDenied: false } as const;
    const anyPlan = planMap(snapshot, base);
    const externals = anyPlan.workloads.filter((w) => w.kind === 'External').length;
    expect(externals).toBeGreaterThan(1);
    const focus = anyPlan.workloads.find((w) => w.kind !== 'External')?.id ?? null;
    const namespace = anyPlan.workloads.find((w) => w.namespace !== null)?.namespace ?? '';
    for (const options of [base, { ...base, focus }, { ...base, touching: new Set([namespace]) }]) {
      const plan = planMap(snapshot, options);
      const n = plan.workloads.length;
      const row = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        plan.listedRow(i, row);
        const expected = Array.from({ length: n }, (_, j) => (plan.listed(i, j) ? 1 : 0));
        expect([...row], `${JSON.stringify(options)} row ${i}`).toEqual(expected);
      }
    }
  });
});
