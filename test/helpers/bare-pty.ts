/**
 * A pseudo-terminal run by `script` that the test can hang up: SIGKILL closes its master side,
 * so every later write to the pty fails with EIO, as when a terminal window closes or an ssh link
 * drops. Unlike test/helpers/terminal.ts it keeps no screen (the output, control sequences
 * stripped, is all there is) and nothing runs after the command. `spareTty` is such a pty with no
 * program on it, for a command to redirect only its stdout to: hanging it up then makes writes
 * fail with EIO while the command's controlling terminal stays and no signal arrives.
 */
import { spawn } from 'node:child_process';
import { stripControl } from '../../src/ui/sanitize.js';
import { waitFor } from './wait-for.js';

export interface BarePty {
  /** everything written to it so far, control sequences stripped */
  text(): string;
  /** types into it */
  write(data: string): void;
  /** closes the master side: later writes to the pty fail with EIO */
  hangUp(): void;
}

/** Runs the shell `command` (with CI unset: Ink draws nothing under CI) in a new pty. */
export function openPty(command: string, columns = 160, rows = 40): BarePty {
  const env = { ...process.env };
  delete env['CI'];
  const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; ${command}`, '/dev/null'], { env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stdout.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  return {
    text: () => stripControl(output, true),
    write: (data) => {
      if (child.exitCode === null) child.stdin.write(data);
    },
    hangUp: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A pty with nothing on it but `sleep`, and its path (e.g. /dev/pts/7). */
export async function spareTty(columns = 160, rows = 40): Promise<BarePty & { readonly path: string }> {
  const pty = openPty('tty; exec sleep 600', columns, rows);
  const path = await waitFor(
    () => {
      const m = /(\/dev\/pts\/\d+)/.exec(pty.text());
      if (!m?.[1]) throw new Error(`no tty path yet: ${JSON.stringify(pty.text())}`);
      return m[1];
    },
    10_000,
    20,
  );
  return { ...pty, path };
}
