/**
 * `meshdbg demo [EXAMPLE] [--readonly]`: the TUI on a bundled example running as a small
 * simulated cluster (replicas with IPs), with the traffic simulator's proxy logs flowing
 * through the log parser and the correlator.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../sources/demo/load-demo.js';
import { printDemoLogs } from '../sources/demo/print-logs.js';
import { createSimulatorFeed } from '../ui/feeds/simulator-feed.js';
import { inputError } from '../util/errors.js';
import { oneNamespace, parseCommandLine } from './options.js';
import { NOT_A_TERMINAL, runTui } from './tui.js';

export const DEFAULT_EXAMPLE = 'poc-mesh';
const DEMO_INTERVAL_MS = 1500;
const REQUESTS_PER_TICK = 3;

/** The bundled examples directory: next to dist/ when installed, at the repo root in development. */
export function examplesDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'examples');
    if (existsSync(join(candidate, DEFAULT_EXAMPLE))) return candidate;
    if (dirname(dir) === dir)
      throw inputError(
        'no-examples',
        'the bundled examples are missing from this installation',
        'reinstall meshdbg, or use `meshdbg --from PATH`',
      );
  }
}

export function listExamples(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'manifests')))
    .map((e) => e.name)
    .sort();
}

/** `meshdbg demo [EXAMPLE] [--print-logs]`: the TUI, or with --print-logs the simulated log stream on stdout. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  const printLogs = argv.includes('--print-logs');
  const { values, positionals } = parseCommandLine(argv.filter((a) => a !== '--print-logs'));
  const dir = examplesDir();
  const name = positionals[0] ?? DEFAULT_EXAMPLE;
  const known = listExamples(dir);
  if (!known.includes(name))
    throw inputError('unknown-example', `no bundled example "${name}"`, `pick one of: ${known.join(', ')}`, known);
  if (printLogs) {
    await printDemoLogs(dir, name, (chunk) => process.stdout.write(chunk));
    return 0;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  const demo = await loadDemo(join(dir, name), name);
  const feed = createSimulatorFeed({
    snapshot: demo.snapshot,
    simulate: (options) => demo.simulate(options),
    rbacDebugAtStart: demo.rbacDebugAtStart,
    intervalMs: DEMO_INTERVAL_MS,
    requestsPerTick: REQUESTS_PER_TICK,
    clock: Date.now,
  });
  return runTui({
    snapshot: demo.snapshot,
    feed,
    sourceLabel: `demo ${name}`,
    readonly: values.readonly === true,
    namespace: oneNamespace(values),
  });
}
