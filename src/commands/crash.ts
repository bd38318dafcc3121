import { MeshdbgError } from '../util/errors.js';
import { escapeControlCharacters } from '../util/terminal-text.js';
import { cutLongValues } from '../util/cut-text.js';

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

/** A write to a pipe whose reader has exited. */
export function isClosedOutput(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

let installed = false;

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
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (isClosedOutput(err)) process.exit(0);
      onFatal(err);
    });
  }
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
