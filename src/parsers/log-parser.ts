/**
 * The one streaming entry point: push physical lines, get LogEvents. Auto-detects each line's
 * format (Envoy of every era, Istio Go components, access logs, Calico, kube-router), assembles
 * multi-line Envoy events, joins RBAC decisions with their request, and never throws.
 * Caps are explicit and injectable: bytes per line, lines per event, pending joins, issues kept.
 */
import { removeTerminalSequences } from '../util/terminal-text.js';
import {
  parseIsoEnvoyHead,
  parsePlainEnvoyHead,
  splitThreadSuffix,
  startsWithIsoTime,
  type EnvoyHead,
} from './envoy-line.js';
import { envoyRecordToEvent } from './envoy-events.js';
import type { LogEvent, LogOrigin, ParseIssue, ParseIssueCode, UnrecognizedDenialLine } from './log-event.js';
import { lineKind, stripKubectlTimestamp } from './line-kind.js';
import { RbacJoins } from './rbac-joins.js';
import {
  accessLogEvent,
  bareLineEvent,
  jsonLineEvent,
  jsonObjectEvent,
  otherLineEvent,
  istioGoLineEvent,
} from './line-events.js';
import { hasDenialMarker } from './denial-marker.js';
import { JsonBlock, parseLenientJson } from './json-block.js';
import { applyToolPrefixes, stripQuoteIndent } from './line-prefix.js';
import { unwrapContainerLine } from './container-log.js';
import { jsonRecord, mayBeEvent, originKeyOf, type OpenRecord } from './envoy-record.js';
import { parseZtunnelText } from './ztunnel.js';
import { sanitizeEvidence } from '../util/redact.js';

export interface LogParserOptions {
  /** longer lines are truncated to this many characters (UTF-16 units) and reported; default 64 KiB */
  readonly maxLineBytes?: number;
  /** continuation lines beyond this are dropped from the event and reported; default 200 */
  readonly maxLinesPerEvent?: number;
  /** `checking ...` lines waiting for a decision; the oldest is dropped beyond this; default 1024 */
  readonly maxPendingJoins?: number;
  /** issues kept; later ones are only counted; default 1000 */
  readonly maxIssues?: number;
}

export interface LogParserStats {
  readonly lines: number;
  readonly events: number;
  /** lines of no known format (application output, Envoy messages meshdbg does not use) */
  readonly unrecognized: number;
  readonly pendingJoins: number;
  readonly droppedIssues: number;
  /** lines that carry a denial marker but were not understood (see unrecognizedDenials) */
  readonly unrecognizedDenials: number;
}

export interface LogParser {
  /** `length`: the line's full length when the reader already cut it (bounded-lines.ts), so the cut is reported here */
  push(line: string, lineNo?: number, origin?: LogOrigin, length?: number): LogEvent[];
  /** flushes the event still being assembled */
  end(): LogEvent[];
  issues(): readonly ParseIssue[];
  /** lines that look like denials but no parser understood (the first maxIssues of them) */
  unrecognizedDenials(): readonly UnrecognizedDenialLine[];
  stats(): LogParserStats;
}

export const DEFAULT_LIMITS = {
  maxLineBytes: 64 * 1024,
  maxLinesPerEvent: 200,
  maxPendingJoins: 1024,
  maxIssues: 1000,
} as const;

