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
