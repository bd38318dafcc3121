/** Appends to a bounded list, dropping the oldest entries past `capacity` (immutable). */
export function appendBounded<T>(items: readonly T[], added: readonly T[], capacity: number): readonly T[] {
  if (added.length === 0) return items;
  const all = items.concat(added);
  return all.length > capacity ? all.slice(all.length - capacity) : all;
}