export function createLogParser(options: LogParserOptions = {}): LogParser {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const issueList: ParseIssue[] = [];
  let dropped = 0;
  let lines = 0;
  let events = 0;
  let unrecognized = 0;
  const suspects: UnrecognizedDenialLine[] = [];
  let suspectCount = 0;
  const jsonBlock = new JsonBlock(limits.maxLinesPerEvent);
  const opens = new Map<string, OpenRecord>();
  let lastOrigin: LogOrigin | null = null;
  let lastOriginKey = '';

  const issue = (lineNo: number, code: ParseIssueCode, message: string): void => {
    if (issueList.length < limits.maxIssues) issueList.push({ lineNo, code, message });
    else dropped++;
  };
  const joins = new RbacJoins(limits.maxPendingJoins, (n) =>
    issue(
      n,
      'pending-joins-overflow',
      `more than ${limits.maxPendingJoins} RBAC requests waiting for a decision; dropped the oldest (line ${n})`,
    ),
  );
  const ctx = { issue };
  /** a line no parser understood: counted, and kept when it looks like a denial */
  const miss = (line: string, lineNo: number): void => {
    unrecognized++;
    if (!hasDenialMarker(line)) return;
    suspectCount++;
    if (suspects.length < limits.maxIssues) suspects.push({ lineNo, text: sanitizeEvidence(line) });
  };

  const closeRecord = (r: OpenRecord, thread: string | null, out: LogEvent[]): void => {
    if (opens.get(r.originKey) === r) opens.delete(r.originKey);
    if (r.ignored) return;
    const ev = envoyRecordToEvent(r, thread ?? r.head.thread, joins);
    if (ev) out.push(ev);
    else if (r.head.logger !== 'rbac' && hasDenialMarker(r.head.message)) miss(r.rawLines[0] ?? '', r.lineNo);
  };
  const close = (key: string, thread: string | null, out: LogEvent[]): void => {
    const r = opens.get(key);
    if (r !== undefined) closeRecord(r, thread, out);
  };

  /** `complete`: the event cannot continue (thread suffix seen, or a JSON line) */
  const openEnvoy = (
    head: EnvoyHead,
    raw: string,
    lineNo: number,
    origin: LogOrigin | null,
    key: string,
    thread: string | null,
    complete: boolean,
    out: LogEvent[],
  ): void => {
    const r: OpenRecord = {
      head,
      lineNo,
      origin,
      originKey: key,
      continuation: [],
      rawLines: [raw],
      overflowReported: false,
      ignored: !mayBeEvent(head),
    };
    if (complete) return closeRecord(r, thread, out);
    opens.set(key, r);
    if (opens.size > limits.maxPendingJoins) {
      const oldest = opens.values().next().value as OpenRecord;
      closeRecord(oldest, null, out);
    }
  };

  const continueOpen = (line: string, lineNo: number, key: string, out: LogEvent[]): boolean => {
    const r = opens.get(key);
    if (r === undefined) return false;
    const suffix = splitThreadSuffix(line);
    const body = suffix ? suffix.body : line;
    if (r.ignored) {
      // an Envoy message meshdbg does not use: consume its lines without keeping them
    } else if (r.rawLines.length < limits.maxLinesPerEvent) {
      r.continuation.push(body);
      r.rawLines.push(line);
    } else if (!r.overflowReported) {
      r.overflowReported = true;
      issue(
        lineNo,
        'event-too-long',
        `event starting at line ${r.lineNo} has more than ${limits.maxLinesPerEvent} lines; the rest is dropped`,
      );
    }
    if (suffix) closeRecord(r, suffix.thread, out);
    return true;
  };

  const handleIso = (line: string, lineNo: number, origin: LogOrigin | null, key: string, out: LogEvent[]): void => {
    const suffix =
      line.charCodeAt(line.length - 1) >= 48 && line.charCodeAt(line.length - 1) <= 57 ? splitThreadSuffix(line) : null;
    const parsed = parseIsoEnvoyHead(suffix ? suffix.body : line);
    // `[timestamp]` stands in for the time in copies that hid it (istio/istio#25618)
    const head = parsed !== null && line.charCodeAt(0) === 91 ? { ...parsed, time: null } : parsed;
    if (head !== null)
      return openEnvoy(head, line, lineNo, origin, key, suffix ? suffix.thread : null, suffix !== null, out);
    const ev = istioGoLineEvent(line, lineNo, origin) ?? parseZtunnelText(line, lineNo, origin);
    if (ev) out.push(ev);
    else miss(line, lineNo);
  };

  const handleJsonBlock = (line: string, lineNo: number, origin: LogOrigin | null, out: LogEvent[]): void => {
    const text = jsonBlock.add(line);
    if (text === null) return;
    const start = jsonBlock.startLine;
    const obj = parseLenientJson(text);
    const ev = obj === null ? null : jsonObjectEvent(obj, text.split('\n'), start, origin, ctx);
    if (ev !== null && !('head' in ev)) out.push(ev);
    else if (ev === null) {
      if (obj === null)
        issue(start, 'malformed-json', `lines ${start}-${lineNo} look like one JSON record but do not parse`);
      miss(text.replace(/\s*\n\s*/g, ' '), start);
    }
  };

  const dispatch = (line: string, lineNo: number, origin: LogOrigin | null, key: string, out: LogEvent[]): void => {
    const kind = lineKind(line);
    if (kind === 'continuation') {
      if (JsonBlock.opens(line)) return jsonBlock.begin(line, lineNo);
      if (line.startsWith('[timestamp]')) {
        close(key, null, out);
        return handleIso(line, lineNo, origin, key, out);
      }
      if (continueOpen(line, lineNo, key, out)) return;
      const bare = bareLineEvent(line, lineNo, origin);
      if (bare !== null) out.push(bare);
      else miss(line, lineNo);
      return;
    }
    close(key, null, out);
    if (kind === 'iso') return handleIso(line, lineNo, origin, key, out);
    if (JsonBlock.opens(line)) return jsonBlock.begin(line, lineNo);
    let ev: LogEvent | null = null;
    if (kind === 'access-text') ev = accessLogEvent(line, lineNo, origin, ctx);
    else if (kind === 'json') {
      const r = jsonLineEvent(line, lineNo, origin, ctx);
      if (r !== null && 'head' in r)
        return closeRecord(jsonRecord(r.head, line, lineNo, origin, key, limits.maxLinesPerEvent), r.head.thread, out);
      ev = r;
    } else if (kind === 'envoy-plain') {
      const head = parsePlainEnvoyHead(line);
      if (head !== null) return openEnvoy(head, line, lineNo, origin, key, null, false, out);
    } else ev = otherLineEvent(line, lineNo, origin);
    if (ev) out.push(ev);
    else miss(line, lineNo);
  };

  /** pieces of lines a runtime cut (CRI `P`, Docker records without a newline), by origin and stream */
  const partials = new Map<string, { text: string; lineNo: number; cut: boolean; origin: LogOrigin | null }>();

  /**
   * The line a container wrote, out of its runtime or shipper envelope: null while its pieces
   * are still coming. A joined line longer than maxLineBytes is cut there and reported.
   */
  const unwrap = (
    line: string,
    n: number,
    origin: LogOrigin | null,
  ): { line: string; lineNo: number; origin: LogOrigin | null } | null => {
    const env = unwrapContainerLine(line);
    if (env === null) return { line, lineNo: n, origin };
    const o = env.origin === null ? origin : { ...env.origin, label: origin?.label ?? null };
    const key = `${originKeyOf(o)}|${env.stream}`;
    const head = partials.get(key);
    if (head === undefined && !env.partial) return { line: env.text, lineNo: n, origin: o };
    const joined = head ?? { text: '', lineNo: n, cut: false, origin: o };
    const room = limits.maxLineBytes - joined.text.length;
    if (env.text.length > room && !joined.cut) {
      joined.cut = true;
      issue(
        joined.lineNo,
        'line-too-long',
        `the line the runtime split over lines ${joined.lineNo}-${n} is longer than ${limits.maxLineBytes} characters; kept the first ${limits.maxLineBytes}`,
      );
    }
    joined.text += room > 0 ? env.text.slice(0, room) : '';
    if (env.partial) {
      partials.delete(key);
      partials.set(key, joined);
      if (partials.size > limits.maxPendingJoins) partials.delete(partials.keys().next().value as string);
      return null;
    }
    partials.delete(key);
    return { line: joined.text, lineNo: joined.lineNo, origin: o };
  };

  const parseLine = (rawLine: string, n0: number, origin: LogOrigin | null, out: LogEvent[]): void => {
    let line = rawLine;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    let c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9 || c0 === 62 || c0 === 35) {
      line = stripQuoteIndent(line) ?? line;
      c0 = line.charCodeAt(0);
    }
    let n = n0;
    let o = origin;
    if (c0 === 123 || (c0 >= 48 && c0 <= 57)) {
      const u = unwrap(line, n0, o);
      if (u === null) return;
      ({ line, lineNo: n, origin: o } = u);
    }
    parseUnwrapped(line, n, o, out);
  };

  /** A line out of any envelope: tool prefixes and escape sequences off, then its format's parser. */
  const parseUnwrapped = (text: string, n: number, origin: LogOrigin | null, out: LogEvent[]): void => {
    let line = text;
    let o = origin;
    // colour from tools (stern --color, tracing on a TTY): ECMA-48 SGR and other escape sequences
    if (line.indexOf('\u001b') !== -1 || line.indexOf('\u009b') !== -1) line = removeTerminalSequences(line);
    const c = line.charCodeAt(0);
    if (c === 91 || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
      const p = applyToolPrefixes(line, o);
      line = p.line;
      o = p.origin;
    }
    if (o !== lastOrigin) {
      lastOrigin = o;
      lastOriginKey = originKeyOf(o);
    }
    if (startsWithIsoTime(line)) line = stripKubectlTimestamp(line) ?? line;
    if (jsonBlock.open) handleJsonBlock(line, n, o, out);
    else dispatch(line, n, o, lastOriginKey, out);
  };

  return {
    push(rawLine: string, lineNo?: number, origin?: LogOrigin, length = rawLine.length): LogEvent[] {
      const out: LogEvent[] = [];
      try {
        lines++;
        const n = lineNo ?? lines;
        let line = rawLine;
        if (length > limits.maxLineBytes) {
          issue(n, 'line-too-long', `line ${n} has ${length} characters; kept the first ${limits.maxLineBytes}`);
          line = line.slice(0, limits.maxLineBytes);
        }
        parseLine(line, n, origin ?? null, out);
      } catch (err) {
        issue(lineNo ?? lines, 'internal-error', `internal parser error on this line: ${String(err)}`);
      }
      events += out.length;
      return out;
    },
    end(): LogEvent[] {
      const out: LogEvent[] = [];
      // a stream that ended inside a cut line: the pieces read are the line (kubelet prints them too)
      for (const [key, p] of [...partials]) {
        partials.delete(key);
        parseUnwrapped(p.text, p.lineNo, p.origin, out);
      }
      if (jsonBlock.open) {
        const text = jsonBlock.take();
        miss(text.replace(/\s*\n\s*/g, ' '), jsonBlock.startLine);
      }
      for (const r of [...opens.values()]) closeRecord(r, null, out);
      events += out.length;
      return out;
    },
    issues: () => issueList,
    unrecognizedDenials: () => suspects,
    stats: () => ({
      lines,
      events,
      unrecognized,
      pendingJoins: joins.size,
      droppedIssues: dropped,
      unrecognizedDenials: suspectCount,
    }),
  };
}

/** Parses a finished sequence of lines (a file read into memory, a recording). */
export function parseLogLines(
  lines: Iterable<string>,
  options?: LogParserOptions,
  origin?: LogOrigin,
): { events: LogEvent[]; issues: readonly ParseIssue[]; stats: LogParserStats } {
  const parser = createLogParser(options);
  const events: LogEvent[] = [];
  let n = 0;
  for (const line of lines) for (const e of parser.push(line, ++n, origin)) events.push(e);
  for (const e of parser.end()) events.push(e);
  return { events, issues: parser.issues(), stats: parser.stats() };
}
