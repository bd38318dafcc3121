/**
 * The path the RBAC filter sees after meshConfig `pathNormalization`. istiod sets the HTTP connection
 * manager from the mode (istio/istio:pilot/pkg/networking/core/listener_builder.go, "Setup normalization"): NONE -> normalize_path false; BASE (and DEFAULT) -> normalize_path; MERGE_SLASHES ->
 * also merge_slashes; DECODE_AND_MERGE_SLASHES -> also path_with_escaped_slashes_action
 * UNESCAPE_AND_FORWARD. Envoy applies them in the order escaped slashes, normalize_path, merge_slashes
 * (https://istio.io/latest/docs/reference/config/security/normalization/; the order is also in
 * https://istio.io/latest/docs/ops/best-practices/security/#understand-path-normalization-in-authorization-policy).
 * normalize_path is RFC 3986 dot-segment removal plus decoding of percent-encoded unreserved characters
 * (%2d %2e %30-%39 %41-%5a %5f %61-%7a %7e) and backslash to slash; %2f/%5c are decoded only by
 * DECODE_AND_MERGE_SLASHES; %00 is always rejected with 400. Expected values in the tests are
 * istio/istio:tests/integration/security/normalization_test.go.
 */
import type { PathNormalization } from '../../model/istio.js';
import { assertNever } from '../../util/assert-never.js';
import { boundedMemo } from '../../util/bounded-memo.js';

export interface NormalizedPath {
  /** the path authorization policies match (query kept: matchers ignore it), or null when Envoy answers 400 */
  readonly path: string | null;
}

const UNRESERVED = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;
const ESCAPED_SLASH = /%(2[fF]|5[cC])/g;

function decode(path: string, re: RegExp): string {
  return path.replace(re, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** RFC 3986 5.2.4 remove_dot_segments on an absolute path. */
export function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '.') {
      if (last) out.push('');
    } else if (seg === '..') {
      if (out.length > 1) out.pop();
      if (last) out.push('');
    } else out.push(seg);
  });
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function normalizeBare(bare: string, mode: PathNormalization): string {
  switch (mode) {
    case 'NONE':
      return bare;
    case 'BASE':
      return removeDotSegments(decode(bare, UNRESERVED).replaceAll('\\', '/'));
    case 'MERGE_SLASHES':
      return normalizeBare(bare, 'BASE').replace(/\/{2,}/g, '/');
    case 'DECODE_AND_MERGE_SLASHES':
      return normalizeBare(decode(bare, ESCAPED_SLASH), 'MERGE_SLASHES');
    default:
      return assertNever(mode, 'path normalization');
  }
}

/** The fragment never reaches the filters (`/app#foo` is `/app` in every mode, normalization_test.go). */
export function normalizeRequestPath(path: string, mode: PathNormalization): NormalizedPath {
  // every flow asks it twice (request attributes, path report), most batches ask the same few paths
  let normalizer = normalizers.get(mode);
  if (!normalizer) normalizers.set(mode, (normalizer = boundedMemo(1024, (p) => normalize(p, mode))));
  return normalizer(path);
}

/** The last paths normalized, per mode. */
const normalizers = new Map<PathNormalization, (path: string) => NormalizedPath>();

function normalize(path: string, mode: PathNormalization): NormalizedPath {
  const noFragment = path.split('#')[0] ?? path;
  const q = noFragment.indexOf('?');
  const bare = q < 0 ? noFragment : noFragment.slice(0, q);
  if (/%00/.test(bare)) return { path: null };
  return { path: normalizeBare(bare, mode) + (q < 0 ? '' : noFragment.slice(q)) };
}

export interface PathReport {
  readonly notes: readonly string[];
  readonly conditions: readonly { readonly code: string; readonly message: string }[];
}

/** What explain says about the path: the normalized form when it differs, and a 400 Envoy answers before authz. */
export function pathReport(path: string | null, mode: PathNormalization, origin: string): PathReport {
  if (path === null) return { notes: [], conditions: [] };
  const n = normalizeRequestPath(path, mode);
  const setting = `meshConfig pathNormalization ${mode} (${origin})`;
  if (n.path === null)
    return {
      notes: [],
      conditions: [
        {
          code: 'path-rejected',
          message: `path ${JSON.stringify(path)} contains %00: Envoy answers 400 before any authorization filter (${setting}); the layers below are evaluated as if it passed`,
        },
      ],
    };
  return n.path === path
    ? { notes: [], conditions: [] }
    : {
        notes: [`path ${JSON.stringify(path)} is ${JSON.stringify(n.path)} to authorization policies (${setting})`],
        conditions: [],
      };
}
