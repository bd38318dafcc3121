/**
 * Every fixture in test/fixtures/logs/*.log parses to exactly its .json golden (events and
 * issues). `UPDATE_GOLDEN=1 npx vitest run test/parsers/golden.test.ts` rewrites the goldens;
 * review the diff: the field-level assertions in the other tests say what must hold.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, parseFixture } from './parse-fixture.js';

const dir = fixturePath('');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .sort();

describe('parser goldens', () => {
  it('has a golden for every fixture', () => {
    expect(
      fixtures.filter(
        (f) => !existsSync(`${dir}${f.replace(/\.log$/, '.json')}`) && process.env['UPDATE_GOLDEN'] !== '1',
      ),
    ).toEqual([]);
  });

  it.each(fixtures)('%s', (name) => {
    const actual = `${JSON.stringify(parseFixture(name), null, 2)}\n`;
    const golden = `${dir}${name.replace(/\.log$/, '.json')}`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, actual);
    expect(actual).toBe(readFileSync(golden, 'utf8'));
  });
});
