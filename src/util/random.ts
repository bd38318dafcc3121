/** Seeded randomness (demo traffic, fuzz inputs, synthetic benchmarks): the same seed, the same sequence. */

export interface Random {
  /** [0, 1) */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  /** lower-case letters and digits, as Kubernetes pod-name suffixes */
  suffix(length: number): string;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** mulberry32 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
    suffix: (length: number) => Array.from({ length }, () => ALPHABET[int(ALPHABET.length)]).join(''),
  };
}
