/**
 * `meshdbg demo [EXAMPLE] [--readonly]`: the TUI on a bundled example with simulated
 * traffic (the example's expect.yaml requests, replayed through the engine).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { ExplainQuery } from '../engine/explanation.js';
import { createTrafficFeed } from '../ui/demo/traffic-feed.js';
import { REAL_ENGINE } from '../ui/data/real-engine.js';
import { inputError } from '../util/errors.js';
import { assertLoadable, loadSnapshotFrom } from './load-snapshot.js';
import { oneNamespace, parseCommandLine } from './options.js';
import { parseQuery } from './query.js';
import { NOT_A_TERMINAL, runTui } from './tui.js';

export const DEFAULT_EXAMPLE = 'poc-mesh';
const DEMO_INTERVAL_MS = 1500;

/** The bundled examples directory: next to dist/ when installed, at the repo root in development. */
export function examplesDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'examples');
    if (existsSync(join(candidate, DEFAULT_EXAMPLE))) return candidate;
    if (dirname(dir) === dir) throw inputError('no-examples', 'the bundled examples are missing from this installation', 'reinstall meshdbg, or use `meshdbg --from PATH`');
  }
}

export function listExamples(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'manifests')))
    .map((e) => e.name)
    .sort();
}

/** The requests of an example's expect.yaml, without their expectations. */
export function demoQueries(exampleDir: string): ExplainQuery[] {
  const file = join(exampleDir, 'expect.yaml');
  if (!existsSync(file)) return [];
  const items = load(readFileSync(file, 'utf8'));
  if (!Array.isArray(items)) return [];
  return items.map((item: unknown) => parseQuery(item));
}

export async function runDemo(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const dir = examplesDir();
  const name = positionals[0] ?? DEFAULT_EXAMPLE;
  const known = listExamples(dir);
  if (!known.includes(name)) throw inputError('unknown-example', `no bundled example "${name}"`, `pick one of: ${known.join(', ')}`, known);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  const loaded = await loadSnapshotFrom([join(dir, name, 'manifests')], oneNamespace(values));
  assertLoadable(loaded.findings);
  const feed = createTrafficFeed({
    snapshot: loaded.snapshot,
    engine: REAL_ENGINE,
    queries: demoQueries(join(dir, name)),
    intervalMs: DEMO_INTERVAL_MS,
    clock: Date.now,
  });
  return runTui({ snapshot: loaded.snapshot, feed, sourceLabel: `demo ${name}`, readonly: values.readonly === true, namespace: oneNamespace(values) });
}
