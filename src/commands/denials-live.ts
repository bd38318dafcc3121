/**
 * `denials --logs -` on a live stream (`kubectl logs -f POD | meshdbg denials --logs -`): each new
 * denial is printed as soon as it is seen, like `grep --line-buffered`, not when the input ends;
 * Ctrl-C (or SIGTERM, a hangup) stops reading and prints the summary of what was seen so far.
 */
import type { Correlator, DenialUpdate } from '../correlate/correlator.js';
import type { Denial } from '../correlate/denial.js';
import { SIGNAL_EXIT_CODES, type StopSignal } from './signal-exit.js';

/**
 * A request's lines (RBAC debug lines, local reply, access-log line) are written together: a new
 * denial waits this long for the rest of its lines (which add source, method, path) before printing.
 */
export const SETTLE_MS = 100;

export interface AsSeenPrinter {
  /** the correlator's answer to one event */
  seen(update: DenialUpdate | null): void;
  /** prints every denial still waiting (end of input, signal) */
  flush(): void;
  /** denials printed */
  printed(): number;
}

export function printAsSeen(correlator: Correlator, print: (d: Denial) => void, settleMs = SETTLE_MS): AsSeenPrinter {
  const waiting = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let count = 0;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const key of waiting) {
      const d = correlator.get(key);
      if (d === undefined) continue; // dropped by the correlator's cap before it settled
      count++;
      print(d);
    }
    waiting.clear();
  };
  return {
    seen(update) {
      if (update === null || !update.isNew) return;
      waiting.add(update.key);
      timer ??= setTimeout(flush, settleMs);
    },
    flush,
    printed: () => count,
  };
}

export interface SignalStop {
  /** the signal that stopped the reading, or null */
  signal(): StopSignal | null;
  uninstall(): void;
}

/**
 * The first SIGINT/SIGTERM/SIGHUP calls `stop` (the caller ends its input and prints what it has);
 * a second one exits at once with the signal's code.
 */
export function stopOnSignals(stop: () => void): SignalStop {
  let received: StopSignal | null = null;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((signal) => {
    const handler = (): void => {
      if (received !== null) process.exit(SIGNAL_EXIT_CODES[signal]);
      received = signal;
      stop();
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    signal: () => received,
    uninstall() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
