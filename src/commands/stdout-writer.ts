/** Writes to a stream and waits for 'drain' when it is full, so a slow reader bounds memory. */
export interface WritableLike {
  write(chunk: string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

export function writeWithBackpressure(stream: WritableLike): (chunk: string) => Promise<void> | void {
  return (chunk) => {
    if (stream.write(chunk)) return;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        stream.removeListener('drain', done);
        stream.removeListener('close', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
    });
  };
}
