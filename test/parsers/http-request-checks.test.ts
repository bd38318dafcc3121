/**
 * Requests no client can send through Envoy are refused as bad input, naming the field:
 * RFC 9110 section 9.1 / 5.6.2 (a method is a token), section 5.1 (a field name is a token),
 * section 5.5 (no CR, LF or NUL in a field value), RFC 9112 section 3.2 (a request target has no
 * space or control character), envoyproxy/envoy:source/common/http/conn_manager_impl.cc (any
 * :path not starting with / gets 404 absolute_path_rejected before the filters).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpRequestSpec } from '../../src/engine/index.js';
import { addHeader, headerFlag, httpRequestProblem, sendableRequest } from '../../src/parsers/http-request-checks.js';
import { parseQuery, QueryError } from '../../src/parsers/explain-query.js';
import { runCli } from '../commands/cli-harness.js';

const request = (over: Partial<HttpRequestSpec>): HttpRequestSpec => ({
  method: 'GET',
  path: '/api/orders',
  host: null,
  headers: {},
  ...over,
});

/** `explain poc-mesh/frontend poc-mesh/backend -p 8080 -o json` on the poc-mesh example, with `flags` added. */
const askPocMesh = (...flags: string[]): ReturnType<typeof runCli> =>
  runCli([
    'explain',
    'poc-mesh/frontend',
    'poc-mesh/backend',
    '-p',
    '8080',
    '--from',
    'examples/poc-mesh',
    '-o',
    'json',
    ...flags,
  ]);

describe('httpRequestProblem', () => {
  it.each([
    ['GET', null],
    ['PURGE', null], // any token is a method (RFC 9110 section 9.1: the set is extensible)
    ['M-SEARCH', null],
    ['GE T', 'method'],
    ['GET\r\n', 'method'],
    ['', 'method'],
    ['GET/', 'method'], // "/" is a delimiter, not a tchar
  ])('method %j -> %s', (method, field) => {
    expect(httpRequestProblem(request({ method }))?.field ?? null).toBe(field);
  });

  it.each([
    ['/', null],
    ['/api/orders?x=1&y=%20', null],
    ['/api/orders?x=%23', null], // an encoded # is data
    // a fragment is not part of a request target (RFC 3986 section 3.5) and Envoy answers 400 to it:
    // https://www.envoyproxy.io/docs/envoy/latest/version_history/v1.19/v1.19.1
    ['/api/orders#frag', 'path'],
    ['/api/orders?x=1#', 'path'],
    ['/%2e%2e/admin', null], // normalization is the engine's business, not a refusal
    ['/caf\u00e9', null], // non-ASCII is for the path normalization, not refused here
    ['api/orders', 'path'],
    ['', 'path'],
    ['*', 'path'], // OPTIONS * gets absolute_path_rejected too: https://github.com/envoyproxy/envoy/issues/28481
    ['http://backend/api', 'path'],
    ['/a b', 'path'],
    ['/a\tb', 'path'],
    ['/a\u001b[31m', 'path'],
    ['/a\u007f', 'path'],
  ])('path %j -> %s', (path, field) => {
    expect(httpRequestProblem(request({ path }))?.field ?? null).toBe(field);
  });

  it('a missing method or path is no problem (TCP questions, or the defaults)', () => {
    expect(httpRequestProblem(request({ method: null, path: null }))).toBeNull();
  });

  it.each([
    [{ 'x-user': 'alice' }, null],
    [{ 'x-user': '' }, null],
    [{ 'x user': 'alice' }, { header: 'x user' }],
    [{ 'x:user': 'alice' }, { header: 'x:user' }],
    [{ 'x-user': 'alice\r\nx-admin: true' }, { header: 'x-user' }],
    [{ 'x-user': 'a\u0000b' }, { header: 'x-user' }],
  ])('headers %j -> %j', (headers, field) => {
    expect(httpRequestProblem(request({ headers }))?.field ?? null).toEqual(field);
  });
});

