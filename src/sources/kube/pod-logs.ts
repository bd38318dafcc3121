/**
 * Follows a container's log (istio-proxy by default; a native sidecar in initContainers
 * is followed the same way) with timestamps=true. After a dropped stream it resumes from
 * the last timestamp seen; sinceTime has one-second precision, so lines already seen in
 * that second are dropped. After a container restart the end of the previous container's
 * log is read first (previous=true). Memory is bounded: the stream is pulled line by line
 * and each line is capped.
 */
import type { KubeHttp } from './http.js';
import { KubeHttpError } from './http.js';
import type { PodRef } from '../envoy-admin/proxy-control.js';
import { Backoff, CLIENT_GO_BACKOFF } from './backoff.js';
import type { ReflectorClock } from './reflector.js';

export interface PodLogLine {
  readonly pod: PodRef;
  readonly container: string;
  /** RFC3339 with fractional seconds, as the kubelet stamps it. */
  readonly time: string;
  readonly text: string;
  readonly previous: boolean;
}

export interface FollowLogsOptions {
  readonly http: KubeHttp;
  readonly pod: PodRef;
  readonly container?: string;
  readonly signal: AbortSignal;
  readonly clock: ReflectorClock;
  /** Lines before now to start with (kubectl logs --tail); ignored when sinceTime is set. */
  readonly tailLines?: number;
  readonly sinceTime?: string;
  readonly maxLineChars?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  /** Told when the stream drops and when it resumes (for a status line). */
  readonly onStatus?: (status: { connected: boolean; message: string }) => void;
}

const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?(.*)$/s;

/** Splits `2026-01-01T10:00:00.123456789Z text`; lines without a timestamp get null. */
export function splitTimestamp(line: string): { time: string; text: string } | null {
  const m = TIMESTAMPED.exec(line);
  return m ? { time: m[1] ?? '', text: m[2] ?? '' } : null;
}

/** Compares kubelet timestamps numerically (fraction lengths may differ). */
export function compareTimes(a: string, b: string): number {
  const [sa = '', fa = ''] = a.replace(/Z$/, '').split('.');
  const [sb = '', fb = ''] = b.replace(/Z$/, '').split('.');
  if (sa !== sb) return sa < sb ? -1 : 1;
  const width = Math.max(fa.length, fb.length);
  const na = fa.padEnd(width, '0');
  const nb = fb.padEnd(width, '0');
  return na === nb ? 0 : na < nb ? -1 : 1;
}

/** The whole second a timestamp falls in, as sinceTime wants it. */
export function toSinceTime(time: string): string {
  return `${time.replace(/Z$/, '').split('.')[0] ?? ''}Z`;
}

/**
 * Remembers the last timestamp and how many times each text was seen at exactly that
 * instant, so a replay of the same second (sinceTime precision) drops what was seen.
 */
export class ResumePoint {
  private last: string | null = null;
  private seenAtLast = new Map<string, number>();
  private replay = new Map<string, number>();
  private readonly initialSince: string | null;

  constructor(since: string | null) {
    this.initialSince = since ? toSinceTime(since) : null;
  }

  get sinceTime(): string | null {
    return this.last ? toSinceTime(this.last) : this.initialSince;
  }

  /** Call before each new request: lines at the last instant may come again once. */
  startReplay(): void {
    this.replay = new Map(this.seenAtLast);
  }

  /** True when the line is new (and records it). */
  accept(time: string, text: string): boolean {
    if (this.last !== null) {
      const order = compareTimes(time, this.last);
      if (order < 0) return false;
      if (order === 0) {
        const pending = this.replay.get(text) ?? 0;
        if (pending > 0) {
          this.replay.set(text, pending - 1);
          return false;
        }
        this.seenAtLast.set(text, (this.seenAtLast.get(text) ?? 0) + 1);
        return true;
      }
    }
    this.last = time;
    this.seenAtLast = new Map([[text, 1]]);
    this.replay.clear();
    return true;
  }
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
}

