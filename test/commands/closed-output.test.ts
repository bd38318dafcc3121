/**
 * A reader that went away ends the output quietly, whatever the output is: a pipe gives EPIPE, a
 * socket (a parent's `stdio: 'pipe'`, which libuv makes a UNIX socketpair) gives ECONNRESET. Either
 * is "the reader closed the output", never an internal error (exit 70).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isClosedOutput, reportFatal } from '../../src/commands/crash.js';
import { OutputClosed, writeWithBackpressure, type WritableLike } from '../../src/commands/stdout-writer.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code });

/** A stream that accepts writes until told its reader is gone. */
class GoneReader extends EventEmitter implements WritableLike {
  write(): boolean {
    return true;
  }
}

describe('closed output', () => {
  it.each(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED'])('%s is a closed output, exit 0', (code) => {
    expect(isClosedOutput(errno(code))).toBe(true);
    expect(reportFatal(errno(code))).toBe(0);
  });

  it('other write errors are not', () => {
    expect(isClosedOutput(errno('ENOSPC'))).toBe(false);
  });

  it.each(['EPIPE', 'ECONNRESET'])('a streamed writer stops at once after %s', (code) => {
    const stream = new GoneReader();
    const write = writeWithBackpressure(stream);
    expect(write('a\n')).toBeUndefined();
    stream.emit('error', errno(code));
    expect(() => write('b\n')).toThrow(OutputClosed);
  });
});
