/**
 * `explain --batch` answers exactly what single `explain -o json` answers (DESIGN.md: one JSON
 * result per line, the same object), whatever the queries before it: per-Snapshot caches must
 * never change a byte. Checked against the golden single-explain output of every example
 * (test/engine/explain/golden-explain.test.ts pins it), and, for every pod pair of every example,
 * between a batch in one order and a batch in the reverse order on a fresh Snapshot.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GOLDEN, GOLDEN_SUITES, NOW } from '../helpers/golden-explain-suites.js';
import { runBatch } from '../../src/commands/explain.js';
import { loadSnapshotFrom } from '../../src/commands/load-snapshot.js';
import { toJsonLine } from '../../src/report/json.js';

/** The `-o json` answers of a golden file, in order, as batch lines. */
function goldenJsonLines(name: string): string[] {
  const text = readFileSync(`${GOLDEN}/${name}.txt`, 'utf8');
  const parts = text.split(/^### .* -o (json|text)\n/m);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i += 2)
    if (parts[i] === 'json') out.push(toJsonLine(JSON.parse(parts[i + 1] as string) as unknown));
  return out;
}

async function batch(from: string, lines: readonly string[]): Promise<string[]> {
  const loaded = await loadSnapshotFrom([from], null);
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-same-')), 'q.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const out: string[] = [];
  await runBatch(file, loaded.snapshot, { now: NOW }, (line) => void out.push(line.slice(0, -1)), loaded.partialView);
  return out;
}

describe('explain --batch gives the bytes of single explain', () => {
  it.each(GOLDEN_SUITES)('%s: every golden query, forward, backward and forward again', async (name, file, from) => {
    const queries = (yaml.load(readFileSync(file, 'utf8')) as Record<string, unknown>[]).map(
      ({ expect: _expect, ...q }) => JSON.stringify(q),
    );
    const golden = goldenJsonLines(name);
    expect(golden).toHaveLength(queries.length);
    const order = [...queries.keys(), ...[...queries.keys()].reverse(), ...queries.keys()];
    const got = await batch(
      from,
      order.map((i) => queries[i] as string),
    );
    expect(got).toEqual(order.map((i) => golden[i]));
  });

  it.each(GOLDEN_SUITES)('%s: every pod pair, TCP and HTTP, the same in either order', async (_name, _file, from) => {
    const { snapshot } = await loadSnapshotFrom([from], null);
    const workloads = snapshot.groups.slice(0, 10).map((g) => `${g.namespace}/${g.kind}/${g.name}`);
    const services = snapshot.services.slice(0, 3).map((s) => `${s.namespace}/Service/${s.name}`);
    const ports = [
      ...new Set([
        80,
        ...snapshot.pods.flatMap((p) => p.containers.flatMap((c) => c.ports.map((port) => port.containerPort))),
      ]),
    ];
    const queries: string[] = [];
    for (const src of workloads)
      for (const dst of [...workloads, ...services])
        for (const port of ports.slice(0, 3)) {
          queries.push(JSON.stringify({ id: queries.length, src, dst, port }));
          queries.push(JSON.stringify({ id: queries.length, src, dst, port, http: { method: 'GET', path: '/a' } }));
        }
    const forward = await batch(from, queries);
    const backward = await batch(from, [...queries].reverse());
    expect(forward.filter((l) => l.includes('"kind":"Explanation"')).length).toBeGreaterThan(forward.length / 2);
    expect(backward.reverse()).toEqual(forward);
  });
});
