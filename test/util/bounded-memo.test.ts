import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/util/bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each key once, null answers included', () => {
    const calls: string[] = [];
    const parse = boundedMemo(8, (key) => {
      calls.push(key);
      return key === 'bad' ? null : key.length;
    });
    expect([parse('abc'), parse('abc'), parse('bad'), parse('bad')]).toEqual([3, 3, null, null]);
    expect(calls).toEqual(['abc', 'bad']);
  });

  it('starts over past its size, and still answers the same', () => {
    const calls: string[] = [];
    const upper = boundedMemo(2, (key) => {
      calls.push(key);
      return key.toUpperCase();
    });
    expect(['a', 'b', 'c', 'a'].map(upper)).toEqual(['A', 'B', 'C', 'A']);
    // 'c' found the memo full and cleared it, so 'a' was computed again
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
