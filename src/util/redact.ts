/**
 * Secret redaction for everything meshdbg prints from logs: Authorization, Cookie,
 * Set-Cookie, `*-token`, `*-api-key` values and JWT-shaped strings. Also strips terminal
 * control characters so evidence lines are safe to display.
 */
import { removeTerminalSequences } from './terminal-text.js';

export const REDACTED = '<redacted>';
export const REDACTED_JWT = '<redacted-jwt>';

const SECRET_EXACT = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'api-key',
  'apikey',
  'token',
]);

/** true for header names whose values are secrets. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    SECRET_EXACT.has(n) ||
    n.endsWith('-token') ||
    n.endsWith('_token') ||
    n.endsWith('-api-key') ||
    n.endsWith('_api_key')
  );
}

// name, separator (`', '` in Envoy dumps, `: ` in HTTP, `":"` in JSON, `=`), value up to a quote or line end
// a secret-bearing name (its last word is enough: `x-auth-token`, `x-api-key`), separator
// (`', '` in Envoy dumps, `: ` in HTTP, `":"` in JSON, `=`), value up to a quote or line end.
// Literal alternations only: linear, no backtracking on long lines.
const SECRET_PAIR = /(authorization|cookie|token|api[-_]?key)(['"]?[ \t]*[,:=][ \t]*['"]?)([^'"\r\n]+)/gi;
const MARKERS = /authorization|cookie|token|api[-_]?key|eyJ/i;
const HAS_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// one scan for the common clean line: any control character or secret marker
const NEEDS_WORK = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|authorization|cookie|token|api[-_]?key|eyJ/i;

function isB64Url(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

function runEnd(s: string, i: number): number {
  while (i < s.length && isB64Url(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Replaces JWT-shaped strings (`eyJ<b64url>.<b64url>.<b64url>`). A single left-to-right scan:
 * each character is visited a bounded number of times, whatever the input (no regex backtracking).
 */
export function redactJwts(text: string): string {
  let out = '';
  let from = 0;
  let at = text.indexOf('eyJ');
  while (at !== -1) {
    const head = runEnd(text, at);
    const body = text.charCodeAt(head) === 46 ? runEnd(text, head + 1) : -1;
    const sig = body > head + 2 && text.charCodeAt(body) === 46 ? runEnd(text, body + 1) : -1;
    if (head - at >= 5 && sig !== -1) {
      out += text.slice(from, at) + REDACTED_JWT;
      from = sig;
      at = text.indexOf('eyJ', sig);
    } else at = text.indexOf('eyJ', Math.max(head, at + 3));
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Redacts a value given its header name. */
export function redactHeaderValue(name: string, value: string): string {
  if (isSecretHeader(name)) return REDACTED;
  return value.indexOf('eyJ') === -1 ? value : redactJwts(value);
}

/** Redacts secrets inside free text (a log line). Cheap when the line has no marker. */
export function redactText(text: string): string {
  if (!MARKERS.test(text)) return text;
  let out = text.replace(SECRET_PAIR, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  if (out.indexOf('eyJ') !== -1) out = redactJwts(out);
  return out;
}

/**
 * Removes terminal sequences and control characters, line breaks dropped (an evidence line stays one
 * line). The TUI's stripControl (ui/sanitize.ts) differs: tabs become spaces and a newline a space.
 */
export function oneLineWithoutControl(text: string): string {
  return HAS_CONTROL.test(text) ? removeTerminalSequences(text).replace(/[\n\r]/g, '') : text;
}

/** What evidence lines go through: control characters stripped, then secrets redacted. */
export function sanitizeEvidence(line: string): string {
  return NEEDS_WORK.test(line) ? redactText(oneLineWithoutControl(line)) : line;
}
