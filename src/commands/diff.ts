/**
 * `meshdbg diff --from OLD --to NEW [-n NS | -A] [--fail-on opened|closed|any] [-o text|json] [--junit FILE]`:
 * the connections a change opens, closes, narrows or widens. Without --to, NEW is the live cluster.
 * Exit 0 no change (or none of the --fail-on kind), 1 changes, 2 bad input, 4 when a side is a
 * partial view (a list the cluster refused, a snapshot's status.gaps): what it could not read may
 * hide or invent changes, so neither "no change" nor "changes" is an answer a CI gate can trust.
 */
import { toJsonLine } from '../report/json.js';
import { writeFileSync } from 'node:fs';
import { planMap } from '../engine/index.js';
import {
  changesOf,
  diffSources,
  workloadsAnEditTouches,
  type ChangeKind,
  type MapChange,
  type SourceChanges,
} from '../engine/index.js';
import { API_VERSION } from '../engine/index.js';
import { httpText, portsText } from '../report/map/connection-text.js';
import type { MapConnection } from '../engine/index.js';
import { inputError } from '../util/errors.js';
import { escapeControlCharacters, outputLine } from '../util/terminal-text.js';
import { junitXml, type CaseResult } from './junit.js';
import { OutputClosed, writeWithBackpressure } from './stdout-writer.js';
import { processTerminal, sourceProgressLine } from './source-progress.js';
import {
  assertLoadable,
  loadSnapshotFrom,
  loadSnapshotFromCluster,
  meshOverrides,
  viewConditions,
  type MapCondition,
} from './load-snapshot.js';
import { EXIT, batchWorkers } from './explain.js';
import { evaluateSidesApart, worthTwoThreads } from './diff-sides.js';
import { mapOptions } from './map.js';
import { oneNamespace, outputFormat, parseCommandLine, type Options } from './options.js';
import type { Snapshot } from '../model/snapshot.js';

const FAIL_ON: Readonly<Record<string, readonly ChangeKind[]>> = {
  opened: ['opened', 'widened'],
  closed: ['closed', 'narrowed'],
  any: ['opened', 'widened', 'closed', 'narrowed'],
};

/** One side's Snapshot, and its partial-view condition when it is not whole. */
async function side(
  values: Options,
  paths: readonly string[] | undefined,
  name: 'OLD' | 'NEW',
): Promise<{ snapshot: Snapshot; conditions: MapCondition[] }> {
  const loaded =
    paths && paths.length > 0
      ? await loadSnapshotFrom(paths, oneNamespace(values), meshOverrides(values), {
          flag: name === 'OLD' ? '--from' : '--to',
        })
      : await loadSnapshotFromCluster(values, meshOverrides(values));
  assertLoadable(loaded.findings);
  if (loaded.status) process.stderr.write(`meshdbg: ${name}: ${loaded.status}\n`);
  const conditions = viewConditions(loaded.status).map((c) => ({ ...c, message: `${name}: ${c.message}` }));
  return { snapshot: loaded.snapshot, conditions };
}

function sideText(c: MapConnection | null): string {
  if (c === null) return 'nothing';
  return c.http ? httpText(c) : c.verdict;
}

function changeLine(c: MapChange): string {
  const rules = (c.after ?? c.before)?.by.join(', ') ?? '';
  const detail = `${sideText(c.before)} -> ${sideText(c.after)}`;
  return `${c.change.padEnd(8)} ${c.src} -> ${c.dst}  ${c.protocol} ${portsText(c.ports)}  ${detail}${rules ? `  [${rules}]` : ''}`;
}

interface Tally {
  count: number;
  failing: boolean;
  /** the JUnit cases, when --junit asks for them */
  readonly cases: CaseResult[] | null;
}

type Write = (chunk: string) => Promise<void> | void;

