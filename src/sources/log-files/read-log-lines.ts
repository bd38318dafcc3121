/**
 * A recorded log file read whole into lines (the TUI's `--logs FILE`), streamed: gzip and BOMs as
 * decodeLogStream handles them, each line cut at the parser's line cap as it is read
 * (bounded-lines.ts). readFile + split held the whole file and each whole line: a file over 2 GiB
 * was refused, a line over V8's longest string threw while decoding.
 */
import { createReadStream } from 'node:fs';
import { DEFAULT_LIMITS } from '../../parsers/log-parser.js';
import { boundedLines, type BoundedLine } from '../../util/bounded-lines.js';
import { decodeLogStream } from './log-text.js';

/**
 * The lines of a log file or stream as its readers take them (denials, the TUI): decoded
 * (decodeLogStream) and cut at the parser's line cap as they arrive.
 */
export function logLines(
  input: AsyncIterable<unknown>,
  name: string,
  maxLineChars: number = DEFAULT_LIMITS.maxLineBytes,
): AsyncGenerator<BoundedLine> {
  return boundedLines(decodeLogStream(input, name), maxLineChars);
}

export interface LogFileLines {
  readonly lines: string[];
  /** 1-based numbers of the lines that were cut to maxLineChars */
  readonly cut: number[];
}

export async function readLogLines(
  path: string,
  maxLineChars: number = DEFAULT_LIMITS.maxLineBytes,
): Promise<LogFileLines> {
  const lines: string[] = [];
  const cut: number[] = [];
  for await (const { text, length } of logLines(createReadStream(path), path, maxLineChars)) {
    lines.push(text);
    if (length > text.length) cut.push(lines.length);
  }
  return { lines, cut };
}
