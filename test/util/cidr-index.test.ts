/**
 * CidrIndex answers "which indexed blocks hold this address" by prefix look-ups; checked against
 * the definition, one containment test per block (cidrContainsIp), on random nested and disjoint
 * blocks of both families.
 */
import { describe, expect, it } from 'vitest';
import { CidrIndex } from '../../src/util/cidr-index.js';
import { cidrContainsIp, parseCidr, parseIp, type Cidr, type IpAddress } from '../../src/util/cidr.js';
import { seededRandom } from '../../src/util/random.js';

function randomBlocks(seed: number, n: number): Cidr[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const v6 = i % 4 === 3;
    const prefix = v6 ? 108 + Math.floor(random.next() * 21) : 20 + Math.floor(random.next() * 13);
    // a few /12s worth of addresses, so blocks nest and overlap often
    const low = Math.floor(random.next() * 2 ** 20);
    const text = v6
      ? `fd00::${(low >> 16).toString(16)}:${(low & 0xffff).toString(16)}/${prefix}`
      : `10.${low >> 16}.${(low >> 8) & 255}.${low & 255}/${prefix}`;
    return parseCidr(text) as Cidr;
  });
}

function randomAddress(seed: number, i: number): IpAddress {
  const random = seededRandom(seed * 1000 + i);
  const low = Math.floor(random.next() * 2 ** 20);
  const text =
    i % 4 === 3
      ? `fd00::${(low >> 16).toString(16)}:${(low & 0xffff).toString(16)}`
      : `10.${low >> 16}.${(low >> 8) & 255}.${low & 255}`;
  return parseIp(text) as IpAddress;
}

describe('CidrIndex', () => {
  it.each([1, 2, 3, 4, 5])('finds exactly the blocks that hold an address, most specific first (seed %i)', (seed) => {
    const blocks = randomBlocks(seed, 300);
    const index = new CidrIndex(blocks.map((c, i) => [c, i] as const));
    let held = 0;
    for (let i = 0; i < 2000; i++) {
      const ip = randomAddress(seed, i);
      const found: number[] = [];
      index.find(ip, (k) => (found.push(k), false));
      const expected = blocks.flatMap((c, k) => (cidrContainsIp(c, ip) ? [k] : []));
      expect([...found].sort((a, b) => a - b)).toEqual(expected);
      const prefixes = found.map((k) => (blocks[k] as Cidr).prefix);
      expect(prefixes).toEqual([...prefixes].sort((a, b) => b - a));
      expect(index.holds(ip)).toBe(expected.length > 0);
      const floor = ip.family === 4 ? 24 : 112;
      expect(index.holds(ip, floor)).toBe(expected.some((k) => (blocks[k] as Cidr).prefix > floor));
      held += expected.length > 0 ? 1 : 0;
    }
    // not vacuous: some addresses are held and some are not
    expect(held).toBeGreaterThan(100);
    expect(held).toBeLessThan(2000);
  });

  it('stops at the first value `stop` accepts, and keeps values indexed under one block', () => {
    const block = parseCidr('10.1.0.0/16') as Cidr;
    const index = new CidrIndex([
      [block, 'a'],
      [parseCidr('10.1.2.3/16') as Cidr, 'b'], // host bits set: the same block
      [parseCidr('10.0.0.0/8') as Cidr, 'c'],
    ]);
    const seen: string[] = [];
    expect(index.find(parseIp('10.1.9.9') as IpAddress, (v) => (seen.push(v), v === 'b'))).toBe(true);
    expect(seen).toEqual(['a', 'b']);
    expect(index.holds(parseIp('11.0.0.1') as IpAddress)).toBe(false);
    expect(index.holds(parseIp('::1') as IpAddress)).toBe(false);
  });
});
