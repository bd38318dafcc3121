/**
 * Batch query fields of a wrong shape are an Error line naming the field, never a question other
 * than the one written: a peer {ip} that is no address was answered as an out-of-cluster peer,
 * `http.headers` given as a list was dropped, an object `id` came back as null, and a --resolve
 * or `resolve` address that is no IP decided whether istiod could fetch a JWKS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runInProcess } from '../helpers/run-in-process.js';

const MESH = 'examples/poc-mesh';
const ASK = { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80 };

async function batch(
  lines: readonly Record<string, unknown>[],
): Promise<{ code: number; answers: Record<string, unknown>[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-')), 'q.jsonl');
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  const r = await runInProcess(() => runExplain(['--batch', file, '--from', MESH]));
  const answers = r.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.code, answers };
}

describe('explain --batch: fields of the wrong shape', () => {
  it.each([
    ['src {ip} that is no address', { ...ASK, src: { ip: '999.1.1.1' } }, 'src.ip "999.1.1.1" is not an IP address'],
    ['src {ip} with a zone', { ...ASK, src: { ip: 'fe80::1%eth0' } }, 'src.ip "fe80::1%eth0" is not an IP address'],
    ['dst {ip} a name', { ...ASK, dst: { ip: 'backend' } }, 'dst.ip "backend" is not an IP address'],
    ['{ip} a number', { ...ASK, src: { ip: 10 } }, 'src.ip 10 is not an IP address'],
    ['headers a list', { ...ASK, http: { method: 'GET', headers: [['x-a', '1']] } }, 'http.headers must be a map'],
    ['headers a string', { ...ASK, http: { headers: 'x-a: 1' } }, 'http.headers must be a map'],
    ['a header value a map', { ...ASK, http: { headers: { 'x-a': { v: 1 } } } }, 'http.headers.x-a must be a string'],
    ['path a list', { ...ASK, http: { path: ['/a'] } }, 'http.path must be a string, got a list'],
    ['id a map', { ...ASK, id: { n: 1 } }, 'id must be a string or a number'],
    // a peer map's namespace of the wrong type, or under another key, was dropped: the name was then
    // looked up in every namespace, and a workload of that name elsewhere answered for it
    ['src namespace a number', { ...ASK, src: { namespace: 5, name: 'frontend' } }, 'src.namespace must be a string'],
    ['dst kind a list', { ...ASK, dst: { kind: ['svc'], name: 'backend' } }, 'dst.kind must be a string'],
    ['src with "ns" for namespace', { ...ASK, src: { ns: 'poc-mesh', name: 'frontend' } }, 'unknown key "ns" in src'],
    ['src with both ip and name', { ...ASK, src: { ip: '10.0.0.1', name: 'frontend' } }, 'src gives both ip and name'],
    [
      'resolve to a name',
      { ...ASK, resolve: { 'a.example': ['a.example'] } },
      'resolve a.example: "a.example" is not an IP',
    ],
    ['resolve to 10.0.0.300', { ...ASK, resolve: { 'a.example': '10.0.0.300' } }, '"10.0.0.300" is not an IP address'],
  ])('%s: a bad-query Error line, the batch exits 2', async (_, query, message) => {
    const { code, answers } = await batch([query, { ...ASK, id: 'next' }]);
    expect(code).toBe(2);
    expect(answers[0]).toMatchObject({ kind: 'Error', code: 'bad-query' });
    expect(String(answers[0]?.['message'])).toContain(message);
    expect(answers[1]).toMatchObject({ kind: 'Explanation', id: 'next' });
  });

  it('what was accepted still is: IPv4, IPv6 and IPv4-mapped {ip}, numeric header values, a resolve string', async () => {
    const { code, answers } = await batch([
      { ...ASK, src: { ip: '203.0.113.7' } },
      { ...ASK, src: { ip: '2001:db8::7' } },
      { ...ASK, src: { ip: '::ffff:203.0.113.7' } },
      { ...ASK, http: { method: 'GET', path: '/api/orders', headers: { 'x-n': 5, 'x-b': true } } },
      { ...ASK, resolve: { 'a.example': '203.0.113.8' } },
      { ...ASK, id: 7 },
    ]);
    expect(code).toBe(0);
    expect(answers.map((a) => a['kind'])).toEqual(Array(6).fill('Explanation'));
    const request = answers[3]?.['request'] as { http: { headers: Record<string, string> } };
    expect(request.http.headers).toEqual({ 'x-n': '5', 'x-b': 'true' });
    expect(answers[5]?.['id']).toBe(7);
  });
});

describe('explain --resolve', () => {
  it('an address that is no IP is bad input naming the host and the form', async () => {
    const args = ['poc-mesh/frontend', 'poc-mesh/backend', '--port', '80', '--resolve', 'jwks.example=notanip'];
    const r = await runInProcess(() => runExplain([...args, '--from', MESH]));
    expect(r.code).toBe(2);
    expect(r.output).toContain('resolve jwks.example: "notanip" is not an IP address');
    expect(r.output).toContain('jwks.example=185.199.108.133');
  });
});
