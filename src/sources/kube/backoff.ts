/**
 * Exponential backoff with jitter, reset after a quiet period, as client-go's reflector does it:
 * `wait.NewExponentialBackoffManager(800*time.Millisecond, 30*time.Second, 2*time.Minute, 2.0, 1.0, clock)`
 * (kubernetes/client-go:tools/cache/reflector.go at kubernetes-1.35.0; the constants
 * defaultBackoffInit, defaultBackoffMax, defaultBackoffReset, defaultBackoffFactor and
 * defaultBackoffJitter name the same numbers at kubernetes-1.36).
 * - The base duration starts at `initial` and doubles per step until it reaches `max`
 *   (kubernetes/apimachinery:pkg/util/wait/backoff.go, `delay`: "if cap > 0 && next > cap").
 * - Each sleep is the base plus jitter uniform in [0, 1.0 * base) (pkg/util/wait/wait.go, `Jitter`:
 *   "a time.Duration between duration and duration + maxFactor * duration"), so it is in
 *   [base, 2 base): the first in [800 ms, 1.6 s), the capped ones in [30 s, 60 s) ("backoff will stop
 *   at [30,60) sec interval", reflector.go).
 * - The steps restart when the previous sleep was asked for more than `reset` ago
 *   (backoff.go at kubernetes-1.35.0, exponentialBackoffManagerImpl.getNextBackoff:
 *   `if b.clock.Now().Sub(b.lastBackoffStart) > b.backoffResetDuration`). A stream that delivered a
 *   line does not reset it: a server that ends every watch after one bookmark is still backed off.
 */
export interface BackoffOptions {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

/** client-go's reflector defaults (reflector.go): 800 ms doubling, capped at 30 s. */
export const CLIENT_GO_BACKOFF: BackoffOptions = { backoffInitialMs: 800, backoffMaxMs: 30_000 };

/** client-go's defaultBackoffReset: "If we don't backoff for 2min, assume API server is healthy". */
export const DEFAULT_BACKOFF_RESET_MS = 2 * 60_000;

/** The base of step `attempt` (1-based): min(max, initial * 2^(attempt-1)). */
export function backoffBase(attempt: number, opts: BackoffOptions): number {
  return Math.min(opts.backoffMaxMs, opts.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
}

/** A delay in [d, 2d) with jitter factor 1.0, d = backoffBase(attempt) (wait.Jitter). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  const d = backoffBase(attempt, opts);
  return Math.floor(d + random() * d);
}

export class Backoff {
  private attempt = 0;
  private lastStart: number;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly clock: { now(): Date; random(): number },
    private readonly resetAfterMs = DEFAULT_BACKOFF_RESET_MS,
  ) {
    this.lastStart = clock.now().getTime();
  }

  /** The next delay; the steps restart when the previous one was asked for over `resetAfterMs` ago. */
  next(): number {
    const now = this.clock.now().getTime();
    if (now - this.lastStart > this.resetAfterMs) this.attempt = 0;
    this.lastStart = now;
    this.attempt += 1;
    return backoffDelay(this.attempt, this.opts, this.clock.random);
  }
}
