/**
 * toJsonLine / toJsonPretty: JSON.stringify's text with U+007F-U+009F escaped as `\u00xx` (issue 17),
 * whatever the text: compared with that definition, written out here, over hostile and random
 * strings (C0, DEL, C1, Latin-1, BMP, astral, lone surrogates) in values and keys.
 */
import { describe, expect, it } from 'vitest';
import { toJsonLine, toJsonPretty } from '../../src/report/json.js';
import { seededRandom } from '../../src/util/random.js';

const escapeC1 = (json: string): string =>
  json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const reference = (v: unknown, indent?: number): string => escapeC1(JSON.stringify(v, null, indent));

const HOSTILE = [
  '',
  'plain ascii',
  '\u007f',
  'a\u007fb',
  '\u0080',
  '\u009b31m',
  '\u009f\u00a0',
  '\u00a0é',
  '\u001b]0;t\u0007',
  'tab\there\nnewline "quote" \\ back',
  '\ud800',
  'x\udfffy',
  '😀',
  '\u2028\u2029',
  'ÿ\u0085',
];

function randomString(rnd: ReturnType<typeof seededRandom>): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0x7f, 0xa0],
    [0xa0, 0xff],
    [0x100, 0xd7ff],
    [0xd800, 0xdfff],
    [0xe000, 0xffff],
  ];
  let s = '';
  for (let i = rnd.int(12); i > 0; i--) {
    const [lo, hi] = rnd.pick(ranges);
    s += String.fromCharCode(lo + rnd.int(hi - lo + 1));
  }
  return s;
}

describe('toJsonLine and toJsonPretty', () => {
  it.each(HOSTILE.map((s) => [JSON.stringify(s)] as const))('escape %s as the definition does', (quoted) => {
    const s = JSON.parse(quoted) as string;
    for (const v of [s, { [s]: s }, [s, 1, null], { a: { b: [s] } }]) {
      expect(toJsonLine(v)).toBe(reference(v));
      expect(toJsonPretty(v)).toBe(reference(v, 2));
    }
  });

  it('agree with the definition on random strings', () => {
    const rnd = seededRandom(17);
    for (let i = 0; i < 3000; i++) {
      const s = randomString(rnd);
      const v = { id: i, k: s, list: [s, `${s}\u007f`], [s]: true };
      expect(toJsonLine(v)).toBe(reference(v));
    }
  });

  it('leave no raw DEL or C1 control in an answer that had one among ASCII', () => {
    const line = toJsonLine({ path: '/x\u007f', other: 'ascii' });
    expect(line).toBe('{"path":"/x\\u007f","other":"ascii"}');
    expect(/[\u007f-\u009f]/.test(line)).toBe(false);
  });
});
