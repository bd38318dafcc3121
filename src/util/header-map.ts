/** HTTP header maps as Envoy's matchers read them. */

/**
 * Adds a header to a request's map. A name given twice (or in two cases) is one field with both
 * values joined by `,`, as Envoy's header matchers (RBAC, JWT, CEL) read duplicate headers since
 * CVE-2020-25017 ("Multiple individual headers will be logically concatenated with ','":
 * https://www.envoyproxy.io/docs/envoy/latest/version_history/v1.12/v1.12.7).
 */
export function addHeader(headers: Record<string, string>, name: string, value: string): void {
  const key = name.toLowerCase();
  const joined = Object.hasOwn(headers, key) ? `${headers[key] ?? ''},${value}` : value;
  // defined, not assigned: `__proto__` is a valid header name, and assigning it would set the prototype
  Object.defineProperty(headers, key, { value: joined, enumerable: true, writable: true, configurable: true });
}
