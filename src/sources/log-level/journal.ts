/**
 * A small journal of raised log levels in the user's cache directory, so the next start
 * can offer to restore what a crash left raised. Written atomically (temp file + rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { isEnvoyLogLevel } from '../../parsers/envoy-logging.js';

export interface JournalEntry {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  /** Pod uid and proxy restart count when raised; a different value means the proxy restarted. */
  readonly proxyIdentity: string | null;
  /** Levels read before the change, for the loggers that were changed. */
  readonly before: LoggerLevels;
  readonly raisedAt: string;
  readonly expiresAt: string;
  /** The meshdbg process that made the change; its entries are not leftovers while it runs. */
  readonly ownerPid?: number;
}

export interface LogLevelJournal {
  readonly path: string;
  entries(): JournalEntry[];
  replace(entries: readonly JournalEntry[]): void;
}

/** True when a process with this pid exists (signal 0 probes without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `$XDG_CACHE_HOME/meshdbg`, `~/Library/Caches/meshdbg` on macOS, else `~/.cache/meshdbg`. */
export function cacheDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  home = homedir(),
): string {
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'meshdbg');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'meshdbg');
  if (platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'meshdbg', 'cache');
  return join(home, '.cache', 'meshdbg');
}

function isEntry(value: unknown): value is JournalEntry {
  const e = value as Partial<JournalEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.context === 'string' &&
    typeof e.namespace === 'string' &&
    typeof e.pod === 'string' &&
    typeof e.raisedAt === 'string' &&
    typeof e.expiresAt === 'string' &&
    typeof e.before === 'object' &&
    e.before !== null &&
    Object.values(e.before).every((l) => typeof l === 'string' && isEnvoyLogLevel(l))
  );
}

/** A journal file; a missing file is empty, an unreadable one throws with its path. */
export function fileJournal(path: string): LogLevelJournal {
  return {
    path,
    entries() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new Error(`cannot read the log-level journal ${path}: ${(err as Error).message}`, { cause: err });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`the log-level journal ${path} is not JSON; delete it after restoring levels by hand`);
      }
      const list = (parsed as { entries?: unknown }).entries;
      return Array.isArray(list) ? list.filter(isEntry) : [];
    },
    replace(entries) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

export function defaultJournal(env: Readonly<Record<string, string | undefined>> = process.env): LogLevelJournal {
  return fileJournal(join(cacheDir(env, process.platform), 'log-levels.json'));
}