describe('where a bad request is refused', () => {
  it('a batch or check query: a QueryError naming http.FIELD and the value', () => {
    const query = (http: unknown): unknown => parseQuery({ src: 'a/b', dst: 'c/d', port: 80, http }, {});
    expect(() => query({ path: 'api' })).toThrow(QueryError);
    expect(() => query({ path: 'api' })).toThrow(/^http\.path "api" must start with \/.*e\.g\. \/api$/);
    expect(() => query({ path: '/api/orders#top' })).toThrow(
      /^http\.path "\/api\/orders#top" holds a #fragment.*e\.g\. \/api\/orders$/,
    );
    expect(() => query({ method: 'GE T' })).toThrow(/^http\.method "GE T" is not an HTTP method/);
    expect(() => query({ headers: { 'a b': '1' } })).toThrow(/^http\.headers "a b" is not a header name/);
  });

  it('the command line: exit 2 naming the flag, before anything is read', () => {
    const r = runCli(['explain', 'a/b', 'c/d', '-p', '80', '--path', 'api/orders', '--from', '/nonexistent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--path "api/orders" must start with /');
    expect(r.stderr).toContain('e.g. /api/orders');
    const m = runCli(['explain', 'a/b', 'c/d', '-p', '80', '--method', 'GE T', '--from', '/nonexistent']);
    expect(m.stderr).toContain('--method "GE T" is not an HTTP method');
    const h = runCli(['explain', 'a/b', 'c/d', '-p', '80', '--header', 'x y=1', '--from', '/nonexistent']);
    expect(h.stderr).toContain('--header "x y" is not a header name');
  });
});

/**
 * `--header` takes `NAME=VALUE` and curl's `-H 'NAME: VALUE'` (https://curl.se/docs/manpage.html#-H);
 * optional whitespace around a field value is not part of it (RFC 9110 section 5.6.3) and header
 * names are case-insensitive (section 5.1).
 */
describe('headerFlag', () => {
  it.each([
    ['x-user=alice', { name: 'x-user', value: 'alice' }],
    ['X-User=alice', { name: 'x-user', value: 'alice' }],
    ['x-user=', { name: 'x-user', value: '' }],
    ['x-user= alice ', { name: 'x-user', value: 'alice' }],
    ['authorization=Bearer a=b', { name: 'authorization', value: 'Bearer a=b' }],
    ['x-a=1:2', { name: 'x-a', value: '1:2' }],
    ['X-User: alice', { name: 'x-user', value: 'alice' }],
    ['x-user:alice', { name: 'x-user', value: 'alice' }],
    ['x-user:  alice \t', { name: 'x-user', value: 'alice' }],
    ['x-a: b=c', { name: 'x-a', value: 'b=c' }],
    ['x-a: http://h:1/p', { name: 'x-a', value: 'http://h:1/p' }],
    ['x y=1', { name: 'x y', value: '1' }], // kept for the request check to name
    ['alice', null],
    ['=alice', null],
    [': alice', null],
  ])('%j -> %j', (text, header) => {
    expect(headerFlag(text)).toEqual(header);
  });

  it('the command line takes both forms and asks with the same header', () => {
    const ask = (header: string): unknown => {
      const r = askPocMesh('--method', 'GET', '--path', '/api/orders', '--header', header);
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as { request: { http: unknown } }).request.http;
    };
    const http = ask('X-Team: a');
    expect(http).toEqual({ method: 'GET', path: '/api/orders', host: null, headers: { 'x-team': 'a' } });
    expect(ask('x-team=a')).toEqual(http);
    const bad = runCli(['explain', 'a/b', 'c/d', '-p', '80', '--header', 'alice', '--from', '/nonexistent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--header alice: write it as NAME=VALUE or 'NAME: VALUE'");
  });
});

/**
 * A header given twice is one field with both values joined by `,`, as Envoy's RBAC, JWT and CEL
 * header matching reads duplicates since CVE-2020-25017
 * (https://www.envoyproxy.io/docs/envoy/latest/version_history/v1.12/v1.12.7).
 */
describe('a header given twice', () => {
  it('addHeader joins the values in order, whatever the case of the name', () => {
    const headers: Record<string, string> = {};
    addHeader(headers, 'X-Team', 'a');
    addHeader(headers, 'x-team', 'b');
    addHeader(headers, 'x-user', 'alice');
    expect(headers).toEqual({ 'x-team': 'a,b', 'x-user': 'alice' });
  });

  it('`__proto__` is a header like any other (a token), not the prototype', () => {
    const headers: Record<string, string> = {};
    addHeader(headers, '__proto__', 'x');
    expect(Object.keys(headers)).toEqual(['__proto__']);
    expect(JSON.stringify(headers)).toBe('{"__proto__":"x"}');
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });

  it('a batch line with two spellings of a name, and the command line with --header twice', () => {
    const line = parseQuery(
      { src: 'a/b', dst: 'c/d', port: 80, http: { headers: { 'X-Team': 'a', 'x-team': 'b' } } },
      {},
    );
    expect(line.http?.headers).toEqual({ 'x-team': 'a,b' });
    const r = askPocMesh('--method', 'GET', '--path', '/api/orders', '--header', 'x-team=a', '--header', 'X-Team: b');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { request: { http: { headers: unknown } } }).request.http.headers).toEqual({
      'x-team': 'a,b',
    });
  });
});

