/**
 * Writing long output (explain --batch, map, diff): wait for 'drain' when the stream is full, so
 * a slow reader bounds memory instead of the output piling up in this process.
 */
import { isClosedOutput } from './crash.js';

export interface WritableLike {
  write(chunk: string): boolean;
  on(event: 'drain' | 'close' | 'error', listener: (err?: NodeJS.ErrnoException) => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: (err?: NodeJS.ErrnoException) => void): unknown;
}

/** Resolves once the stream drains, closes or fails, leaving no listener behind. */
export function drained(stream: WritableLike): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** A writer to `stream` that waits for 'drain' when it is full. */
export function drainingWriter(stream: WritableLike): (text: string) => Promise<void> | void {
  return (text) => (stream.write(text) ? undefined : drained(stream));
}

/** Writes to stdout, waiting for 'drain' when it is full (a closed pipe ends the process quietly: crash.ts). */
export function writeStdout(text: string): Promise<void> | void {
  return drainingWriter(process.stdout)(text);
}

export class OutputClosed extends Error {
  constructor() {
    super('the reader closed the output');
  }
}

/**
 * A writer for streamed output that also stops at once when the reader has gone (`| head`): the
 * write throws OutputClosed, which the command turns into a quiet exit, so no more work is done.
 */
export function writeWithBackpressure(stream: WritableLike): (chunk: string) => Promise<void> | void {
  let closed = false;
  stream.on('error', (err) => {
    if (isClosedOutput(err)) closed = true;
    else throw err;
  });
  return (chunk) => {
    if (closed) throw new OutputClosed();
    if (stream.write(chunk)) return;
    return drained(stream).then(() => {
      if (closed) throw new OutputClosed();
    });
  };
}
