/**
 * Istio's string matching for AuthorizationPolicy values (istio/api:security/v1beta1/authorization.proto, Rule comment;
 * istio/istio:pilot/pkg/security/authz/matcher/string.go): exact `abc`, prefix `abc*`, suffix `*abc`,
 * presence `*` (matches any non-empty value); only a leading or trailing `*` is special.
 * Paths also accept templates (Istio >= 1.22): `{*}` one segment, `{**}` zero or more segments.
 */
import { boundedMemo } from '../../util/bounded-memo.js';
import { globMatch } from '../../util/glob.js';

export function istioStringMatch(pattern: string, value: string | null, caseInsensitive = false): boolean {
  if (value === null) return false;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (p === '*') return v.length > 0;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

export function isPathTemplate(pattern: string): boolean {
  return pattern.includes('{*}') || pattern.includes('{**}');
}

/**
 * Istio hands a template to Envoy's uri_template matcher with `{*}` -> `*` and `{**}` -> `**`
 * (istio/istio:pilot/pkg/security/authz/matcher/template.go), which Envoy compiles to a regex:
 * literals as written, `*` -> `[pchar]+` (one non-empty segment), `**` -> `[pchar/]*` (any text,
 * slashes included, possibly empty) (envoyproxy/envoy:source/extensions/path/uri_template_lib/
 * uri_template_internal.cc, toRegexPattern, kLiteral). So the slashes around `{**}` stay:
 * `/store/{**}/cart` matches `/store//cart` and `/store/a/b/cart` but not `/store/cart`, and
 * `/foo/{**}` matches `/foo/` but not `/foo` (istio/istio:tests/integration/security/authz_test.go
 * TestAuthz_PathTemplating).
 */
const PCHAR = "a-zA-Z0-9\\-._~%!$&'()+,;:@=";
const templateRegex = boundedMemo(1024, (pattern) => {
  const body = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) =>
      part === '{**}' ? `[${PCHAR}/]*` : part === '{*}' ? `[${PCHAR}]+` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
});

function templateMatch(pattern: string, path: string): boolean {
  return templateRegex(pattern).test(path);
}

/** Path matching ignores the query string, like Envoy's url_path matcher. */
export function istioPathMatch(pattern: string, path: string | null): boolean {
  if (path === null) return false;
  const bare = path.split('?')[0] ?? path;
  return isPathTemplate(pattern) ? templateMatch(pattern, bare) : istioStringMatch(pattern, bare);
}

/**
 * `hosts`/`notHosts` match the `:authority` header as sent, port included, ignoring case: exact,
 * prefix `abc*`, suffix `*abc`, presence `*` (istio/istio:pilot/pkg/security/authz/matcher/header.go,
 * HostMatcher with ignore_case; builder golden testdata/http/allow-host-before-111-out.yaml). Neither a
 * sidecar nor a gateway strips the port (istiod sets no strip_*_host_port on the HTTP connection
 * manager), so `example.com` does not match `example.com:8080`; users add `example.com:*` ("exact match
 * authorization policies only match the exact string given for hosts or notHosts":
 * https://docs.redhat.com/zh-cn/documentation/openshift_container_platform/4.6/html/service_mesh/_required-update-for-authorization-policies).
 */
export function istioHostMatch(pattern: string, host: string | null): boolean {
  // `*` is Envoy's present_match on :authority (HostMatcher; matcher/header_test.go TestHostMatcher
  // "present match"), not the regex `.+` paths get: a present but empty authority matches
  if (pattern === '*') return host !== null;
  return istioStringMatch(pattern, host, true);
}

/**
 * Namespaces: istiod renders `.*\/ns/<pattern>/.*`, each `*` of the pattern as `.*` and the rest
 * quoted (istio/istio:pilot/pkg/security/authz/model/generator.go, srcNamespaceGenerator; its
 * TestNamespaceMatcherRegex_Match), and Envoy matches that against the whole peer principal
 * (safe_regex, a full match; the URI SAN on TCP, `source.principal` on HTTP: the leading `.*` takes
 * either). So a `*` may run past the namespace: `a*sa` admits `cluster.local/ns/a/sa/bob`.
 * Matched as a glob (util/glob.ts), in time bounded by the product of the lengths; principals hold
 * no newline, so `.` and `*` agree.
 */
export function istioNamespaceMatch(pattern: string, principal: string | null): boolean {
  if (principal === null) return false;
  // without a star the regex asks for `/ns/<pattern>/` anywhere in the principal (the common case, native)
  return pattern.includes('*') ? globMatch(`*/ns/${pattern}/*`, principal) : principal.includes(`/ns/${pattern}/`);
}

const present = (s: string): boolean => s.length > 0;

/**
 * Request principals `<iss>/<sub>`, split at the last `/` (issuers may be URLs); `*` on either
 * side is a presence/prefix/suffix match of that side (istio/istio:pilot/pkg/security/authz/model/generator.go, requestPrincipalGenerator).
 */
export function istioRequestPrincipalMatch(pattern: string, iss: string | null, sub: string | null): boolean {
  if (iss === null || sub === null) return false;
  const idx = pattern.lastIndexOf('/');
  const found = idx >= 0;
  const pIss = found ? pattern.slice(0, idx) : pattern;
  const pSub = found ? pattern.slice(idx + 1) : '';
  if (pattern === '*') return present(iss) && present(sub);
  if (pattern.startsWith('*')) {
    if (!found) return present(iss) && sub.endsWith(pattern.slice(1));
    return (pIss === '*' ? present(iss) : iss.endsWith(pIss.slice(1))) && sub === pSub;
  }
  if (pattern.endsWith('*')) {
    if (!found) return iss.startsWith(pattern.slice(0, -1)) && present(sub);
    return iss === pIss && (pSub === '*' ? present(sub) : sub.startsWith(pSub.slice(0, -1)));
  }
  return iss === pIss && sub === pSub;
}