/**
 * A `host` header is the request's authority: Envoy keeps the HTTP/1.1 Host header as `:authority`
 * (envoyproxy/envoy:source/common/http/headers.h `Host{":authority"}`, `HostLegacy{"host"}`), and
 * `hosts` match the authority (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation).
 */
describe('a Host header', () => {
  const flag = (field: string): string => `--${field}`;

  it('is the host when none is given, and no longer a header', () => {
    expect(sendableRequest(request({ headers: { host: 'shop.example.com', 'x-a': '1' } }), flag)).toEqual({
      http: request({ host: 'shop.example.com', headers: { 'x-a': '1' } }),
    });
    expect(sendableRequest(request({ host: 'a', headers: { host: 'a' } }), flag)).toEqual({
      http: request({ host: 'a', headers: {} }),
    });
  });

  it('that disagrees with the host is refused, naming both', () => {
    const r = sendableRequest(request({ host: 'a', headers: { host: 'b' } }), flag);
    expect(r).toEqual({ refusal: expect.stringMatching(/^--header host "b" and --host "a" disagree/) as unknown });
  });

  it('decides a hosts rule on the command line and in a batch line as --host does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-host-header-'));
    const policy = join(dir, 'hosts.yaml');
    writeFileSync(
      policy,
      [
        'apiVersion: security.istio.io/v1',
        'kind: AuthorizationPolicy',
        'metadata: {name: backend-allow-shop-host, namespace: poc-mesh}',
        'spec:',
        '  selector: {matchLabels: {app: backend}}',
        '  rules:',
        '    - to: [{operation: {hosts: [shop.example.com]}}]',
        '',
      ].join('\n'),
    );
    const ask = (...extra: string[]): { code: number | null; verdict: string } => {
      const r = askPocMesh('--method', 'POST', '--path', '/x', '--from', policy, ...extra);
      return { code: r.code, verdict: r.code === 2 ? r.stderr : (JSON.parse(r.stdout) as { verdict: string }).verdict };
    };
    expect(ask()).toEqual({ code: 1, verdict: 'denied' });
    expect(ask('--host', 'shop.example.com')).toEqual({ code: 0, verdict: 'allowed' });
    expect(ask('--header', 'Host: shop.example.com')).toEqual({ code: 0, verdict: 'allowed' });
    expect(ask('--header', 'host=SHOP.example.com')).toEqual({ code: 0, verdict: 'allowed' }); // hosts ignore case
    const both = ask('--header', 'Host: shop.example.com', '--host', 'other');
    expect(both.code).toBe(2);
    expect(both.verdict).toContain('--header host "shop.example.com" and --host "other" disagree');
    const line = parseQuery(
      { src: 'a/b', dst: 'c/d', port: 80, http: { method: 'GET', path: '/', headers: { Host: 'shop.example.com' } } },
      {},
    );
    expect(line.http).toEqual({ method: 'GET', path: '/', host: 'shop.example.com', headers: {} });
  });
});
