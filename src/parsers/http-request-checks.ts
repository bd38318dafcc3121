/**
 * An HTTP request as `explain` is asked it (flags, batch lines, check entries) must be one a client
 * can send through Envoy; otherwise the question has no answer in policy terms and is refused as
 * bad input, naming the field:
 * - the method is an RFC 9110 token (https://www.rfc-editor.org/rfc/rfc9110#section-9.1, tchar in
 *   section 5.6.2); Envoy's HTTP/1 codec answers anything else 400 before any filter;
 * - the path starts with `/`: Envoy's HTTP connection manager answers any other :path 404
 *   `absolute_path_rejected` before the RBAC filter ("Currently we only support relative paths at
 *   the application layer", envoyproxy/envoy:source/common/http/conn_manager_impl.cc; `OPTIONS *`
 *   included: https://github.com/envoyproxy/envoy/issues/28481), and a space
 *   or control character cannot be sent in a request target (RFC 9112 section 3.2); a `#fragment`
 *   is not part of one either, and Envoy rejects it with 400 (since 1.16.5/1.17.4/1.19.1:
 *   https://www.envoyproxy.io/docs/envoy/latest/version_history/v1.19/v1.19.1, runtime guard
 *   `http_reject_path_with_fragment`);
 * - header names are tokens and values hold no CR, LF or NUL (RFC 9110 sections 5.1 and 5.5).
 */
import type { HttpRequestSpec } from '../engine/index.js';
import { quotedValue } from '../util/cut-text.js';

// one header map for flags, batch lines and the engine's request attributes
export { addHeader } from '../util/header-map.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NOT_IN_TARGET = /[\u0000-\u0020\u007f]/;
const NOT_IN_VALUE = /[\r\n\u0000]/;
/** optional whitespace around a field value, which is not part of it (RFC 9110 section 5.6.3) */
const OWS_AROUND = /^[ \t]+|[ \t]+$/g;

export interface HttpRequestProblem {
  /** what is wrong: `method`, `path`, or `header NAME` (NAME as given) */
  readonly field: 'method' | 'path' | { readonly header: string };
  readonly message: string;
}

/** Why `method` cannot be sent, or null. */
export function methodProblemText(method: string): string | null {
  return TOKEN.test(method)
    ? null
    : "is not an HTTP method (letters, digits and !#$%&'*+-.^_`|~ only, RFC 9110); e.g. GET";
}

/** Why `path` cannot reach a policy, or null. */
export function pathProblemText(path: string): string | null {
  if (!path.startsWith('/'))
    return `must start with /: Envoy answers 404 (absolute_path_rejected) to any other path before a policy sees it; e.g. /${path}`;
  if (NOT_IN_TARGET.test(path))
    return 'holds a space or a control character, which no request line can carry; percent-encode it (%20)';
  const fragment = path.indexOf('#');
  if (fragment !== -1)
    return `holds a #fragment, which is not part of a request (RFC 3986 section 3.5; clients never send it) and which Envoy answers 400 before a policy sees it; e.g. ${path.slice(0, fragment)}`;
  return null;
}

/** The first field of `http` no client could send, or null. */
export function httpRequestProblem(http: HttpRequestSpec): HttpRequestProblem | null {
  const method = http.method === null ? null : methodProblemText(http.method);
  if (method !== null) return { field: 'method', message: method };
  const path = http.path === null ? null : pathProblemText(http.path);
  if (path !== null) return { field: 'path', message: path };
  for (const [name, value] of Object.entries(http.headers)) {
    if (!TOKEN.test(name))
      return { field: { header: name }, message: "is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)" };
    if (NOT_IN_VALUE.test(value))
      return { field: { header: name }, message: 'has a CR, LF or NUL in its value, which no client can send' };
  }
  return null;
}

/**
 * Why `http` is refused, naming the field as `name` spells it (a flag or a batch field) with the
 * value quoted, or null when a client can send it.
 */
function httpRequestRefusal(
  http: HttpRequestSpec,
  name: (field: 'method' | 'path' | 'header' | 'host') => string,
): string | null {
  const problem = httpRequestProblem(http);
  if (problem === null) return null;
  const { field } = problem;
  if (field === 'method') return `${name('method')} ${quotedValue(http.method)} ${problem.message}`;
  if (field === 'path') return `${name('path')} ${quotedValue(http.path)} ${problem.message}`;
  return `${name('header')} ${quotedValue(field.header)} ${problem.message}`;
}

/**
 * `--header` as given: `NAME=VALUE`, or `NAME: VALUE` as curl's `-H` writes it (the space after the
 * colon is optional whitespace, RFC 9110 section 5.6.3: dropped around the value in both forms, as a
 * server drops it). The name is lower-cased (header names are case-insensitive, RFC 9110 section 5.1). `=` is read first
 * when what precedes it is a name, so `x-a=1:2` is `x-a` with value `1:2`; `x-a: b=c` has no name
 * before its `=` and is `x-a` with value `b=c`. Null when there is no `=` and no name before a `:`.
 */
export function headerFlag(text: string): { readonly name: string; readonly value: string } | null {
  const field = (at: number): { name: string; value: string } => ({
    name: text.slice(0, at).toLowerCase(),
    value: text.slice(at + 1).replace(OWS_AROUND, ''),
  });
  const eq = text.indexOf('=');
  if (eq > 0 && TOKEN.test(text.slice(0, eq))) return field(eq);
  const colon = text.indexOf(':');
  if (colon > 0 && TOKEN.test(text.slice(0, colon))) return field(colon);
  // a name that is no token: kept, so the request check names it (httpRequestProblem)
  return eq > 0 ? field(eq) : null;
}

/**
 * The request as Envoy sees it, or why no client can send it (httpRequestRefusal). A `host` header
 * is the request's authority: Envoy keeps the HTTP/1.1 Host header as `:authority`
 * (envoyproxy/envoy:source/common/http/headers.h: `Host{":authority"}`, `HostLegacy{"host"}`),
 * which `hosts`/`notHosts` match, so `--header 'Host: x'` (curl's habit) is `--host x`. Given
 * both, they must agree: a request has one authority.
 */
export function sendableRequest(
  http: HttpRequestSpec,
  name: (field: 'method' | 'path' | 'header' | 'host') => string,
): { readonly http: HttpRequestSpec } | { readonly refusal: string } {
  let sent = http;
  if (Object.hasOwn(http.headers, 'host')) {
    const { host: header, ...others } = http.headers;
    if (http.host !== null && http.host !== header)
      return {
        refusal: `${name('header')} host ${quotedValue(header)} and ${name('host')} ${quotedValue(http.host)} disagree: a request has one authority (Envoy reads the Host header as :authority); give one of them`,
      };
    sent = { ...http, host: header ?? null, headers: others };
  }
  const refusal = httpRequestRefusal(sent, name);
  return refusal === null ? { http: sent } : { refusal };
}
