/**
 * Quitting the TUI restores the log levels this run raised, within a time bound; a restore that
 * fails is reported on stderr (the entry stays journalled and the next start offers it), never
 * dropped silently (issue 17, "the log-level guarantee").
 */
import type { LevelChangeResult } from '../sources/log-level/manager.js';
import { SIGNAL_EXIT_CODES } from './signal-exit.js';

/** How long quitting waits for restores before leaving them to the journal (issue 17: quit under 2 s). */
export const RESTORE_ON_QUIT_MS = 1500;

/**
 * After a hangup nobody waits at the terminal for the process to end, so restores get longer
 * before they are left to the journal: a closed laptop lid or a dropped ssh link on a loaded
 * machine should not leave a proxy at debug until the next start.
 */
export const RESTORE_ON_HANGUP_MS = 10_000;

/** The restore bound for a TUI that ended with `exitCode` (129: a hangup, SIGHUP or EIO). */
export function restoreBoundMs(exitCode: number): number {
  return exitCode === SIGNAL_EXIT_CODES.SIGHUP ? RESTORE_ON_HANGUP_MS : RESTORE_ON_QUIT_MS;
}

/** The signals that end the TUI (src/commands/tui.tsx) and, unheld, would end the process. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Holds off the default action of SIGINT, SIGTERM and SIGHUP (ending the process) until the
 * returned release is called. The TUI's own handlers end the TUI on the first signal and are
 * gone once it has ended; the restore that follows is bounded (restoreBoundMs), so a second
 * signal must not cut it short and leave a proxy at debug. A closed terminal sends more than one:
 * the EIO of the next frame ends the TUI, then the shell forwards its SIGHUP during the restore.
 * Installed before the TUI starts, so there is no moment without a listener.
 */
export function holdStopSignals(): () => void {
  const hold = (): void => {
    // the restore is running and bounded; the process ends when it is done
  };
  for (const signal of STOP_SIGNALS) process.on(signal, hold);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, hold);
  };
}

/** The part of LogLevelManager that quitting uses. */
export interface QuitRestorable {
  restore(pods: undefined, signal: AbortSignal): Promise<LevelChangeResult>;
  dispose(): void;
}

/** Restores within `timeoutMs`; writes one line per failure; returns the failures. */
export async function restoreOnQuit(
  levels: QuitRestorable | null,
  write: (text: string) => void,
  timeoutMs = RESTORE_ON_QUIT_MS,
): Promise<readonly string[]> {
  if (!levels) return [];
  const result = await levels
    .restore(undefined, AbortSignal.timeout(timeoutMs))
    .catch((err: unknown) => ({ errors: [(err as Error).message] }));
  levels.dispose();
  for (const error of result.errors)
    write(`meshdbg: log level not restored: ${error}; the next meshdbg start offers to restore it\n`);
  return result.errors;
}
