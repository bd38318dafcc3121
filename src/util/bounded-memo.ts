/**
 * A pure function of a string, remembered: the inputs policies name are few and asked on every
 * flow. Bounded: past `size` answers it starts over, so a long session whose inputs keep changing
 * does not grow it. Answers are shared between callers, so they must be immutable.
 */
export function boundedMemo<T>(size: number, compute: (key: string) => T): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as T;
    const value = compute(key);
    if (memo.size >= size) memo.clear();
    memo.set(key, value);
    return value;
  };
}
