/**
 * An abortable sleep that resolves at once when the signal is already aborted and removes
 * its abort listener when the timer fires (so long-lived signals collect no listeners:
 * no MaxListenersExceededWarning, and quit never waits on an aborted sleep).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
