/**
 * meshConfig pathNormalization as Envoy applies it before the RBAC filter. The tables are Istio's own
 * integration test, byte-faithful: istio/istio:tests/integration/security/normalization_test.go
 * (commit fd359620925c5bf66e9a525af09b4cef141ea711), cases None / Base / MergeSlashes /
 * DecodeAndMergeSlashes / NotNormalized / PercentEncoded / Invalid. The echo server there reports the path
 * the backend received, which is the path authorization policies were matched against
 * (https://istio.io/latest/docs/reference/config/security/normalization/: "The normalized request will be
 * used for both the evaluation of authorization policies and the request that is ultimately sent").
 */
import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../../src/engine/istio/path-normalization.js';
import type { PathNormalization } from '../../../src/model/istio.js';

const TABLES: Readonly<Record<PathNormalization, readonly (readonly [string, string])[]>> = {
  NONE: [
    ['/', '/'],
    ['/app#foo', '/app'],
    ['/app/', '/app/'],
    ['/app/../admin', '/app/../admin'],
    ['/app', '/app'],
    ['/app//', '/app//'],
    ['/app/%2f', '/app/%2f'],
    ['/app%2f/', '/app%2f/'],
    ['/xyz%30..//abc', '/xyz%30..//abc'],
    ['/app/%2E./admin', '/app/%2E./admin'],
    [`/app\\admin`, `/app\\admin`],
    [`/app/\\/\\/\\admin`, `/app/\\/\\/\\admin`],
    [`/%2Fapp%5cadmin%5Cabc`, `/%2Fapp%5cadmin%5Cabc`],
    [`/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc`, `/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc`],
    [`/app//../admin`, `/app//../admin`],
    [`/app//../../admin`, `/app//../../admin`],
  ],
  BASE: [
    ['/', '/'],
    ['/app#foo', '/app'],
    ['/app/', '/app/'],
    ['/app/../admin', '/admin'],
    ['/app', '/app'],
    ['/app//', '/app//'],
    ['/app/%2f', '/app/%2f'],
    ['/app%2f/', '/app%2f/'],
    ['/xyz%30..//abc', '/xyz0..//abc'],
    ['/app/%2E./admin', '/admin'],
    [`/app\\admin`, `/app/admin`],
    [`/app/\\/\\/\\admin`, `/app//////admin`],
    [`/%2Fapp%5cadmin%5Cabc`, `/%2Fapp%5cadmin%5Cabc`],
    [`/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc`, `/%5Capp%2f%5c%2F..%2fadmin%5c/abc`],
    [`/app//../admin`, `/app/admin`],
    [`/app//../../admin`, `/admin`],
  ],
  MERGE_SLASHES: [
    ['/', '/'],
    ['/app#foo', '/app'],
    ['/app/', '/app/'],
    ['/app/../admin', '/admin'],
    ['/app', '/app'],
    ['/app//', '/app/'],
    ['/app/%2f', '/app/%2f'],
    ['/app%2f/', '/app%2f/'],
    ['/xyz%30..//abc', '/xyz0../abc'],
    ['/app/%2E./admin', '/admin'],
    [`/app\\admin`, `/app/admin`],
    [`/app/\\/\\/\\admin`, `/app/admin`],
    [`/%2Fapp%5cadmin%5Cabc`, `/%2Fapp%5cadmin%5Cabc`],
    [`/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc`, `/%5Capp%2f%5c%2F..%2fadmin%5c/abc`],
    [`/app//../admin`, `/app/admin`],
    [`/app//../../admin`, `/admin`],
  ],
  DECODE_AND_MERGE_SLASHES: [
    ['/', '/'],
    ['/app#foo', '/app'],
    ['/app/', '/app/'],
    ['/app/../admin', '/admin'],
    ['/app', '/app'],
    ['/app//', '/app/'],
    ['/app/%2f', '/app/'],
    ['/app%2f/', '/app/'],
    ['/xyz%30..//abc', '/xyz0../abc'],
    ['/app/%2E./admin', '/admin'],
    [`/app\\admin`, `/app/admin`],
    [`/app/\\/\\/\\admin`, `/app/admin`],
    [`/%2Fapp%5cadmin%5Cabc`, `/app/admin/abc`],
    [`/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc`, `/app/admin/abc`],
    [`/app//../admin`, `/app/admin`],
    [`/app//../../admin`, `/admin`],
    [`/%c0%2e%c0%2e/admin`, `/%c0.%c0./admin`],
    [`/%c0%2fadmin`, `/%c0/admin`],
  ],
};

/** the "NotNormalized" subtest (run with DECODE_AND_MERGE_SLASHES): each path is unchanged */
const NOT_NORMALIZED = [
  `/0x2e0x2e/admin`,
  `/0x2e0x2e0x2fadmin`,
  `/0x2e0x2e0x5cadmin`,
  `/0x2f0x2fadmin`,
  `/0x5c0x5cadmin`,
  `/%25c0%25ae%25c1%259cadmin`,
  `/%25c0%25ae%25c0%25ae/admin`,
  `/%25c0%25afadmin`,
  `/%25c1%259cadmin`,
  `/%252e%252e/admin`,
  `/%252e%252e%252fadmin`,
  `/%c1%9cadmin`,
  `/%c0%ae%c0%ae/admin`,
  `/%c0%afadmin`,
  `/.../admin`,
  `/..../admin`,
  `/..;/admin`,
  `/;/admin`,
  `/admin;a=b`,
  `/admin;a=b/xyz`,
  `/admin,a=b/xyz`,
  `/Admin`,
  `/ADMIN`,
];

/** supportedPercentEncode in the same test: - . / \ _ ~ 0-9 A-Z a-z are decoded, \ then becomes / */
function percentEncodedExpectation(i: number): string {
  const input = `/admin%${i.toString(16).padStart(2, '0')}`;
  const c = String.fromCharCode(i);
  const supported = /^[-./\\_~0-9A-Za-z]$/.test(c);
  return supported ? `/admin${c === '\\' ? '/' : c}` : input;
}

describe('meshConfig pathNormalization (istio/istio tests/integration/security/normalization_test.go)', () => {
  for (const [mode, table] of Object.entries(TABLES) as [PathNormalization, (typeof TABLES)[PathNormalization]][]) {
    it.each(table)(`${mode}: %s -> %s`, (input, want) => {
      expect(normalizeRequestPath(input, mode).path).toBe(want);
    });
  }

  it.each(NOT_NORMALIZED)('DECODE_AND_MERGE_SLASHES leaves %s unchanged', (p) => {
    expect(normalizeRequestPath(p, 'DECODE_AND_MERGE_SLASHES').path).toBe(p);
  });

  it('PercentEncoded: %01..%ff under DECODE_AND_MERGE_SLASHES', () => {
    for (let i = 1; i <= 0xff; i++) {
      const input = `/admin%${i.toString(16).padStart(2, '0')}`;
      expect(normalizeRequestPath(input, 'DECODE_AND_MERGE_SLASHES').path, input).toBe(percentEncodedExpectation(i));
    }
  });

  it('Invalid: %00 is answered 400 (path null)', () => {
    expect(normalizeRequestPath('/admin%00', 'DECODE_AND_MERGE_SLASHES').path).toBeNull();
  });

  it('keeps the query string (matchers ignore it) and normalizes only before it', () => {
    expect(normalizeRequestPath('/a/../b?x=/../', 'BASE').path).toBe('/b?x=/../');
  });
});
