/**
 * Follows several pods' logs at once (the pods the user is looking at, or the CNI agents)
 * into one stream. The queue between the followers and the reader is bounded: when the
 * reader falls behind, the oldest lines are dropped and the count is reported.
 */
import type { PodRef } from '../envoy-admin/proxy-control.js';
import type { KubeHttp } from './http.js';
import { followPodLogs } from './pod-logs.js';
import type { PodLogLine } from './pod-logs.js';
import type { ReflectorClock } from './reflector.js';

export interface FollowTarget {
  readonly pod: PodRef;
  readonly container: string;
}

export type FollowItem =
  | { readonly kind: 'line'; readonly line: PodLogLine }
  | { readonly kind: 'dropped'; readonly count: number }
  | { readonly kind: 'status'; readonly pod: PodRef; readonly connected: boolean; readonly message: string };

export interface FollowPodsOptions {
  readonly http: KubeHttp;
  readonly targets: readonly FollowTarget[];
  readonly signal: AbortSignal;
  readonly clock: ReflectorClock;
  readonly maxQueued: number;
  readonly tailLines?: number;
  readonly maxLineChars?: number;
}

/** FIFO of follow items holding at most `max` lines; the oldest lines give way. */
export class BoundedQueue {
  private readonly items: FollowItem[] = [];
  private dropped = 0;
  private lines = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly max: number) {}

  push(item: FollowItem): void {
    if (item.kind === 'line') {
      if (this.lines >= this.max) {
        this.items.splice(
          this.items.findIndex((i) => i.kind === 'line'),
          1,
        );
        this.lines -= 1;
        this.dropped += 1;
      }
      this.lines += 1;
    }
    this.items.push(item);
    this.wake?.();
  }

  async next(signal: AbortSignal): Promise<FollowItem | null> {
    while (this.items.length === 0 && this.dropped === 0) {
      if (signal.aborted) return null;
      // the listener is removed after each wait: a long-lived signal must not collect one per line
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.wake = null;
    }
    if (this.dropped > 0) {
      const count = this.dropped;
      this.dropped = 0;
      return { kind: 'dropped', count };
    }
    const item = this.items.shift() ?? null;
    if (item?.kind === 'line') this.lines -= 1;
    return item;
  }
}

/** One merged stream of lines (in arrival order) plus drop notices and per-pod status. */
export async function* followPods(opts: FollowPodsOptions): AsyncGenerator<FollowItem, void, undefined> {
  const queue = new BoundedQueue(opts.maxQueued);
  for (const target of opts.targets) {
    const status = (connected: boolean, message: string): void =>
      queue.push({ kind: 'status', pod: target.pod, connected, message });
    void (async () => {
      try {
        for await (const line of followPodLogs({
          http: opts.http,
          pod: target.pod,
          container: target.container,
          signal: opts.signal,
          clock: opts.clock,
          tailLines: opts.tailLines,
          maxLineChars: opts.maxLineChars,
          onStatus: (s) => status(s.connected, s.message),
        })) {
          queue.push({ kind: 'line', line });
        }
      } catch (err) {
        status(false, `stopped following ${target.pod.name}: ${(err as Error).message}`);
      }
    })();
  }
  for (;;) {
    const item = await queue.next(opts.signal);
    if (item === null) return;
    yield item;
  }
}
