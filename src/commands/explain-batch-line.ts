/** One `explain --batch` input line to its output line: the same text whichever thread answers it. */
import { cutLongValues } from '../util/cut-text.js';
import { explain } from '../engine/index.js';
import type { ExplainError, ExplainQuery, Explanation, QueryId } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { toJsonLine } from '../report/json.js';
import { describeNestingExcess, findExcessiveNesting } from '../util/nesting-depth.js';
import { parseQuery } from '../parsers/explain-query.js';

export interface BatchLineAnswer {
  /** the JSON line written for it, newline included */
  readonly text: string;
  /** whether it is an Error object that makes the batch exit 2 (an empty line does not) */
  readonly error: boolean;
}

function badQuery(line: string, lineNo: number, err: unknown): ExplainError {
  const message =
    err instanceof SyntaxError
      ? `line ${lineNo}: not JSON (${err.message})`
      : `line ${lineNo}: ${(err as Error).message}`;
  let id: QueryId;
  try {
    const parsed = findExcessiveNesting(line) ? {} : (JSON.parse(line) as { id?: unknown });
    id = typeof parsed.id === 'string' || typeof parsed.id === 'number' ? parsed.id : null;
  } catch {
    id = null;
  }
  return { kind: 'Error', id, code: 'bad-query', message: cutLongValues(message), candidates: [] };
}

/**
 * A query line is at most this many characters (a query is well under 1 KB): the rest of a longer
 * one is skipped as it arrives (util/bounded-lines.ts), so a runaway line costs this
 * much memory and the lines after it are still answered. Node's readline held a whole line: past
 * V8's longest string (~512 Mi characters) the batch stopped there.
 */
export const MAX_QUERY_LINE_CHARS = 1 << 20;

/**
 * What runBatch passes on for a line longer than MAX_QUERY_LINE_CHARS, whichever thread answers
 * it: its length after a newline, which no line can hold.
 */
export function overlongLine(length: number): string {
  return `\n${length}`;
}

function overlongLineError(line: string, lineNo: number): ExplainError {
  const length = Number(line.slice(1)).toLocaleString('en-US');
  const max = MAX_QUERY_LINE_CHARS.toLocaleString('en-US');
  const message = `line ${lineNo}: ${length} characters, longer than a query line may be (${max}); one JSON query per line, e.g. {"src":"ns/a","dst":"ns/b","port":8080}`;
  return { kind: 'Error', id: null, code: 'bad-query', message, candidates: [] };
}

/** Answers input line `lineNo` (1-based): a blank line is an `empty-line` Error that does not count as one. */
export function answerBatchLine(
  line: string,
  lineNo: number,
  snapshot: Snapshot,
  defaults: Partial<ExplainQuery>,
  partialView: (e: Explanation) => Explanation,
): BatchLineAnswer {
  if (line.trim() === '') {
    const empty = { kind: 'Error', id: null, code: 'empty-line', message: `line ${lineNo}: empty`, candidates: [] };
    return { text: `${toJsonLine(empty)}\n`, error: false };
  }
  if (line.startsWith('\n')) return { text: `${toJsonLine(overlongLineError(line, lineNo))}\n`, error: true };
  let result: Explanation | ExplainError;
  try {
    const deep = findExcessiveNesting(line);
    if (deep) throw new Error(describeNestingExcess({ ...deep, line: lineNo }));
    const query = parseQuery(JSON.parse(line) as unknown, defaults);
    const answer = explain(snapshot, query);
    result = answer.kind === 'Error' ? answer : partialView(answer);
  } catch (err) {
    result = badQuery(line, lineNo, err);
  }
  return {
    text: `${toJsonLine(result.kind === 'Error' ? result : withPlainFixes(result))}\n`,
    error: result.kind === 'Error',
  };
}

/**
 * The answer with its fixes as plain data: a `create` fix renders its YAML on first read, through
 * a getter (engine/fix-manifest.ts), and an object with a getter takes JSON.stringify's slow path
 * (about 4 µs of an answer's ~45 µs on the 10k-pod mesh). A spread reads the getter and keeps the
 * key order, so the text is the same.
 */
function withPlainFixes(e: Explanation): Explanation {
  return e.fix.length === 0 ? e : { ...e, fix: e.fix.map((f) => ({ ...f })) };
}

/** Lines `first`, `first + 1`... of a batch, as a worker thread receives them. */
export interface Chunk {
  readonly seq: number;
  readonly first: number;
  readonly lines: readonly string[];
}

export interface ChunkAnswer {
  readonly seq: number;
  /** one output line per input line, in order */
  readonly texts: readonly string[];
  /** how many of them are Error lines that count */
  readonly errors: number;
}

export function answerChunk(
  chunk: Chunk,
  snapshot: Snapshot,
  defaults: Partial<ExplainQuery>,
  partialView: (e: Explanation) => Explanation,
): ChunkAnswer {
  let errors = 0;
  const texts = chunk.lines.map((line, i) => {
    const a = answerBatchLine(line, chunk.first + i, snapshot, defaults, partialView);
    if (a.error) errors++;
    return a.text;
  });
  return { seq: chunk.seq, texts, errors };
}
