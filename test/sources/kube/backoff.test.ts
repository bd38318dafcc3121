/**
 * The reflector's backoff, as client-go builds it (kubernetes/client-go:tools/cache/reflector.go at
 * kubernetes-1.35.0: `wait.NewExponentialBackoffManager(800*time.Millisecond, 30*time.Second,
 * 2*time.Minute, 2.0, 1.0, reflectorClock)`), with the step, cap, jitter and reset rules of
 * kubernetes/apimachinery:pkg/util/wait/backoff.go (`delay`, `getNextBackoff`) and wait.go (`Jitter`).
 */
import { describe, expect, it } from 'vitest';
import {
  Backoff,
  backoffBase,
  backoffDelay,
  CLIENT_GO_BACKOFF,
  DEFAULT_BACKOFF_RESET_MS,
} from '../../../src/sources/kube/backoff.js';

function manualClock(random: number): { now(): Date; random(): number; advance(ms: number): void } {
  let t = Date.parse('2026-11-22T10:00:00Z');
  return { now: () => new Date(t), random: () => random, advance: (ms) => (t += ms) };
}

describe('client-go reflector backoff', () => {
  it('uses the reflector defaults: 800 ms, 30 s cap, reset after 2 min', () => {
    expect(CLIENT_GO_BACKOFF).toEqual({ backoffInitialMs: 800, backoffMaxMs: 30_000 });
    expect(DEFAULT_BACKOFF_RESET_MS).toBe(120_000);
  });

  it('doubles the base from 800 ms until the 30 s cap, then stays there', () => {
    const bases = [1, 2, 3, 4, 5, 6, 7, 8, 40].map((a) => backoffBase(a, CLIENT_GO_BACKOFF));
    expect(bases).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
  });

  it('adds jitter in [0, base): each sleep is in [base, 2 base), capped ones in [30 s, 60 s)', () => {
    expect(backoffDelay(1, CLIENT_GO_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(1, CLIENT_GO_BACKOFF, () => 0.999_999)).toBe(1599);
    expect(backoffDelay(1, CLIENT_GO_BACKOFF, () => 0.5)).toBe(1200);
    expect(backoffDelay(9, CLIENT_GO_BACKOFF, () => 0)).toBe(30_000);
    expect(backoffDelay(9, CLIENT_GO_BACKOFF, () => 0.999_999)).toBe(59_999);
  });

  it('keeps growing while delays are asked for within 2 min of each other', () => {
    const clock = manualClock(0);
    const b = new Backoff(CLIENT_GO_BACKOFF, clock);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const d = b.next();
      seen.push(d);
      clock.advance(d + 1000); // a watch that lived one second, then ended
    }
    expect(seen).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('restarts at 800 ms when no delay was asked for more than 2 min, not at exactly 2 min', () => {
    const clock = manualClock(0);
    const b = new Backoff(CLIENT_GO_BACKOFF, clock);
    b.next();
    b.next();
    clock.advance(DEFAULT_BACKOFF_RESET_MS);
    expect(b.next()).toBe(3200); // `>` in getNextBackoff: 2 min exactly is not quiet enough
    clock.advance(DEFAULT_BACKOFF_RESET_MS + 1);
    expect(b.next()).toBe(800);
    expect(b.next()).toBe(1600);
  });
});
