/**
 * `meshdbg denials [--from PATH]... [--logs FILE|-]... [-o text|json]`: every denial in proxy and
 * CNI logs, with the policy rule behind it. Text: one line per denial (+ the rule's YAML);
 * JSON: one Denial per line. Without --from, reports what the logs alone say.
 */
import { fileErrorText } from '../util/file-error-text.js';
import { missSummary } from '../report/explanation-parts.js';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createCorrelator } from '../correlate/correlator.js';
import type { Denial, DenialPeer, DenialRequest } from '../correlate/denial.js';
import type { Snapshot } from '../model/snapshot.js';
import type { LogEvent, ParseIssue, UnrecognizedDenialLine } from '../parsers/log-event.js';
import { createLogParser, type LogParserStats } from '../parsers/log-parser.js';
import { originOfLogPath } from '../parsers/container-log.js';
import { toJsonLine } from '../report/json.js';
import { ruleYaml } from '../report/rule-yaml.js';
import { inputError, MeshdbgError } from '../util/errors.js';
import { logLines } from '../sources/log-files/read-log-lines.js';
import { printAsSeen, stopOnSignals } from './denials-live.js';
import { SIGNAL_EXIT_CODES } from './signal-exit.js';
import { fileProgressLine, NO_BYTES_PROGRESS, processTerminal } from './source-progress.js';
import { assertLoadable, loadSnapshotFrom } from './load-snapshot.js';
import { oneNamespace, outputFormat, parseCommandLine } from './options.js';

const MAX_ISSUES_SHOWN = 20;

function peerText(p: DenialPeer | 'unknown'): string {
  if (p === 'unknown') return 'unknown';
  const who =
    p.name !== null
      ? `${p.namespace ? `${p.namespace}/` : ''}${p.kind === 'ServiceAccount' ? `sa:${p.name}` : p.name}`
      : (p.ip ?? '?');
  return p.ipMayHaveChanged ? `${who} (by IP ${p.ip ?? ''}, may have changed owner)` : who;
}

function requestText(r: DenialRequest): string {
  const port = r.port === null ? '' : ` :${r.port}`;
  const status = r.status === null ? '' : ` -> ${r.status}`;
  if (r.method !== null || r.path !== null) return `${r.method ?? '?'} ${r.path ?? '?'}${port}${status}`;
  return `${r.protocol ?? 'request'}${port}${status}`;
}

