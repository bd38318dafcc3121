/**
 * `meshdbg map [--from PATH]... [-n NS | -A] [--focus WORKLOAD] [--denied] [-o text|json|csv|md|dot]`:
 * every allowed connection between workloads across all layers (README "map and diff").
 * Exit 0, 2 on bad input, 3 when nothing could be read from the cluster.
 */
import { planMap, type MapOptions } from '../engine/index.js';
import { renderMap, MAP_FORMATS, type MapFormat } from '../report/map/render-map.js';
import { inputError } from '../util/errors.js';
import { assertLoadable, loadSnapshotFor, viewConditions } from './load-snapshot.js';
import { outputFormat, parseCommandLine, type Options } from './options.js';
import { OutputClosed, writeWithBackpressure } from './stdout-writer.js';
import { processTerminal, sourceProgressLine } from './source-progress.js';
import type { Snapshot } from '../model/snapshot.js';

function focusId(snapshot: Snapshot, focus: string | undefined): string | null {
  if (focus === undefined) return null;
  const ids = snapshot.groups.map((g) => `${g.namespace}/${g.kind}/${g.name}`);
  if (ids.includes(focus)) return focus;
  const [ns, name] = focus.includes('/') ? focus.split('/', 2) : [null, focus];
  const matches = snapshot.groups
    .filter((g) => g.name === name && (ns === null || g.namespace === ns))
    .map((g) => `${g.namespace}/${g.kind}/${g.name}`);
  if (matches.length === 1) return matches[0] as string;
  throw inputError(
    'unknown-peer',
    matches.length > 1 ? `--focus ${focus} is ambiguous: ${matches.join(', ')}` : `--focus ${focus}: no such workload`,
    'give the workload as NAMESPACE/KIND/NAME, as the map lists it',
  );
}

export function mapOptions(values: Options, snapshot: Snapshot, focus: string | undefined): MapOptions {
  const namespaces = values['all-namespaces'] ? null : values.namespace?.length ? new Set(values.namespace) : null;
  return { namespaces, focus: focusId(snapshot, focus), includeDenied: values.denied === true };
}

export async function runMap(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (positionals.length > 0)
    throw inputError('bad-flag', `unexpected argument "${positionals[0]}"`, 'meshdbg map --help');
  const format = outputFormat(values, MAP_FORMATS) as MapFormat;
  const loaded = await loadSnapshotFor(values);
  assertLoadable(loaded.findings);
  if (loaded.status) process.stderr.write(`meshdbg: ${loaded.status}\n`);
  const plan = planMap(loaded.snapshot, mapOptions(values, loaded.snapshot, values.focus));
  const conditions = viewConditions(loaded.status);
  const progress = sourceProgressLine('map', processTerminal());
  try {
    const withProgress = { ...plan, pairs: () => plan.pairs(progress.onSource) };
    await renderMap(withProgress, format, conditions, writeWithBackpressure(process.stdout));
  } catch (err) {
    if (!(err instanceof OutputClosed)) throw err;
  } finally {
    progress.finish();
  }
  return 0;
}
