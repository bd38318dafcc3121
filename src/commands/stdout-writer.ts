/**
 * Writing long streamed output (map, diff): waits for 'drain' when the stream is full, so a slow
 * reader bounds memory, and stops at once when the reader has gone (`| head`): the write throws
 * OutputClosed, which the command turns into a quiet exit, as other CLI tools stop on SIGPIPE.
 */
export interface WritableLike {
  write(chunk: string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

export class OutputClosed extends Error {
  constructor() {
    super('the reader closed the output');
  }
}

export function writeWithBackpressure(stream: WritableLike): (chunk: string) => Promise<void> | void {
  let closed = false;
  stream.on('error', (err) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw err;
  });
  return (chunk) => {
    if (closed) throw new OutputClosed();
    if (stream.write(chunk)) return;
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        stream.removeListener('drain', done);
        stream.removeListener('close', done);
        if (closed) reject(new OutputClosed());
        else resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
    });
  };
}
