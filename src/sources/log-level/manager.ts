/**
 * Changing proxy log levels, the only write meshdbg makes: confirmed first; the levels
 * read before the change are kept per pod (in memory and in the crash journal) and put
 * back after the time limit, on quit, on Ctrl-C/SIGTERM, or on the next start. Pods whose
 * proxy restarted since are skipped (a new Envoy already runs with its default levels).
 */
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { MeshdbgError } from '../../util/errors.js';
import { podLabel } from '../envoy-admin/proxy-control.js';
import type { PodRef, ProxyControl } from '../envoy-admin/proxy-control.js';
import type { ProxyIdentityReader } from '../kube/proxy-identity.js';
import { processAlive } from './journal.js';
import type { JournalEntry, LogLevelJournal } from './journal.js';

export interface ManagerClock {
  now(): number;
  /** Schedules fn after ms; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export interface LogLevelManagerOptions {
  readonly control: ProxyControl;
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
        errors.push(`${podLabel(pod)}: ${err instanceof MeshdbgError ? err.userMessage : (err as Error).message}`);
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
    const now = this.clock.now();
    const entry: JournalEntry = {
      context: this.opts.context,
      namespace: pod.namespace,
      pod: pod.name,
      proxyIdentity: await this.opts.proxyIdentity(pod),
      ownerPid: this.opts.pid ?? process.pid,
      before,
      raisedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.opts.ttlMs).toISOString(),
    };
    this.writeEntry(entry);
    try {
      await this.opts.control.setLogLevels(pod, levels);
    } catch (err) {
      if (!existing) this.dropEntries(new Set([this.key(pod)])); // nothing was changed: nothing to restore
      throw err;
    }
    this.timers.get(this.key(pod))?.();
    this.timers.set(
      this.key(pod),
      this.clock.setTimer(() => void this.restore([pod]), this.opts.ttlMs),
    );
  }

  private writeEntry(entry: JournalEntry): void {
    const others = this.opts.journal.entries().filter((e) => this.entryKey(e) !== this.entryKey(entry));
    this.opts.journal.replace([...others, entry]);
  }

  private dropEntries(keys: ReadonlySet<string>): void {
    this.opts.journal.replace(this.opts.journal.entries().filter((e) => !keys.has(this.entryKey(e))));
  }

  /** Puts back the levels read before the change; pods whose proxy restarted are skipped. */
  /** Without `pods`: every change this process made (quit, signal, time limit). */
  async restore(pods?: readonly PodRef[]): Promise<LevelChangeResult> {
    const wanted = pods ? new Set(pods.map((p) => this.key(p))) : null;
    const mine = (e: JournalEntry): boolean =>
      e.ownerPid === undefined || e.ownerPid === (this.opts.pid ?? process.pid);
    const entries = this.opts.journal
      .entries()
      .filter((e) => e.context === this.opts.context && (wanted === null ? mine(e) : wanted.has(this.entryKey(e))));
    return this.restoreEntries(entries);
  }

  /** Restores what earlier runs left raised (after the user agreed to the offer). */
  restoreLeftovers(): Promise<LevelChangeResult> {
    return this.restoreEntries(this.leftovers());
  }

  private async restoreEntries(entries: readonly JournalEntry[]): Promise<LevelChangeResult> {
    const changed: PodRef[] = [];
    const skipped: { pod: PodRef; reason: string }[] = [];
    const errors: string[] = [];
    const done = new Set<string>();
    for (const entry of entries) {
      const pod = { namespace: entry.namespace, name: entry.pod };
      this.timers.get(this.entryKey(entry))?.();
      this.timers.delete(this.entryKey(entry));
      const identity = await this.opts.proxyIdentity(pod);
      if (identity === null || identity !== entry.proxyIdentity) {
        skipped.push({
          pod,
          reason: identity === null ? 'pod is gone' : 'proxy restarted (already at its default levels)',
        });
        done.add(this.entryKey(entry));
        continue;
      }
      try {
        const after = await this.opts.control.setLogLevels(pod, entry.before);
        if (!sameLevels(entry.before, after)) throw new Error(`levels after restore are ${JSON.stringify(after)}`);
        changed.push(pod);
        done.add(this.entryKey(entry));
      } catch (err) {
        errors.push(`${podLabel(pod)}: ${err instanceof MeshdbgError ? err.userMessage : (err as Error).message}`);
      }
    }
    this.dropEntries(done);
    return { changed, skipped, errors };
  }

  /** Cancels the timers (e.g. on exit after restore). */
  dispose(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}
