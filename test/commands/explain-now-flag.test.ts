/**
 * The clock for JWT exp/nbf (`--now`, a batch or check line's `now`) must be an RFC 3339 time.
 * Date.parse alone reads "garbage" as NaN (the exp check was then skipped, so an expired token was
 * explained as accepted: a confident wrong answer), "1" and "Nov 20" as dates in 2001, and rolls
 * 2026-02-30 over to March 2. Each is now bad input naming the flag or the line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runCheck } from '../../src/commands/check.js';
import { isRfc3339, parseNow, QueryError } from '../../src/parsers/explain-query.js';
import { runInProcess } from '../helpers/run-in-process.js';

const MESH = 'examples/kyma-netpol';
const SRC = 'istio-system/istio-ingressgateway';
const DST = 'my-virtualservice-namespace/httpbin';
/** expired on 2023-11-14, with the issuer httpbin-jwt trusts */
const EXPIRED = { iss: 'testing@secure.istio.io', sub: 'testing@secure.istio.io', exp: 1700000000 };
const REQUEST = ['--port', '8000', '--method', 'GET', '--path', '/status/200', '--host', 'my-cluster-domain.com'];
const RESOLVE = ['--resolve', 'raw.githubusercontent.com=185.199.108.133'];

function explainExpired(now: string): Promise<{ code: number; output: string }> {
  const args = [SRC, DST, ...REQUEST, ...RESOLVE, '--jwt-claims', JSON.stringify(EXPIRED), '--now', now];
  return runInProcess(() => runExplain([...args, '--from', MESH]));
}

describe('RFC 3339 times', () => {
  it.each([
    '2026-01-27T13:54:20Z',
    '2026-01-27t13:54:20z',
    '2026-01-27T13:54:20.123456789Z',
    '2026-01-27T13:54:20+01:00',
    '2024-02-29T00:00:00-08:00',
  ])('%s is one', (text) => {
    expect(isRfc3339(text)).toBe(true);
    expect(parseNow(text)).toBe(text);
  });

  it.each([
    'garbage',
    '1',
    'Nov 20',
    '2026-01-27',
    '2026-01-27 13:54:20Z',
    '2026-01-27T13:54:20',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T10:00:00+25:00',
    '+002026-01-01T00:00:00Z',
  ])('%s is not', (text) => {
    expect(isRfc3339(text)).toBe(false);
    expect(() => parseNow(text)).toThrow(QueryError);
  });

  it('a value that is not a string is not one either, and absence is null', () => {
    expect(() => parseNow(1700000000)).toThrow(/now "1700000000" is not an RFC 3339 time/);
    expect(parseNow(undefined)).toBeNull();
    expect(parseNow(null)).toBeNull();
  });
});

describe('explain --now', () => {
  it('an RFC 3339 time checks exp: the expired token is refused (401)', async () => {
    const r = await explainExpired('2026-01-27T13:54:20Z');
    expect(r.code).toBe(1);
    expect(r.output).toContain('401 "Jwt is expired"');
  });

  it.each(['garbage', '2026-02-30T00:00:00Z', 'Nov 20'])(
    '--now %s is bad input naming the flag and the form, never an allowed answer',
    async (now) => {
      const r = await explainExpired(now);
      expect(r.code).toBe(2);
      expect(r.output).toContain(`--now "${now}" is not an RFC 3339 time`);
      expect(r.output).toContain('2026-11-20T10:00:00Z');
      expect(r.output).not.toContain('ALLOWED');
    },
  );

  it('a batch line with a bad now is an Error line for that line only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-now-'));
    const query = { src: SRC, dst: DST, port: 8000, http: { method: 'GET', path: '/status/200' } };
    const file = join(dir, 'q.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ ...query, id: 'bad', now: 'garbage', jwt: { claims: EXPIRED } })}\n` +
        `${JSON.stringify({ ...query, id: 'good', now: '2026-01-27T13:54:20Z', jwt: { claims: EXPIRED } })}\n`,
    );
    const r = await runInProcess(() => runExplain(['--batch', file, ...RESOLVE, '--from', MESH]));
    const lines = r.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.code).toBe(2);
    expect(lines[0]).toMatchObject({ kind: 'Error', id: 'bad', code: 'bad-query' });
    expect(String(lines[0]?.['message'])).toContain('now "garbage" is not an RFC 3339 time');
    expect(lines[1]).toMatchObject({ kind: 'Explanation', id: 'good', verdict: 'denied' });
  });

  it('check: a bad --now is bad input, a bad now in an entry is an invalid entry (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-now-'));
    const file = join(dir, 'expect.yaml');
    writeFileSync(file, `- {src: ${SRC}, dst: ${DST}, port: 8000, now: garbage, expect: {verdict: allowed}}\n`);
    const flag = await runInProcess(() => runCheck([file, '--from', MESH, '--now', 'x']));
    expect(flag.code).toBe(2);
    expect(flag.output).toContain('--now "x" is not an RFC 3339 time');
    const entry = await runInProcess(() => runCheck([file, '--from', MESH]));
    expect(entry.code).toBe(2);
    expect(entry.output).toContain('invalid check entry');
    expect(entry.output).toContain('now "garbage" is not an RFC 3339 time');
  });
});
