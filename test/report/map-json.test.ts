/**
 * The map's JSON output writes each edge from its shared connection lists, rendered once per list,
 * in chunks: it must be byte for byte what JSON.stringify writes for the same map.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMap } from '../../src/engine/map/connectivity-map.js';
import { API_VERSION } from '../../src/engine/index.js';
import { edgeJson, renderMap } from '../../src/report/map/render-map.js';
import { toJsonLine } from '../../src/report/json.js';
import { loadExampleSnapshot } from '../engine/map/example-snapshot.js';

const examples = readdirSync('examples', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('map JSON of every example', () => {
  it.each(examples)('%s', async (name) => {
    const snapshot = await loadExampleSnapshot(name);
    for (const includeDenied of [false, true]) {
      const plan = planMap(snapshot, { namespaces: null, focus: null, includeDenied });
      const rendered: unknown[] = [];
      const edge = edgeJson((list) => {
        rendered.push(list);
        return toJsonLine(list);
      });
      const edges = [...plan.pairs()];
      for (const e of edges) expect(edge(e)).toBe(toJsonLine(e));
      expect(rendered.length).toBe(edges.length * (includeDenied ? 2 : 1));
      const chunks: string[] = [];
      await renderMap(plan, 'json', [], (chunk) => void chunks.push(chunk));
      const expected = [
        `{"apiVersion":${toJsonLine(API_VERSION)},"kind":"ConnectivityMap","workloads":[`,
        plan.workloads.map((w) => `\n${toJsonLine(w)}`).join(','),
        '],"edges":[',
        edges.map((e) => `\n${toJsonLine(e)}`).join(','),
        '],"conditions":[]}\n',
      ].join('');
      expect(chunks.join('')).toBe(expected);
    }
  });

  it('writes in chunks, not one write per edge', async () => {
    const snapshot = await loadExampleSnapshot('kyma-netpol');
    const plan = planMap(snapshot, { namespaces: null, focus: null, includeDenied: true });
    const chunks: string[] = [];
    await renderMap(plan, 'json', [], (chunk) => void chunks.push(chunk));
    const edges = [...plan.pairs()].length;
    expect(edges).toBeGreaterThan(50);
    expect(chunks.length).toBeLessThan(edges / 10);
    expect(chunks.slice(0, -1).every((c) => c.length >= 1 << 16)).toBe(true);
  });
});
