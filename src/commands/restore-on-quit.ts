/**
 * Quitting the TUI restores the log levels this run raised, within a time bound; a restore that
 * fails is reported on stderr (the entry stays journalled and the next start offers it), never
 * dropped silently (issue 17, "the log-level guarantee").
 */
import type { LevelChangeResult } from '../sources/log-level/manager.js';

/** How long quitting waits for restores before leaving them to the journal. */
export const RESTORE_ON_QUIT_MS = 1500;

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