/** Writes the changes as they come (a 10k-pod diff has tens of millions: never one giant string or list). */
async function writeChanges(
  sources: Iterable<SourceChanges>,
  format: string,
  write: Write,
  kinds: readonly ChangeKind[],
  tally: Tally,
  conditions: readonly MapCondition[],
): Promise<void> {
  const json = format === 'json';
  if (json) await write(`{"apiVersion":${toJsonLine(API_VERSION)},"kind":"ConnectivityDiff","changes":[`);
  for (const source of sources)
    for (const c of changesOf(source)) {
      const pending = write(json ? `${tally.count ? ',' : ''}${toJsonLine(c)}` : outputLine(changeLine(c)));
      if (pending) await pending;
      tally.count++;
      if (kinds.includes(c.change)) tally.failing = true;
      tally.cases?.push({
        suite: 'meshdbg diff',
        name: `${c.src} -> ${c.dst} ${c.protocol} ${portsText(c.ports)}`,
        failure: kinds.includes(c.change) ? `${c.change}: ${changeLine(c)}` : null,
      });
    }
  if (json) return void (await write(`],"conditions":${toJsonLine(conditions)}}\n`));
  await write(`${tally.count} change${tally.count === 1 ? '' : 's'}\n`);
  for (const c of conditions) await write(escapeControlCharacters(`${c.code}: ${c.message}\n`));
}

export async function runDiff(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (positionals.length > 0)
    throw inputError('bad-flag', `unexpected argument "${positionals[0]}"`, 'meshdbg diff --from OLD --to NEW');
  if (!values.from?.length)
    throw inputError(
      'bad-flag',
      'diff needs --from OLD (and --to NEW, or the live cluster)',
      'meshdbg diff --from OLD --to NEW',
    );
  const failOn = values['fail-on'] ?? 'any';
  const kinds = FAIL_ON[failOn];
  if (!kinds) throw inputError('bad-flag', `--fail-on ${failOn}: must be opened, closed or any`);
  const format = outputFormat(values, ['text', 'json']);
  const threads = batchWorkers(values.workers);
  const oldSide = await side(values, values.from, 'OLD');
  const newSide = await side(values, values.to, 'NEW');
  const conditions = [...oldSide.conditions, ...newSide.conditions];
  // one set of options for both maps (no --focus: nothing in them depends on a side), and NEW's worker
  const options = { ...mapOptions(values, newSide.snapshot, undefined), includeDenied: false };
  const [before, after] = [planMap(oldSide.snapshot, options), planMap(newSide.snapshot, options)];
  // two versions of one mesh (a pull request) need only the pairs of the workloads whose pods read a change
  const touched = workloadsAnEditTouches(oldSide.snapshot, newSide.snapshot);
  const tally: Tally = { count: 0, failing: false, cases: values.junit ? [] : null };
  const progress = sourceProgressLine('diff', processTerminal());
  try {
    // anything else evaluates every class pair of both maps: on two threads when that pays
    const sides = { before, after, afterSnapshot: newSide.snapshot, namespaces: options.namespaces };
    if (touched === null && threads > 1 && worthTwoThreads(sides))
      await evaluateSidesApart(sides, {
        old: progress.counting('OLD source classes'),
        new: progress.counting('NEW source classes'),
      });
    const out = writeWithBackpressure(process.stdout);
    await writeChanges(diffSources(before, after, progress.onSource, touched), format, out, kinds, tally, conditions);
  } catch (err) {
    if (!(err instanceof OutputClosed)) throw err;
  } finally {
    progress.finish();
  }
  // a CI report says why the gate neither passed nor failed on the changes
  for (const c of conditions) tally.cases?.push({ suite: 'meshdbg diff', name: c.code, failure: c.message });
  if (values.junit && tally.cases) writeFileSync(values.junit, junitXml(tally.cases));
  // a partial view gets explain's `conditional` exit
  if (conditions.length > 0) return EXIT.conditional;
  return tally.failing ? 1 : 0;
}
