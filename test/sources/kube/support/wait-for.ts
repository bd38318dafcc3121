/** Retries an assertion until it passes or `timeoutMs` elapses (then rethrows its last error). */
export async function waitFor<T>(assertion: () => T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
