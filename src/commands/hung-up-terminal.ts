/**
 * A terminal that hung up (its window closed, the ssh link dropped: the pty's master side is
 * gone) fails every write with EIO. Node 20 then aborts when the process exits: node::ResetStdio()
 * (nodejs/node:src/node.cc) puts back the termios of each stdio fd that was a TTY at start and
 * asserts that tcsetattr succeeded ("Assertion failed: !(err != 0) || (err == -1 && errno == 1)",
 * nodejs/node#51519; the check is gone from newer lines, nodejs/node#58200, not from Node 20). It
 * skips an fd that was closed ("Program closed file descriptor"), so at exit the stdio fds that
 * were terminals and no longer answer as one are closed.
 */
import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';

const STDIO = [0, 1, 2] as const;
const wasTerminal = STDIO.map((fd) => isatty(fd));

/** A write to a terminal that went away. */
export function isHungUpTerminal(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EIO';
}

/** Closes the stdio fds that were terminals at start and hung up since (isatty fails on them with EIO). */
export function releaseHungUpStdio(): void {
  for (const fd of STDIO) {
    if (!wasTerminal[fd] || isatty(fd)) continue;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
