/**
 * Changing proxy log levels, the only write meshdbg makes: confirmed first; the levels
 * read before the change are kept per pod (in memory and in the crash journal) and put
 * back after the time limit, on quit, on Ctrl-C/SIGTERM/SIGHUP, or on the next start.
 * A journal entry is dropped only when the level was verified restored, or the pod is gone
 * (404, or a new pod uid); any API error keeps it, to be retried.
 */
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { MeshdbgError } from '../../util/errors.js';
import { podLabel } from '../envoy-admin/proxy-control.js';
import type { LogLevelControl, PodRef } from '../envoy-admin/proxy-control.js';
import { UNKNOWN_IDENTITY, uidOfIdentity } from '../kube/proxy-identity.js';
import type { ProxyIdentityReader } from '../kube/proxy-identity.js';
import { processAlive } from './journal.js';
import type { JournalEntry, LogLevelJournal } from './journal.js';

/** A restore that failed (API trouble) is tried again after this long, while the process runs. */
export const RESTORE_RETRY_MS = 30_000;

export interface ManagerClock {
  now(): number;
  /** Schedules fn after ms; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export interface LogLevelManagerOptions {
  readonly control: LogLevelControl;
  readonly journal: LogLevelJournal;
  readonly proxyIdentity: ProxyIdentityReader;
  readonly context: string;
  readonly ttlMs: number;
  readonly readonly: boolean;
  readonly clock?: ManagerClock;
  /** This process and a liveness probe for others (entries of a running meshdbg are not leftovers). */
  readonly pid?: number;
  readonly isAlive?: (pid: number) => boolean;
}

export interface LevelChangeResult {
  readonly changed: readonly PodRef[];
  readonly skipped: readonly { pod: PodRef; reason: string }[];
  readonly errors: readonly string[];
}

const realClock: ManagerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

function sameLevels(a: LoggerLevels, b: LoggerLevels): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === v);
}

/** The levels Envoy should report after `levels` was applied (`level` sets every logger). */
function expectedAfter(levels: LoggerLevels, before: LoggerLevels): LoggerLevels {
  const all = levels['level'];
  const rest = Object.fromEntries(Object.entries(levels).filter(([k]) => k !== 'level'));
  return all === undefined ? rest : { ...Object.fromEntries(Object.keys(before).map((k) => [k, all])), ...rest };
}

function messageOf(err: unknown): string {
  return err instanceof MeshdbgError ? err.userMessage : (err as Error).message;
}

export class LogLevelManager {
  private readonly clock: ManagerClock;
  private readonly timers = new Map<string, () => void>();

  constructor(private readonly opts: LogLevelManagerOptions) {
    this.clock = opts.clock ?? realClock;
  }

  private key(pod: PodRef): string {
    return `${this.opts.context}/${pod.namespace}/${pod.name}`;
  }

  private entryKey(e: JournalEntry): string {
    return `${e.context}/${e.namespace}/${e.pod}`;
  }

  /** Entries for this context left by a run that ended without restoring (crash, kill -9). */
  leftovers(): JournalEntry[] {
    const active = new Set(this.timers.keys());
    const pid = this.opts.pid ?? process.pid;
    const alive = this.opts.isAlive ?? processAlive;
    return this.opts.journal.entries().filter((e) => {
      if (e.context !== this.opts.context || active.has(this.entryKey(e))) return false;
      return e.ownerPid === undefined || e.ownerPid === pid || !alive(e.ownerPid);
    });
  }

  /** What raise() would do, for the confirmation prompt. */
  describe(pods: readonly PodRef[], levels: LoggerLevels): string {
    const loggers = Object.entries(levels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `set ${loggers} on ${pods.length} pod${pods.length === 1 ? '' : 's'} for ${Math.round(this.opts.ttlMs / 60_000)} min (restored afterwards)`;
  }

  /** Reads, journals and changes the levels of each pod after `confirm` agrees. */
  async raise(
    pods: readonly PodRef[],
    levels: LoggerLevels,
    confirm: (summary: string) => Promise<boolean>,
  ): Promise<LevelChangeResult> {
    if (this.opts.readonly) {
      throw new MeshdbgError('readonly', 'log levels are not changed in --readonly mode', {
        hint: 'run without --readonly to allow this one write',
      });
    }
    if (!(await confirm(this.describe(pods, levels))))
      return { changed: [], skipped: pods.map((pod) => ({ pod, reason: 'not confirmed' })), errors: [] };
    const changed: PodRef[] = [];
    const errors: string[] = [];
    for (const pod of pods) {
      try {
        await this.raiseOne(pod, levels);
        changed.push(pod);
      } catch (err) {
        errors.push(`${podLabel(pod)}: ${messageOf(err)}`);
      }
    }
    return { changed, skipped: [], errors };
  }

  private async raiseOne(pod: PodRef, levels: LoggerLevels): Promise<void> {
    const current = await this.opts.control.getLogLevels(pod);
    const existing = this.opts.journal.entries().find((e) => this.entryKey(e) === this.key(pod));
    // raising twice keeps the levels from before the first raise
    const picked = Object.fromEntries(Object.keys(levels).map((k) => [k, current[k] ?? 'warning']));
    const before = existing?.before ?? (levels['level'] ? { ...current } : picked);
    const identity = await this.opts.proxyIdentity(pod);
    if (identity.state === 'gone') throw new Error('the pod is gone');
    const now = this.clock.now();
    this.opts.journal.put({
      context: this.opts.context,
      namespace: pod.namespace,
      pod: pod.name,
      // an unreadable pod is journalled as unknown and checked again at restore, never left out
      proxyIdentity: identity.state === 'found' ? identity.id : (existing?.proxyIdentity ?? UNKNOWN_IDENTITY),
      ownerPid: this.opts.pid ?? process.pid,
      before,
      raisedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.opts.ttlMs).toISOString(),
    });
    try {
      await this.opts.control.setLogLevels(pod, levels);
    } catch (err) {
      if (!(await this.settleFailedWrite(pod, levels, before, existing !== undefined))) throw err;
    }
    this.schedule(pod, this.opts.ttlMs);
  }

