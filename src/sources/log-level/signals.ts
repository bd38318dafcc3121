/**
 * Restores raised log levels when the process is asked to stop (Ctrl-C, SIGTERM), then
 * exits with the conventional code (130 / 143).
 */
import type { LevelChangeResult, LogLevelManager } from './manager.js';

export interface SignalTarget {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Installs the handlers; returns the uninstall function. `exit` receives the exit code. */
export function restoreOnSignals(
  manager: LogLevelManager,
  target: SignalTarget,
  exit: (code: number, result: LevelChangeResult | null) => void,
): () => void {
  let running = false;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = (): void => {
      if (running) return exit(EXIT_CODES[signal], null); // a second Ctrl-C leaves at once
      running = true;
      void manager.restore().then(
        (result) => exit(EXIT_CODES[signal], result),
        () => exit(EXIT_CODES[signal], null),
      );
    };
    target.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) target.off(signal, handler);
  };
}
