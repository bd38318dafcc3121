/**
 * Appends without a spread: `into.push(...items)` passes every item as an argument, and a big
 * array (150k findings, 200k objects) overflows the stack (RangeError, exit 70). Issue 17.
 */
export function appendAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
