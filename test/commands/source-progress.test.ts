/**
 * The progress line of a long map or diff (src/commands/source-progress.ts): on stderr only when
 * it is a terminal and stdout is not, never under CI, after the first second, at most every 200 ms,
 * cleared at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  bytesProgressLine,
  PROGRESS_DELAY_MS,
  sourceProgressLine,
  type ProgressTerminal,
} from '../../src/commands/source-progress.js';

function terminal(over: Partial<ProgressTerminal> = {}): ProgressTerminal & { out: string[]; clock: { t: number } } {
  const out: string[] = [];
  const clock = { t: 0 };
  return {
    stdoutIsTerminal: false,
    stderrIsTerminal: true,
    ci: false,
    write: (text) => out.push(text),
    now: () => clock.t,
    ...over,
    out,
    clock,
  };
}

describe('the progress line of map and diff', () => {
  it('draws done of total after the first second, at most every 200 ms, and clears itself', () => {
    const t = terminal();
    const line = sourceProgressLine('map', t);
    line.onSource?.(0, 10403);
    t.clock.t = PROGRESS_DELAY_MS - 1;
    line.onSource?.(5, 10403);
    expect(t.out).toEqual([]);
    t.clock.t = PROGRESS_DELAY_MS;
    line.onSource?.(1234, 10403);
    t.clock.t += 100;
    line.onSource?.(1300, 10403);
    t.clock.t += 100;
    line.onSource?.(10403, 10403);
    line.finish();
    expect(t.out).toEqual([
      '\r\x1b[2Kmeshdbg map: 1,234 of 10,403 sources (11%)',
      '\r\x1b[2Kmeshdbg map: 10,403 of 10,403 sources (100%)',
      '\r\x1b[2K',
    ]);
  });

  it('counts other units on the same line, with the same delay and pace (the diff: class pairs, then sources)', () => {
    const t = terminal();
    const line = sourceProgressLine('diff', t);
    const classes = line.counting('OLD source classes');
    classes?.(1, 400);
    t.clock.t = PROGRESS_DELAY_MS;
    classes?.(200, 400);
    t.clock.t += 100;
    line.onSource?.(5, 10000);
    t.clock.t += 100;
    line.onSource?.(5000, 10000);
    line.finish();
    expect(t.out).toEqual([
      '\r\x1b[2Kmeshdbg diff: 200 of 400 OLD source classes (50%)',
      '\r\x1b[2Kmeshdbg diff: 5,000 of 10,000 sources (50%)',
      '\r\x1b[2K',
    ]);
  });

  it('a short run draws nothing, and finishing clears nothing', () => {
    const t = terminal();
    const line = sourceProgressLine('diff', t);
    line.onSource?.(0, 3);
    line.onSource?.(3, 3);
    line.finish();
    expect(t.out).toEqual([]);
  });

  it.each([
    ['stdout is a terminal (the output streams there)', { stdoutIsTerminal: true }],
    ['stderr is not a terminal', { stderrIsTerminal: false }],
    ['under CI', { ci: true }],
  ])('stays silent when %s', (_, over) => {
    const t = terminal(over);
    const line = sourceProgressLine('map', t);
    expect(line.onSource).toBeUndefined();
    expect(line.counting('OLD source classes')).toBeUndefined();
    t.clock.t = 10 * PROGRESS_DELAY_MS;
    line.onSource?.(1, 2);
    line.finish();
    expect(t.out).toEqual([]);
  });
});

describe('the progress line of denials on a large log file', () => {
  const MB = 1024 * 1024;

  it('counts MB of the file read, after the first second, and clears itself', () => {
    const t = terminal();
    const line = bytesProgressLine('denials', 'istio-proxy.log', 2600 * MB + 1, t);
    line.read(10 * MB);
    expect(t.out).toEqual([]);
    t.clock.t = PROGRESS_DELAY_MS;
    line.read(120 * MB + 5);
    t.clock.t += 300;
    line.read(2700 * MB); // read past the size taken at the start (a log still being written)
    line.finish();
    expect(t.out).toEqual([
      '\r\x1b[2Kmeshdbg denials: 120 of 2,601 MB of istio-proxy.log (4%)',
      '\r\x1b[2Kmeshdbg denials: 2,601 of 2,601 MB of istio-proxy.log (100%)',
      '\r\x1b[2K',
    ]);
  });

  it.each([
    ['stdin or a pipe (no size)', 0, {}],
    ['stdout on the terminal (the denials stream there)', 5 * MB, { stdoutIsTerminal: true }],
    ['CI', 5 * MB, { ci: true }],
    ['stderr not a terminal', 5 * MB, { stderrIsTerminal: false }],
  ] as const)('nothing for %s', (_what, size, over) => {
    const t = terminal(over);
    const line = bytesProgressLine('denials', 'a.log', size, t);
    t.clock.t = 10 * PROGRESS_DELAY_MS;
    line.read(MB);
    line.finish();
    expect(t.out).toEqual([]);
  });
});
