/**
 * globMatch against its definition, the anchored regular expression with each `*` as `[^]*` and
 * every other character literal, on random short patterns and texts over a small alphabet (where
 * backtracking is cheap), then on inputs where the regular expression backtracks for minutes.
 */
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/util/glob.js';
import { seededRandom } from '../../src/util/random.js';

const definition = (pattern: string, text: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^]*')}$`,
  ).test(text);

describe('globMatch', () => {
  it('agrees with the regular expression on 20,000 random pairs', () => {
    const rnd = seededRandom(7).next;
    const word = (alphabet: string, max: number): string =>
      Array.from({ length: Math.floor(rnd() * max) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const pattern = word('ab*.', 8);
      const text = word('ab.', 10);
      const want = definition(pattern, text);
      matched += want ? 1 : 0;
      expect(globMatch(pattern, text), `${pattern} ~ ${text}`).toBe(want);
    }
    // both answers are well represented, so the agreement says something
    expect(matched).toBeGreaterThan(2_000);
    expect(matched).toBeLessThan(18_000);
  });

  it.each([
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['**', 'abc', true],
    ['a*', 'a', true],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['a.b', 'axb', false],
  ])('%j ~ %j -> %s', (pattern, text, want) => {
    expect(globMatch(pattern, text)).toBe(want);
  });

  it('answers where a backtracking match would not finish: 30 stars, 60,000 characters', () => {
    const text = 'a'.repeat(60_000);
    expect(globMatch(`${'a*'.repeat(30)}b`, text)).toBe(false);
    expect(globMatch(`${'*a'.repeat(30)}*`, text)).toBe(true);
    expect(globMatch(`*${'a'.repeat(59_999)}`, text)).toBe(true);
  });
});
