/**
 * A check file entry that can never be met as written is an unreadable check file (exit 2, the
 * file, the entry's line and what to write), never a crash and never a FAIL that reads as a
 * regression: an entry that is not a map (`- null` was an internal error, exit 70), no expect, or
 * an expect whose verdict, layer, enforcer, rule or status explain never gives.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { parseExpectation } from '../../src/parsers/check-expectation.js';
import { QueryError } from '../../src/parsers/explain-query.js';
import { readExpectationEntries } from '../../src/sources/expectations-file.js';
import { runInProcess } from '../helpers/run-in-process.js';

const MESH = 'examples/poc-mesh';
const Q = 'src: poc-mesh/frontend, dst: poc-mesh/backend, port: 80';

function checkFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-check-')), 'expect.yaml');
  writeFileSync(file, text);
  return file;
}

describe('check entries that cannot be met as written', () => {
  it.each([
    ['null', '- null\n'],
    ['a number', '- 5\n'],
    ['a string', '- frontend to backend\n'],
    ['a list', '- [a, b]\n'],
  ])('an entry that is %s: exit 2 naming file and line, no internal error', async (_, text) => {
    const file = checkFile(`# header\n${text}`);
    const r = await runInProcess(() => runCheck([file, '--from', MESH]));
    expect(r.code).toBe(2);
    expect(r.output).toContain(`invalid check entry ${file}:2 #1: an entry must be a query object`);
    expect(r.output).not.toContain('internal error');
  });

  it.each([
    ['no expect', `- {${Q}}\n`, 'expect is missing: give at least expect.verdict'],
    ['expect: null', `- {${Q}, expect: null}\n`, 'expect is missing'],
    ['expect a string', `- {${Q}, expect: allowed}\n`, 'expect must be a map'],
    ['verdict maybe', `- {${Q}, expect: {verdict: maybe}}\n`, 'expect.verdict "maybe" must be one of allowed, denied'],
    ['verdict in capitals', `- {${Q}, expect: {verdict: DENIED}}\n`, 'expect.verdict "DENIED" must be one of'],
    ['layer misspelt', `- {${Q}, expect: {verdict: denied, layer: authz}}\n`, 'expect.layer "authz" must be one of'],
    ['enforcer unknown', `- {${Q}, expect: {verdict: denied, enforcer: cni}}\n`, 'expect.enforcer "cni" must be one'],
    ['rule quoted', `- {${Q}, expect: {verdict: denied, rule: "0"}}\n`, 'expect.rule "0" must be a rule index'],
    ['rule a fraction', `- {${Q}, expect: {verdict: denied, rule: 0.5}}\n`, 'expect.rule 0.5 must be a rule index'],
    ['status 4030', `- {${Q}, expect: {verdict: denied, status: 4030}}\n`, 'expect.status 4030 must be an HTTP status'],
    ['status a typo', `- {${Q}, expect: {verdict: denied, status: timeout}}\n`, 'expect.status "timeout" must be'],
    ['policy empty', `- {${Q}, expect: {verdict: denied, policy: ""}}\n`, 'expect.policy must be NAMESPACE/NAME'],
  ])('%s: exit 2 with the fix, not a FAIL', async (_, text, message) => {
    const r = await runInProcess(() => runCheck([checkFile(text), '--from', MESH]));
    expect(r.code).toBe(2);
    expect(r.output).toContain(message);
    expect(r.output).not.toMatch(/^FAIL /m);
  });

  it('a valid entry next to an invalid one still runs and passes', async () => {
    const file = checkFile(
      `- {${Q}, id: ok, expect: {verdict: conditional, status: 403}}\n- {${Q}, id: bad, expect: {}}\n`,
    );
    const r = await runInProcess(() => runCheck([file, '--from', MESH]));
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/^PASS .* ok: conditional/m);
    expect(r.output).toContain(`invalid check entry ${file}:2 bad:`);
  });
});

describe('parseExpectation', () => {
  it('keeps what each example writes: statuses as numbers, quoted numbers and words; rule -1 and null', () => {
    expect(parseExpectation({ expect: { verdict: 'denied', status: 403, rule: null } })).toEqual({
      verdict: 'denied',
      status: 403,
      rule: null,
    });
    expect(parseExpectation({ expect: { verdict: 'allowed', status: '200', rule: -1 } })).toMatchObject({
      status: '200',
      rule: -1,
    });
    expect(parseExpectation({ expect: { verdict: 'denied', status: 'connect-timeout', layer: 'mtls' } })).toEqual({
      verdict: 'denied',
      status: 'connect-timeout',
      layer: 'mtls',
    });
  });

  it('refuses an unknown key as before', () => {
    expect(() => parseExpectation({ expect: { verdict: 'denied', layr: 'mtls' } })).toThrow(QueryError);
  });
});

describe('readExpectationEntries', () => {
  it('gives each item of a block or flow list its line; an empty item has none', async () => {
    const block = await readExpectationEntries(
      checkFile('# c\n- {a: 1}\n-\n- 5\n-   # x\n  b: 2\n- &x\n  c: 3\n- *x\n'),
    );
    expect(block.lines).toEqual([2, undefined, 4, 6, 7, 9]);
    const flow = await readExpectationEntries(checkFile('[{a: 1},\n 5,\n {b: 2}]\n'));
    expect(flow.lines).toEqual([1, 2, 3]);
  });
});
