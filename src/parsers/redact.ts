/**
 * Secret redaction for everything meshdbg prints from logs: Authorization, Cookie,
 * Set-Cookie, `*-token`, `*-api-key` values and JWT-shaped strings. Also strips terminal
 * control characters so evidence lines are safe to display.
 */

export const REDACTED = '<redacted>';
export const REDACTED_JWT = '<redacted-jwt>';

const SECRET_EXACT = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'api-key', 'apikey', 'token']);

/** true for header names whose values are secrets. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_EXACT.has(n) || n.endsWith('-token') || n.endsWith('_token') || n.endsWith('-api-key') || n.endsWith('_api_key');
}

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
// name, separator (`', '` in Envoy dumps, `: ` in HTTP, `":"` in JSON, `=`), value up to a quote or line end
// a secret-bearing name (its last word is enough: `x-auth-token`, `x-api-key`), separator
// (`', '` in Envoy dumps, `: ` in HTTP, `":"` in JSON, `=`), value up to a quote or line end.
// Literal alternations only: linear, no backtracking on long lines.
const SECRET_PAIR = /(authorization|cookie|token|api[-_]?key)(['"]?[ \t]*[,:=][ \t]*['"]?)([^'"\r\n]+)/gi;
const MARKERS = /authorization|cookie|token|api[-_]?key|eyJ/i;
// C0 controls except tab, DEL, and C1 controls (ESC starts every terminal sequence)
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const HAS_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// one scan for the common clean line: any control character or secret marker
const NEEDS_WORK = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|authorization|cookie|token|api[-_]?key|eyJ/i;

/** Redacts a value given its header name. */
export function redactHeaderValue(name: string, value: string): string {
  if (isSecretHeader(name)) return REDACTED;
  return value.indexOf('eyJ') === -1 ? value : value.replace(JWT_SHAPE, REDACTED_JWT);
}

/** Redacts secrets inside free text (a log line). Cheap when the line has no marker. */
export function redactText(text: string): string {
  if (!MARKERS.test(text)) return text;
  let out = text.replace(SECRET_PAIR, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  if (out.indexOf('eyJ') !== -1) out = out.replace(JWT_SHAPE, REDACTED_JWT);
  return out;
}

/** Removes control characters (escape sequences become inert text). */
export function stripControl(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(CONTROL, '') : text;
}

/** What evidence lines go through: control characters stripped, then secrets redacted. */
export function sanitizeEvidence(line: string): string {
  return NEEDS_WORK.test(line) ? redactText(stripControl(line)) : line;
}
