/**
 * Progress of a long map or diff on stderr: a 10k-pod map takes tens of seconds and a diff twice
 * that, written to a file with nothing on the screen. One line, rewritten in place and cleared at
 * the end; shown only when stderr is a terminal and stdout is not (on a terminal the output itself
 * streams, and a progress line would land inside it), never under CI, and only after the first
 * second (a small map prints nothing more than before).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceProgress } from '../engine/index.js';
import { writeComposedControl } from './terminal-output.js';

/** Before the first line: short runs stay silent. */
export const PROGRESS_DELAY_MS = 1000;
/** Between two lines. */
const PROGRESS_EVERY_MS = 200;

export interface ProgressTerminal {
  readonly stdoutIsTerminal: boolean;
  readonly stderrIsTerminal: boolean;
  readonly ci: boolean;
  write(text: string): void;
  now(): number;
}

export interface SourceProgressLine {
  /** for the engine's walk over sources */
  readonly onSource: SourceProgress | undefined;
  /** the same line counting other things (`meshdbg diff: 12 of 400 OLD source classes (3%)`) */
  counting(unit: string): SourceProgress | undefined;
  /** clears the line, if one was drawn */
  finish(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

/** `meshdbg map: 1,234 of 10,403 sources (11%)` on `terminal`, when it should show at all. */
/** Whether a progress line shows at all: on stderr, when it is a terminal and stdout is not, never under CI. */
function showsProgress(terminal: ProgressTerminal): boolean {
  return terminal.stderrIsTerminal && !terminal.stdoutIsTerminal && !terminal.ci;
}

export function sourceProgressLine(command: string, terminal: ProgressTerminal): SourceProgressLine {
  if (!showsProgress(terminal)) return { onSource: undefined, counting: () => undefined, finish() {} };
  const start = terminal.now();
  let next = start + PROGRESS_DELAY_MS;
  let drawn = false;
  const counting =
    (unit: string): SourceProgress =>
    (done, total) => {
      const now = terminal.now();
      if (now < next || total === 0) return;
      next = now + PROGRESS_EVERY_MS;
      drawn = true;
      const percent = Math.floor((done * 100) / total);
      terminal.write(
        `${CLEAR_LINE}meshdbg ${command}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit} (${percent}%)`,
      );
    };
  return {
    onSource: counting('sources'),
    counting,
    finish() {
      if (drawn) terminal.write(CLEAR_LINE);
    },
  };
}

/** This process's terminal: stdout, stderr, CI and the clock. */
export function processTerminal(): ProgressTerminal {
  return {
    stdoutIsTerminal: process.stdout.isTTY === true,
    stderrIsTerminal: process.stderr.isTTY === true,
    ci: Boolean(process.env['CI']),
    write: (text) => {
      try {
        writeComposedControl(process.stderr, text);
      } catch {
        // a terminal that went away: progress is not worth an error
      }
    },
    now: () => Date.now(),
  };
}

const MB = 1024 * 1024;

/**
 * `meshdbg denials: 120 of 2,600 MB of istio-proxy.log (4%)` while a large log file is read
 * (300k lines/s: a 2 GB file takes tens of seconds), under the same rules as the source line.
 * `read(bytesRead)` may be called per line; it draws at most every PROGRESS_EVERY_MS.
 */
export interface BytesProgress {
  read(bytesRead: number): void;
  finish(): void;
}

/** No line: stdin, or a terminal where progress does not show. */
export const NO_BYTES_PROGRESS: BytesProgress = { read() {}, finish() {} };

export function bytesProgressLine(
  command: string,
  name: string,
  size: number,
  terminal: ProgressTerminal,
): BytesProgress {
  const line = sourceProgressLine(command, terminal);
  const tick = size > 0 ? line.counting(`MB of ${name}`) : undefined;
  if (tick === undefined) return NO_BYTES_PROGRESS;
  const total = Math.max(1, Math.ceil(size / MB));
  return {
    read: (bytesRead) => tick(Math.min(total, Math.floor(bytesRead / MB)), total),
    finish: () => line.finish(),
  };
}

/**
 * bytesProgressLine for the file at `path`, whose size is looked up only when a line can show
 * (a pipe or a file that cannot be read has none: the read reports the error).
 */
export async function fileProgressLine(
  command: string,
  path: string,
  terminal: ProgressTerminal,
): Promise<BytesProgress> {
  if (!showsProgress(terminal)) return NO_BYTES_PROGRESS;
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  return bytesProgressLine(command, basename(path), size, terminal);
}
