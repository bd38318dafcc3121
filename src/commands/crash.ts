import { MeshdbgError } from '../util/errors.js';
import { escapeControlCharacters } from '../util/terminal-text.js';

export const EXIT_INTERNAL = 70;

/** Prints an error for the user and returns the exit code it deserves. */
export function reportFatal(err: unknown): number {
  if (err instanceof MeshdbgError) {
    process.stderr.write(escapeControlCharacters(`meshdbg: ${err.userMessage}\n`));
    if (err.hint) process.stderr.write(escapeControlCharacters(`  hint: ${err.hint}\n`));
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  // the message may carry input text (a crafted value set the terminal title): escaped and cut
  const line = escapeControlCharacters(message.split('\n')[0] ?? '');
  process.stderr.write(`meshdbg: internal error: ${line.length > 300 ? `${line.slice(0, 300)}... (cut)` : line}\n`);
  if (process.env['MESHDBG_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  this is a bug in meshdbg; rerun with MESHDBG_DEBUG=1 for the stack trace\n');
  return EXIT_INTERNAL;
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
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
