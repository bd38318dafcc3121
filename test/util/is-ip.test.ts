/** isIp answers names without a dot or colon at once: it must agree with parseIp on every text. */
import { describe, expect, it } from 'vitest';
import { isIp, parseIp } from '../../src/util/cidr.js';

const TEXTS = [
  '10.0.0.1',
  '0.0.0.0',
  '::1',
  '::',
  'fe80::1',
  '2001:db8::ff00:42:8329',
  '::ffff:10.0.0.1',
  '10.0.0',
  '10.0.0.256',
  'ns/pod',
  'pod',
  'web.shop',
  'deploy/web.shop',
  '1',
  '',
  ':',
  '1:2',
];

describe('isIp', () => {
  it.each(TEXTS)('agrees with parseIp on %j', (text) => {
    expect(isIp(text)).toBe(parseIp(text) !== null);
  });

  it('takes addresses and leaves peer names', () => {
    expect(['10.0.0.1', '::1', 'ns/pod', 'pod'].map(isIp)).toEqual([true, true, false, false]);
  });
});
