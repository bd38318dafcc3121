/** Retries an assertion until it passes or `timeoutMs` runs out (no fixed sleeps in tests). */
export async function waitFor<T>(assertion: () => T, timeoutMs = 3000, intervalMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return assertion();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
