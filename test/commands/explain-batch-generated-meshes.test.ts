/**
 * `explain --batch` answers each line with the bytes single `explain` gives that query on a fresh
 * Snapshot (DESIGN.md `--batch`: one JSON result per line, the same object), on generated meshes
 * (the bench's synthetic clusters: NetworkPolicies, AuthorizationPolicies, sidecar and ambient) and
 * random pod pairs, ports, HTTP requests and repeats in random order: whatever the batch remembers
 * between lines (per-Snapshot caches, memos) must never change a byte.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podPairs, syntheticCluster, type ClusterSize } from '../../bench/synthetic.js';
import { runBatch } from '../../src/commands/explain.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { explain } from '../../src/engine/explain.js';
import { parseQuery } from '../../src/parsers/explain-query.js';
import { toJsonLine } from '../../src/report/json.js';
import { seededRandom } from '../../src/util/random.js';

const NOW = '2026-11-20T10:00:00Z';
const REQUESTS = [
  undefined,
  { method: 'GET', path: '/api/orders' },
  { method: 'POST', path: '/admin/x', headers: { 'x-team': 'a' } },
];

/** Random lines over `size`'s pods: pairs drawn with `seed`, then some of them again, shuffled. */
function queryLines(objects: ReturnType<typeof syntheticCluster>['objects'], seed: number): string[] {
  const rnd = seededRandom(seed);
  const drawn = podPairs(objects, 40, seed).map(([src, dst, port]) => ({ src, dst, port, http: rnd.pick(REQUESTS) }));
  const all = [...drawn, ...Array.from({ length: 20 }, () => rnd.pick(drawn))];
  for (let i = all.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [all[i], all[j]] = [all[j] as (typeof all)[number], all[i] as (typeof all)[number]];
  }
  return all.map((q, id) => JSON.stringify({ id, ...q }));
}

const MESHES: [string, ClusterSize][] = [
  ['sidecar', { pods: 200, networkPolicies: 100, authorizationPolicies: 60 }],
  ['ambient', { pods: 200, networkPolicies: 100, authorizationPolicies: 60, ambient: true }],
];

describe('explain --batch on generated meshes gives the bytes of single explain', () => {
  it.each(MESHES.flatMap(([name, size]) => [1, 2].map((seed) => [name, seed, size] as const)))(
    '%s mesh, seed %i',
    async (_name, seed, size) => {
      const { objects } = syntheticCluster(size, seed);
      const lines = queryLines(objects, seed);
      const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-generated-')), 'q.jsonl');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const got: string[] = [];
      await runBatch(file, snapshotFromObjects(objects, null, 'batch'), { now: NOW }, (l) => void got.push(l));
      const single = lines.map(
        (line) =>
          `${toJsonLine(explain(snapshotFromObjects(objects, null, 'batch'), parseQuery(JSON.parse(line) as unknown, { now: NOW })))}\n`,
      );
      expect(single.filter((l) => l.includes('"kind":"Explanation"')).length).toBeGreaterThan(lines.length / 2);
      expect(got).toEqual(single);
    },
  );
});
