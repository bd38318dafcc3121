/**
 * Istio's value checks for security.istio.io fields, as istiod's validating webhook runs them
 * (istio/istio pkg/config/security/security.go, the function named on each). Each returns the
 * reason the webhook rejects the values, or null.
 */

/** security.CheckEmptyValues */
export function checkEmptyValues(key: string, values: readonly string[]): string | null {
  return values.some((v) => v === '') ? `empty value not allowed, found in ${key}` : null;
}

/** security.CheckWildcardValues: at most one `*`, and only at the start or end. */
export function checkWildcardValues(key: string, values: readonly string[]): string | null {
  const empty = checkEmptyValues(key, values);
  if (empty) return empty;
  for (const value of values) {
    const count = value.split('*').length - 1;
    if (count > 1) return `at most one wildcard is allowed, found in ${key}: "${value}"`;
    if (count === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*'))
      return `wildcard is only allowed at the start or end, found in ${key}: "${value}"`;
  }
  return null;
}

/** security.CheckTrustDomainValues */
export function checkTrustDomainValues(key: string, values: readonly string[]): string | null {
  const wildcard = checkWildcardValues(key, values);
  if (wildcard) return wildcard;
  const slash = values.find((v) => v.includes('/'));
  return slash !== undefined ? `trust domain must not contain '/', found in ${key}: "${slash}"` : null;
}

/** security.CheckServiceAccount: `sa` or `namespace/sa`, at most 16 values of at most 320 characters. */
export function checkServiceAccount(key: string, values: readonly string[]): string | null {
  if (values.length > 16) return 'may not have more than 16 values';
  const format = `expected format 'serviceAccount' or 'namespace/serviceAccount'`;
  for (const value of values) {
    if (value === '') return `empty value not allowed, found in ${key}`;
    if (value.includes('*')) return `wildcard not allowed, found in ${key}`;
    const slashes = value.split('/').length - 1;
    if (slashes > 1) return `${format}, found "${value}" in ${key}`;
    if (value.length > 320) return `value cannot exceed 320 characters, found "${value}" in ${key}`;
    const [ns, sa] = value.split('/');
    if (slashes === 1 && ns === '') return `${format}, found empty namespace "${value}" in ${key}`;
    if (slashes === 1 && sa === '') return `${format}, found empty serviceAccount "${value}" in ${key}`;
  }
  return null;
}

// RFC 3986 pchar, as security.go's validLiteral
const VALID_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** security.CheckValidPathTemplate: `{*}` segments, one trailing `{**}`, no other braces. */
export function checkValidPathTemplate(key: string, paths: readonly string[]): string | null {
  for (const original of paths) {
    const hasTemplate = original.includes('{*}') || original.includes('{**}');
    const path = original.replace(/^\/+|\/+$/g, '');
    let sawMatchAny = false;
    for (const glob of path.split('/')) {
      const template = glob === '{*}' || glob === '{**}';
      if (template && sawMatchAny)
        return `invalid or unsupported path ${path}, found in ${key}. {**} is not the last operator`;
      if (template) {
        sawMatchAny = glob === '{**}';
        continue;
      }
      if (/[{}]/.test(glob))
        return `invalid or unsupported path ${path}, found in ${key}. Contains '{' or '}' beyond a supported path template`;
      if (hasTemplate && !VALID_LITERAL.test(glob))
        return `invalid or unsupported path ${path}, found in ${key}. Contains segment ${glob} with invalid string literal`;
    }
  }
  return null;
}

const DECIMAL_OCTET = /^(0|[1-9]\d{0,2})$/;

/** Go's netip.ParseAddr: dotted quad without leading zeros, or IPv6 (a zone only on IPv6). */
function goParseAddr(text: string, allowZone: boolean): boolean {
  if (/^[\d.]+$/.test(text))
    return text.split('.').length === 4 && text.split('.').every((o) => DECIMAL_OCTET.test(o) && Number(o) <= 255);
  let addr = text;
  const zone = text.indexOf('%');
  if (zone >= 0) {
    if (!allowZone || zone === text.length - 1) return false;
    addr = text.slice(0, zone);
  }
  if (!addr.includes(':')) return false;
  const v4Tail = /^(.*:)([\d.]+)$/.exec(addr);
  if (v4Tail && !goParseAddr(v4Tail[2] as string, false)) return false;
  return isIpv6(v4Tail ? `${v4Tail[1] as string}0:0` : addr);
}

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const all = halves.flatMap(groups);
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? all.length <= 7 : all.length === 8;
}

/** security.ValidateIPs: each value is an address (netip.ParseAddr) or a CIDR (netip.ParsePrefix). */
export function validateIps(values: readonly string[]): string | null {
  for (const v of values) {
    const slash = v.indexOf('/');
    if (slash >= 0) {
      const bits = v.slice(slash + 1);
      const addr = v.slice(0, slash);
      const max = addr.includes(':') ? 128 : 32;
      if (!goParseAddr(addr, false) || !DECIMAL_OCTET.test(bits) || Number(bits) > max) return `bad CIDR range (${v})`;
    } else if (!goParseAddr(v, true)) return `bad IP address (${v})`;
  }
  return null;
}

/** security.ValidatePorts: strconv.ParseUint(port, 10, 32) and at most 65535. */
export function validatePorts(values: readonly string[]): string | null {
  const bad = values.find((p) => !/^\d+$/.test(p) || Number(p) > 65535);
  return bad === undefined ? null : `bad port (${bad})`;
}

/** security.validateMapKey: `a[b]` with a non-empty prefix and key. */
function validateMapKey(key: string): string | null {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2 ? null : `bad key (${key}): should have format a[b]`;
}

const PLAIN_KEYS = new Set([
  'source.namespace',
  'source.principal',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'connection.sni',
]);

/** security.ValidateAttribute: the `when` keys istiod knows and the values each takes. */
export function validateAttribute(key: string, values: readonly string[]): string | null {
  const empty = checkEmptyValues(key, values);
  if (empty) return empty;
  if (key.startsWith('request.headers') || key.startsWith('request.auth.claims')) return validateMapKey(key);
  if (key.startsWith('experimental.envoy.filters.')) return validateMapKey(key);
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') return validateIps(values);
  if (key === 'source.serviceAccount') return checkServiceAccount(key, values);
  if (key === 'source.trustDomain') return checkWildcardValues(key, values);
  if (key === 'destination.port') return validatePorts(values);
  if (PLAIN_KEYS.has(key)) return null;
  if (key === 'destination.namespace') return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  if (key === 'destination.name' || key === 'destination.user')
    return `deprecated attribute ${key}: only supported in v1alpha1`;
  return `unknown attribute: ${key}`;
}

/**
 * security.ParseJwksURI: Go's url.Parse, then a scheme of http or https and a numeric port.
 * url.Parse lower-cases the scheme and rejects a non-numeric port after the host.
 */
export function parseJwksUri(uri: string): string | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  const name = scheme ? (scheme[1] as string).toLowerCase() : '';
  if (name !== 'http' && name !== 'https') return `URI scheme "${name}" is not supported`;
  const rest = uri.slice((scheme?.[0] ?? '').length);
  if (!rest.startsWith('//')) return null;
  const authority = (rest.slice(2).split(/[/?#]/)[0] ?? '').replace(/^.*@/, '');
  const hostPort = authority.startsWith('[') ? authority.slice(authority.indexOf(']') + 1) : authority;
  const colon = hostPort.lastIndexOf(':');
  if (colon >= 0 && !/^\d*$/.test(hostPort.slice(colon + 1)))
    return `parse "${uri}": invalid port "${hostPort.slice(colon)}" after host`;
  return null;
}
