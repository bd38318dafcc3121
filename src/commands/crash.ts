import { MeshdbgError } from '../util/errors.js';
import { escapeControlCharacters } from '../util/terminal-text.js';
import { cutLongValues } from '../util/cut-text.js';
import { isHungUpTerminal, releaseHungUpStdio } from './hung-up-terminal.js';

export const EXIT_INTERNAL = 70;

/** Prints an error for the user and returns the exit code it deserves. */
export function reportFatal(err: unknown): number {
  // the reader went away (`| head`): stop quietly, as other CLI tools do
  if (isClosedOutput(err)) return 0;
  if (err instanceof MeshdbgError) {
    process.stderr.write(escapeControlCharacters(`meshdbg: ${err.userMessage}\n`));
    if (err.hint) process.stderr.write(escapeControlCharacters(`  hint: ${err.hint}\n`));
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  // the message may carry input text (a crafted value set the terminal title): escaped and cut
  const line = escapeControlCharacters(message.split('\n')[0] ?? '');
  process.stderr.write(`meshdbg: internal error: ${cutLongValues(line, 300)}\n`);
  if (process.env['MESHDBG_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  this is a bug in meshdbg; rerun with MESHDBG_DEBUG=1 for the stack trace\n');
  return EXIT_INTERNAL;
}

/**
 * A write to a pipe whose reader has exited: EPIPE on a pipe; ECONNRESET when the output is a
 * socket (libuv gives a child's `stdio: 'pipe'` a UNIX socketpair, so a parent that stops reading
 * resets it: the closed-pipe test saw `write ECONNRESET` under load).
 */
export function isClosedOutput(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED';
}

let installed = false;
let outputErrorHandler: ((err: Error) => void) | null = null;

/**
 * From now on stdout/stderr write errors go to `handler` instead of ending the process: the TUI
 * ends itself on a hangup and still restores the log levels it raised (and writes nothing more).
 */
export function handleOutputErrors(handler: (err: Error) => void): void {
  outputErrorHandler = handler;
}

/** Any exception nobody caught becomes exit 70 with one line (Node's default would be 1 = "denied"). */
export function installCrashHandlers(): void {
  if (installed) return;
  installed = true;
  const onFatal = (err: unknown): void => {
    const code = reportFatal(err);
    process.exit(code);
  };
  // without a listener a closed pipe surfaces as an uncaught 'error' event; exit 0 at once so a
  // command that keeps writing (denials on a live stream) stops too
  // so does a terminal that hung up (EIO): nobody is left to read
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (outputErrorHandler) return outputErrorHandler(err);
      if (isClosedOutput(err) || isHungUpTerminal(err)) process.exit(0);
      onFatal(err);
    });
  }
  // registered first, but harmless before the TUI's own exit-time restore: it only closes fds that
  // no longer work, so Node's exit does not abort on them (see hung-up-terminal.ts)
  process.on('exit', releaseHungUpStdio);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