function policyText(d: Denial): string {
  const p = d.policy;
  if (p === null && d.layer === 'authz-allow') return 'ALLOW policies: no rule matched';
  if (p === null && d.cause === 'rbac' && d.layer === null && d.confidence === 'certain')
    return 'policy not logged by this Envoy';
  if (p === null) return d.policyId === null ? '-' : d.policyId;
  const where = `${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
  if (p.rule !== null) return `${p.kind} ${where} rule ${p.rule}`;
  // ztunnel names the AuthorizationPolicy whose DENY matched but not its rule ("explicitly denied
  // by: ns/name", istio/ztunnel src/rbac.rs): that is a match, not an isolation's default deny
  return p.kind === 'AuthorizationPolicy'
    ? `${p.kind} ${where} (the log names no rule)`
    : `${p.kind} ${where} (no rule: default deny)`;
}

/** `; nearest: <the report's one-line nearest miss>` from the first rule that came closest. */
function nearestText(d: Denial): string {
  const miss = d.nearestMiss[0];
  return miss === undefined || miss.clauses.every((c) => c.ok) ? '' : `; nearest: ${missSummary(miss)}`;
}

/** One line: time, src -> dst, request, verdict, policy/rule, reason. */
export function formatDenialLine(d: Denial): string {
  const likely = d.confidence === 'likely' ? 'likely ' : '';
  const verdict = `${likely}${d.enforcement === 'shadow' ? 'shadow-denied' : 'denied'}${d.count > 1 ? ` x${d.count}` : ''}`;
  const by = d.reporter === null ? '' : ` by ${d.reporter.kind}${d.reporter.pod ? ` ${d.reporter.pod}` : ''}`;
  return [
    d.time ?? '-',
    `${peerText(d.source)} -> ${peerText(d.destination)}`,
    requestText(d.request),
    `${verdict}${by}`,
    `${policyText(d)} [${d.attribution}]`,
    `${d.reason}${nearestText(d)}`,
  ].join('  ');
}

/** The line, then the rule's YAML indented under it when the Snapshot has the policy. */
export function formatDenialText(d: Denial): string {
  const yaml = d.policyYaml
    ? `${d.policyYaml
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`
    : '';
  return `${formatDenialLine(d)}\n${yaml}`;
}

function withYaml(d: Denial, snapshot: Snapshot | null): Denial {
  if (snapshot === null || d.policy === null || d.policyInSnapshot === false) return d;
  return { ...d, policyYaml: ruleYaml(snapshot, d.policy) };
}

interface LogInput {
  readonly name: string;
  readonly issues: readonly ParseIssue[];
  readonly unrecognized: readonly UnrecognizedDenialLine[];
  readonly stats: LogParserStats;
}

/** Streams one file (or stdin) through the parser; each event goes to `onEvent` as it is read. */
async function readLogs(path: string, onEvent: (e: LogEvent) => void, stop: AbortSignal): Promise<LogInput> {
  const name = path === '-' ? '<stdin>' : path;
  const file = path === '-' ? null : createReadStream(path);
  const bytes = file ?? process.stdin;
  const progress = file === null ? NO_BYTES_PROGRESS : await fileProgressLine('denials', path, processTerminal());
  const onStop = (): void => void bytes.destroy();
  stop.addEventListener('abort', onStop, { once: true });
  const parser = createLogParser();
  // a node's file (/var/log/pods/NS_POD_UID/CONTAINER/0.log) names its pod
  const origin = {
    namespace: null,
    pod: null,
    container: null,
    ...(path === '-' ? null : originOfLogPath(path)),
    label: path === '-' ? 'stdin' : basename(path),
  };
  let lineNo = 0;
  try {
    // a line longer than the parser keeps is cut as it is read (bounded memory); the parser reports the cut
    for await (const { text, length } of logLines(bytes, path)) {
      if (stop.aborted) break;
      for (const e of parser.push(text, ++lineNo, origin, length)) onEvent(e);
      if (file !== null && (lineNo & 1023) === 0) progress.read(file.bytesRead);
    }
  } catch (err) {
    if (err instanceof MeshdbgError) throw err;
    // the read cut short by destroy() on a signal is not an error
    if (!stop.aborted) {
      throw inputError(
        'unreadable-logs',
        `cannot read --logs ${path}: ${fileErrorText(err)}`,
        'give a log file (kubectl logs ... > FILE) or - for stdin',
      );
    }
  } finally {
    progress.finish();
    stop.removeEventListener('abort', onStop);
  }
  for (const e of parser.end()) onEvent(e);
  return { name, issues: parser.issues(), unrecognized: parser.unrecognizedDenials(), stats: parser.stats() };
}

function reportIssues(inputs: readonly LogInput[]): void {
  const all = inputs.flatMap((i) => i.issues.map((issue) => `${i.name}:${issue.lineNo}: ${issue.message}`));
  for (const line of all.slice(0, MAX_ISSUES_SHOWN)) process.stderr.write(`meshdbg: ${line}\n`);
  if (all.length > MAX_ISSUES_SHOWN)
    process.stderr.write(`meshdbg: ... and ${all.length - MAX_ISSUES_SHOWN} more log lines could not be read fully\n`);
}

/** CNI and mesh problems worth a note under the text output (deduplicated). */
function healthNote(e: LogEvent): string | null {
  if (e.kind === 'CniHealthEvent' && e.enforcing === false)
    return `note: kube-router ${e.time ?? ''}: ${e.summary} (${e.message})`;
  if (e.kind === 'MeshHealthEvent' && e.failing) return `note: mesh: ${e.problem}${e.target ? ` (${e.target})` : ''}`;
  return null;
}

export async function runDenials(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv);
  if (positionals.length > 0)
    throw inputError(
      'bad-flag',
      `denials takes no positional arguments (got ${positionals.join(' ')})`,
      'pass log files with --logs FILE (or - for stdin)',
    );
  const format = outputFormat(v, ['text', 'json']);
  const logs = v.logs ?? [];
  if (logs.length === 0)
    throw inputError(
      'no-logs',
      'no --logs given',
      'pass --logs FILE (kubectl logs POD -c istio-proxy > FILE) or --logs - to read stdin',
    );
  let snapshot: Snapshot | null = null;
  if ((v.from ?? []).length > 0) {
    const loaded = await loadSnapshotFrom(v.from ?? [], oneNamespace(v));
    assertLoadable(loaded.findings);
    snapshot = loaded.snapshot;
  }
  const correlator = createCorrelator(snapshot);
  const print = denialPrinter(format, snapshot);
  // stdin is a live stream (`kubectl logs -f | meshdbg denials --logs -`): print as seen, stop on Ctrl-C
  const live = logs.includes('-');
  const asSeen = live ? printAsSeen(correlator, print) : null;
  const controller = new AbortController();
  const signals = live ? stopOnSignals(() => controller.abort()) : null;
  const notes = new Set<string>();
  const onEvent = (e: LogEvent): void => {
    const update = correlator.push(e);
    asSeen?.seen(update);
    const note = healthNote(e);
    if (note !== null) notes.add(note);
  };
  const inputs: LogInput[] = [];
  try {
    for (const path of logs)
      if (!controller.signal.aborted) inputs.push(await readLogs(path, onEvent, controller.signal));
  } finally {
    asSeen?.flush();
    signals?.uninstall();
  }
  reportIssues(inputs);
  if (v.verbose)
    for (const i of inputs)
      process.stderr.write(
        `meshdbg: ${i.name}: ${i.stats.lines} lines, ${i.stats.events} events, ${i.stats.unrecognized} lines in no known format\n`,
      );
  if (asSeen === null) for (const d of correlator.denials()) print(d);
  if (format === 'json') {
    for (const i of inputs)
      for (const u of i.unrecognized)
        process.stdout.write(`${toJsonLine({ kind: 'Unrecognized', file: i.name, line: u.lineNo, text: u.text })}\n`);
  } else {
    if (asSeen !== null) process.stdout.write(liveSummary(correlator.denials(), signals?.signal() ?? null));
    else if (correlator.denials().length === 0) process.stdout.write('no denials in the logs\n');
    for (const note of notes) process.stdout.write(`${note}\n`);
    process.stdout.write(unrecognizedFooter(inputs));
  }
  const stoppedBy = signals?.signal() ?? null;
  return stoppedBy === null ? 0 : SIGNAL_EXIT_CODES[stoppedBy];
}

