/**
 * emitYaml writes the text it wrote before it was rebuilt for speed (fix manifests are output:
 * explain's `fix[].yaml`, goldens, `--batch` lines): compared byte for byte with that emitter,
 * kept here as the definition, over random nested data with the strings YAML reads specially.
 */
import { describe, expect, it } from 'vitest';
import { emitYaml } from '../../src/util/yaml-emit.js';
import { seededRandom } from '../../src/util/random.js';

// the emitter as it was (src/util/yaml-emit.ts before the rewrite), line by line with trimStart
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@:-]*$|^-[A-Za-z0-9_./@:-]+$/;
const SPECIAL =
  /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;
function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const s = String(value);
  if (s !== '' && PLAIN.test(s) && !SPECIAL.test(s) && !s.endsWith(':')) return s;
  return `'${s.replace(/'/g, "''")}'`;
}
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return scalar(value);
}
function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isMap(item) && Object.keys(item).length > 0) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${(lines[0] ?? '').trimStart()}`, ...lines.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        emit(item, `${indent}  `, out);
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return;
  }
  if (isMap(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if ((isMap(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) {
        out.push(`${indent}${scalar(key)}:`);
        emit(v, `${indent}  `, out);
      } else out.push(`${indent}${scalar(key)}: ${inline(v)}`);
    }
    return;
  }
  out.push(`${indent}${scalar(value)}`);
}
const before = (value: unknown): string => {
  const out: string[] = [];
  emit(value, '', out);
  return `${out.join('\n')}\n`;
};

const STRINGS = [
  'app',
  'TCP',
  'true',
  'no',
  '1.5',
  '0x1F',
  'a: b',
  "it's",
  '',
  ' lead',
  '#x',
  '~',
  '-',
  '-v',
  '@x',
  'k:',
  '/api/*',
  'é',
];

function randomValue(rnd: ReturnType<typeof seededRandom>, depth: number): unknown {
  const r = rnd.int(depth > 3 ? 5 : 9);
  if (r === 0) return rnd.pick(STRINGS);
  if (r === 1) return rnd.int(70000);
  if (r === 2) return rnd.pick([true, false, null, undefined, -0.5]);
  if (r === 3) return rnd.pick([[], {}]);
  if (r === 4) return `${rnd.pick(STRINGS)}${rnd.pick(STRINGS)}`;
  if (r < 7) return Array.from({ length: rnd.int(4) }, () => randomValue(rnd, depth + 1));
  const map: Record<string, unknown> = {};
  for (let i = rnd.int(4); i > 0; i--) map[rnd.pick(STRINGS)] = randomValue(rnd, depth + 1);
  return map;
}

describe('emitYaml writes the same text as before', () => {
  it('on random nested maps, lists and scalars', () => {
    const rnd = seededRandom(5);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rnd, 0);
      expect(emitYaml(v)).toBe(before(v));
    }
  });

  it.each([[[]], [{}], [{ a: undefined }], [[{ a: undefined }]], [[[{ a: [[1]] }]]], ['x'], [null]])(
    'on the edge case %j',
    (v) => expect(emitYaml(v)).toBe(before(v)),
  );
});
