/**
 * canonicalIp: one text per address, so that a pod IP written one way in a manifest and another
 * way in a query or a log is found. IPv6 text follows RFC 5952 section 4 (its own examples below:
 * https://www.rfc-editor.org/rfc/rfc5952#section-4); an IPv4-mapped address (RFC 4291 section
 * 2.5.5.2, https://www.rfc-editor.org/rfc/rfc4291#section-2.5.5.2) is the IPv4 address it maps.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIp, parseIp } from '../../src/util/cidr.js';
import { seededRandom } from '../../src/util/random.js';

describe('canonicalIp', () => {
  it.each([
    // RFC 5952 4.1: leading zeros suppressed
    ['2001:0db8::0001', '2001:db8::1'],
    // 4.2.1: :: shortens as much as possible
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    // 4.2.2: not for one 16-bit 0 field
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // 4.2.3: the longest run; the first of equal runs
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    // 4.3: lower case
    ['2001:DB8::AB', '2001:db8::ab'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    // IPv4-mapped: the IPv4 address, however the IPv6 text is written
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:0a01:0203', '10.1.2.3'],
    ['0:0:0:0:0:ffff:10.1.2.3', '10.1.2.3'],
    // not mapped: IPv4-compatible (deprecated) and NAT64 addresses stay IPv6
    ['::10.1.2.3', '::a01:203'],
    ['64:ff9b::10.1.2.3', '64:ff9b::a01:203'],
    ['10.1.2.3', '10.1.2.3'],
  ])('%s is %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each(['', 'web', '10.1.2', '10.1.2.256', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ':::1'])(
    '%j is no address',
    (text) => {
      expect(canonicalIp(text)).toBeNull();
    },
  );

  it('round-trips: the canonical text parses to the same address, and is its own canonical text', () => {
    const rnd = seededRandom(5);
    for (let i = 0; i < 2000; i++) {
      // groups mostly zero, so that runs of zeros of every length and place come up
      const groups = Array.from({ length: 8 }, () => (rnd.next() < 0.5 ? 0 : Math.floor(rnd.next() * 0x10000)));
      if (groups.slice(0, 6).join() === '0,0,0,0,0,65535') continue;
      const value = groups.reduce((a, g) => (a << 16n) | BigInt(g), 0n);
      const text = formatIp(6, value);
      expect(parseIp(text)).toEqual({ family: 6, value });
      expect(canonicalIp(text)).toBe(text);
      expect(canonicalIp(groups.map((g) => g.toString(16).padStart(4, '0').toUpperCase()).join(':'))).toBe(text);
    }
  });

  it('an IPv4 text is its canonical text exactly when formatIp writes it so (the fast path agrees with the parse)', () => {
    const rnd = seededRandom(9);
    for (let i = 0; i < 2000; i++) {
      const octets = Array.from({ length: 4 }, () => Math.floor(rnd.next() * 256));
      // some octets with a leading zero, which are the same address written another way
      const text = octets.map((o) => (rnd.next() < 0.2 && o < 100 ? `0${o}` : String(o))).join('.');
      const ip = parseIp(text);
      expect(canonicalIp(text)).toBe(ip ? formatIp(4, ip.value) : null);
    }
  });
});
