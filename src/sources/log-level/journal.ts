/**
 * A small journal of raised log levels in the user's cache directory, so the next start
 * can offer to restore what a crash left raised. One file per pod, each written atomically
 * (temp file + rename), so two meshdbg processes never lose each other's entries.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { isEnvoyLogLevel } from '../../parsers/envoy-logging.js';
import { MeshdbgError } from '../../util/errors.js';

export interface JournalEntry {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  /** `<pod uid>/<proxy restarts>` when raised; `?/?` when the pod could not be read then (checked at restore). */
  readonly proxyIdentity: string | null;
  /** Levels read before the change, for the loggers that were changed. */
  readonly before: LoggerLevels;
  readonly raisedAt: string;
  readonly expiresAt: string;
  /** The meshdbg process that made the change; its entries are not leftovers while it runs. */
  readonly ownerPid?: number;
}

export interface EntryKey {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
}

export interface LogLevelJournal {
  /** The journal directory. */
  readonly path: string;
  /** Every entry; throws a MeshdbgError (exit 3) naming the file when one is unreadable. */
  entries(): JournalEntry[];
  /** Writes (or replaces) the entry of its pod, atomically. */
  put(entry: JournalEntry): void;
  remove(key: EntryKey): void;
}

/** The journal could not be read: a clear message and exit 3, never an internal error. */
export function journalError(message: string, cause?: unknown): MeshdbgError {
  return new MeshdbgError('log-level-journal', message, {
    exitCode: 3,
    hint: 'restore the proxy log levels by hand (istioctl proxy-config log POD.NS --level ...) and delete the file',
    cause,
  });
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

function fileName(key: EntryKey): string {
  const hash = createHash('sha256').update(`${key.context}\0${key.namespace}\0${key.pod}`).digest('hex');
  return `${hash.slice(0, 32)}.json`;
}

function readEntry(file: string): JournalEntry | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // removed by another process meanwhile
    throw journalError(`cannot read the log-level journal entry ${file}: ${(err as Error).message}`, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw journalError(`the log-level journal entry ${file} is not JSON`, err);
  }
  if (!isEntry(parsed)) throw journalError(`the log-level journal entry ${file} is not a meshdbg journal entry`);
  return parsed;
}

/** A journal directory (one JSON file per pod); a missing directory is empty. */
export function fileJournal(path: string): LogLevelJournal {
  return {
    path,
    entries() {
      let names: string[];
      try {
        names = readdirSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw journalError(`cannot read the log-level journal ${path}: ${(err as Error).message}`, err);
      }
      return names
        .filter((n) => n.endsWith('.json'))
        .sort()
        .map((n) => readEntry(join(path, n)))
        .filter((e): e is JournalEntry => e !== null)
        .sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.pod < b.pod ? -1 : 1));
    },
    put(entry) {
      mkdirSync(path, { recursive: true, mode: 0o700 });
      const file = join(path, fileName(entry));
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 2, ...entry }, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file);
    },
    remove(key) {
      rmSync(join(path, fileName(key)), { force: true });
    },
  };
}

export function defaultJournal(env: Readonly<Record<string, string | undefined>> = process.env): LogLevelJournal {
  return fileJournal(join(cacheDir(env, process.platform), 'log-levels'));
}