async function restartCount(
  http: KubeHttp,
  pod: PodRef,
  container: string,
  signal: AbortSignal,
): Promise<number | null> {
  try {
    const obj = await http.getJson<{
      status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
    }>(`/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`, { signal });
    const all = [...(obj.status?.containerStatuses ?? []), ...(obj.status?.initContainerStatuses ?? [])];
    return all.find((c) => c.name === container)?.restartCount ?? null;
  } catch {
    return null;
  }
}

function logPath(pod: PodRef, query: Record<string, string>): string {
  const q = new URLSearchParams({ ...query, timestamps: 'true' });
  return `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/log?${q.toString()}`;
}

/** Yields new lines until `signal` aborts; reconnects with backoff, never duplicating a line. */
export async function* followPodLogs(opts: FollowLogsOptions): AsyncGenerator<PodLogLine, void, undefined> {
  const container = opts.container ?? 'istio-proxy';
  const resume = new ResumePoint(opts.sinceTime ?? null);
  // streams that open and end at once (a stopped container, a proxy cutting them) are
  // backed off: the backoff resets only after a quiet period, never because a stream opened
  const backoff = new Backoff(
    {
      backoffInitialMs: opts.backoffInitialMs ?? CLIENT_GO_BACKOFF.backoffInitialMs,
      backoffMaxMs: opts.backoffMaxMs ?? CLIENT_GO_BACKOFF.backoffMaxMs,
    },
    opts.clock,
  );
  let lost = false;
  let restarts = await restartCount(opts.http, opts.pod, container, opts.signal);
  let first = true;

  async function* read(query: Record<string, string>, previous: boolean): AsyncGenerator<PodLogLine> {
    resume.startReplay();
    const lines = opts.http.streamLines(logPath(opts.pod, query), {
      signal: opts.signal,
      maxLineChars: opts.maxLineChars,
      onOpen: () => {
        if (lost) opts.onStatus?.({ connected: true, message: `log stream of ${opts.pod.name} resumed` });
        lost = false;
      },
    });
    for await (const raw of lines) {
      const parts = splitTimestamp(raw);
      if (!parts || !resume.accept(parts.time, parts.text)) continue;
      yield { pod: opts.pod, container, time: parts.time, text: parts.text, previous };
    }
  }

  /** The end of the terminated container's log; if the kubelet no longer has it, say so and go on. */
  async function* readPrevious(since: string): AsyncGenerator<PodLogLine> {
    try {
      yield* read({ container, previous: 'true', sinceTime: since }, true);
    } catch (err) {
      if (opts.signal.aborted) return;
      opts.onStatus?.({
        connected: false,
        message: `${opts.pod.name} restarted; the end of its previous log is unavailable: ${(err as Error).message}`,
      });
    }
  }

  while (!opts.signal.aborted) {
    const since = resume.sinceTime;
    const query: Record<string, string> = { container, follow: 'true' };
    if (since) query['sinceTime'] = since;
    else if (first && opts.tailLines !== undefined) query['tailLines'] = String(opts.tailLines);
    try {
      if (!first) {
        const now = await restartCount(opts.http, opts.pod, container, opts.signal);
        const restarted = now !== null && restarts !== null && now > restarts;
        restarts = now ?? restarts;
        if (restarted && since) yield* readPrevious(since);
      }
      first = false;
      yield* read(query, false);
      // the kubelet ended the stream (container stopped): wait a little before asking again
      if (!opts.signal.aborted) await opts.clock.sleep(backoff.next(), opts.signal);
    } catch (err) {
      if (opts.signal.aborted) return;
      if (err instanceof KubeHttpError && (err.status === 404 || err.status === 403)) throw err;
      lost = true;
      opts.onStatus?.({ connected: false, message: `log stream of ${opts.pod.name} lost: ${(err as Error).message}` });
      await opts.clock.sleep(backoff.next(), opts.signal);
    }
  }
}
