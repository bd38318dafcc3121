/**
 * Exponential backoff with jitter that is reset only after a quiet period, as client-go's
 * reflector does (kubernetes/client-go:tools/cache/reflector.go: defaultBackoffInit 800ms,
 * defaultBackoffMax 30s, "If we don't backoff for 2min, assume API server is healthy and we
 * reset the backoff" — defaultBackoffReset). A stream that delivered a line does not reset
 * it: a server that ends every watch after one bookmark is still backed off.
 */
export interface BackoffOptions {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

/** A delay in [d/2, d], d = min(max, initial * 2^(attempt-1)). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  const d = Math.min(opts.backoffMaxMs, opts.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + (random() * d) / 2);
}

export const DEFAULT_BACKOFF_RESET_MS = 2 * 60_000;

export class Backoff {
  private attempt = 0;
  private quietFrom: number | null = null;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly clock: { now(): Date; random(): number },
    private readonly resetAfterMs = DEFAULT_BACKOFF_RESET_MS,
  ) {}

  /** The next delay; the attempt count restarts when no delay was asked for `resetAfterMs`. */
  next(): number {
    const now = this.clock.now().getTime();
    if (this.quietFrom !== null && now - this.quietFrom > this.resetAfterMs) this.attempt = 0;
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.opts, this.clock.random);
    this.quietFrom = now + delay;
    return delay;
  }
}