  /**
   * The write failed or answered late: read what Envoy has now. Applied in full: it counts
   * as applied (true). Applied in part (a second logger refused): the changed loggers are
   * restored. Unreadable: the entry stays, to be restored later.
   */
  private async settleFailedWrite(
    pod: PodRef,
    levels: LoggerLevels,
    before: LoggerLevels,
    raisedBefore: boolean,
  ): Promise<boolean> {
    const now = await this.opts.control.getLogLevels(pod).catch(() => null);
    if (now === null) {
      this.schedule(pod, RESTORE_RETRY_MS);
      return false;
    }
    if (sameLevels(expectedAfter(levels, before), now)) return true;
    const changed = Object.keys(before).filter((k) => now[k] !== undefined && now[k] !== before[k]);
    if (changed.length > 0 && !raisedBefore) {
      const undo = Object.fromEntries(changed.map((k) => [k, before[k] ?? 'warning']));
      const after = await this.opts.control.setLogLevels(pod, undo).catch(() => null);
      if (after === null || !sameLevels(undo, after)) {
        this.schedule(pod, RESTORE_RETRY_MS);
        return false;
      }
    }
    if (!raisedBefore) this.opts.journal.remove(this.entryRef(pod)); // nothing left changed
    return false;
  }

  private entryRef(pod: PodRef): { context: string; namespace: string; pod: string } {
    return { context: this.opts.context, namespace: pod.namespace, pod: pod.name };
  }

  private journalOf(pod: PodRef): JournalEntry[] {
    return this.opts.journal.entries().filter((e) => this.entryKey(e) === this.key(pod));
  }

  /** (Re)arms the restore of `pod`: after the time limit, or again after a failed restore. */
  private schedule(pod: PodRef, ms: number): void {
    this.timers.get(this.key(pod))?.();
    this.timers.set(
      this.key(pod),
      this.clock.setTimer(() => void this.restoreOrRetry(pod), ms),
    );
  }

  private async restoreOrRetry(pod: PodRef): Promise<void> {
    this.timers.delete(this.key(pod));
    const result = await this.restore([pod]);
    if (result.errors.length > 0) this.schedule(pod, RESTORE_RETRY_MS);
  }

  /** Puts back the levels read before the change; entries that fail stay in the journal. */
  /** Without `pods`: every change this process made (quit, signal, time limit). */
  async restore(pods?: readonly PodRef[], signal?: AbortSignal): Promise<LevelChangeResult> {
    const wanted = pods ? new Set(pods.map((p) => this.key(p))) : null;
    const mine = (e: JournalEntry): boolean =>
      e.ownerPid === undefined || e.ownerPid === (this.opts.pid ?? process.pid);
    const entries = this.opts.journal
      .entries()
      .filter((e) => e.context === this.opts.context && (wanted === null ? mine(e) : wanted.has(this.entryKey(e))));
    return this.restoreEntries(entries, signal);
  }

  /** Restores what earlier runs left raised (after the user agreed to the offer). */
  restoreLeftovers(signal?: AbortSignal): Promise<LevelChangeResult> {
    return this.restoreEntries(this.leftovers(), signal);
  }

  private async restoreEntries(entries: readonly JournalEntry[], signal?: AbortSignal): Promise<LevelChangeResult> {
    const changed: PodRef[] = [];
    const skipped: { pod: PodRef; reason: string }[] = [];
    const errors: string[] = [];
    for (const entry of entries) {
      const pod = { namespace: entry.namespace, name: entry.pod };
      this.timers.get(this.entryKey(entry))?.();
      this.timers.delete(this.entryKey(entry));
      const outcome = await this.restoreOne(entry, signal);
      if (outcome.kind === 'restored') changed.push(pod);
      else if (outcome.kind === 'gone') skipped.push({ pod, reason: outcome.reason });
      else errors.push(`${podLabel(pod)}: ${outcome.reason} (still raised; kept to restore later)`);
      if (outcome.kind !== 'failed') this.opts.journal.remove(entry);
    }
    return { changed, skipped, errors };
  }

  private async restoreOne(
    entry: JournalEntry,
    signal?: AbortSignal,
  ): Promise<{ kind: 'restored' | 'gone' | 'failed'; reason: string }> {
    const pod = { namespace: entry.namespace, name: entry.pod };
    if (signal?.aborted) return { kind: 'failed', reason: 'no time left to restore' };
    const identity = await this.opts.proxyIdentity(pod, signal);
    if (identity.state === 'gone') return { kind: 'gone', reason: 'pod is gone' };
    if (identity.state === 'unknown') return { kind: 'failed', reason: `cannot read the pod: ${identity.reason}` };
    const uid = uidOfIdentity(entry.proxyIdentity);
    if (uid !== null && uid !== identity.uid) return { kind: 'gone', reason: 'pod was replaced (new uid)' };
    try {
      const after = await this.opts.control.setLogLevels(pod, entry.before, signal);
      if (!sameLevels(entry.before, after)) throw new Error(`levels after restore are ${JSON.stringify(after)}`);
      return { kind: 'restored', reason: '' };
    } catch (err) {
      return { kind: 'failed', reason: messageOf(err) };
    }
  }

  /** Cancels the timers (e.g. on exit after restore). */
  dispose(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}