/** Writes one denial: JSON, or text with the rule's YAML under its first denial only. */
function denialPrinter(format: string, snapshot: Snapshot | null): (d: Denial) => void {
  const shown = new Set<string>();
  return (denial) => {
    const d = withYaml(denial, snapshot);
    if (format === 'json') {
      process.stdout.write(`${toJsonLine(d)}\n`);
      return;
    }
    const first = d.ruleRef === null || !shown.has(d.ruleRef);
    if (d.ruleRef !== null) shown.add(d.ruleRef);
    process.stdout.write(first ? formatDenialText(d) : `${formatDenialLine(d)}\n`);
  };
}

/** After a live stream: how many were seen, and the repeated ones with their counts. */
export function liveSummary(denials: readonly Denial[], signal: string | null): string {
  if (denials.length === 0) return `no denials in the logs${signal === null ? '' : ` (stopped by ${signal})`}\n`;
  const total = denials.reduce((n, d) => n + d.count, 0);
  const repeated = denials.filter((d) => d.count > 1).map((d) => `  ${formatDenialLine(d)}\n`);
  const stopped = signal === null ? '' : `, stopped by ${signal}`;
  return [
    `summary: ${total} denial${total > 1 ? 's' : ''}, ${denials.length} distinct${stopped}\n`,
    ...(repeated.length > 0 ? ['repeated:\n', ...repeated] : []),
  ].join('');
}

/** "Never a silent drop": the lines that look like denials but no parser understood. */
export function unrecognizedFooter(inputs: readonly LogInput[]): string {
  const total = inputs.reduce((n, i) => n + i.stats.unrecognizedDenials, 0);
  if (total === 0) return '';
  const where = inputs
    .filter((i) => i.unrecognized.length > 0)
    .map(
      (i) => `${i.name}: line${i.unrecognized.length > 1 ? 's' : ''} ${i.unrecognized.map((u) => u.lineNo).join(', ')}`,
    );
  return `${total} line${total > 1 ? 's' : ''} look like denials but were not understood (${where.join('; ')})\n`;
}
