/**
 * Text that comes from the API server or a credential plugin (Status messages, error
 * bodies) is data, never a channel: control characters and escape sequences are removed,
 * bearer tokens and JWTs redacted, and the result cut, before it reaches a message, the
 * TUI or a snapshot (issue: a Status message with CR characters injected YAML).
 */
import { cutText } from '../../util/cut-text.js';
import { oneLineWithoutControl, redactText } from '../../util/redact.js';

/** Server messages are cut to this many characters (a 50 MB body makes no 50 MB line). */
export const MAX_SERVER_TEXT = 300;

const BEARER = /\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+/gi;

/** One inert line: no control characters, no secrets, at most `max` characters. */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const clean = redactText(oneLineWithoutControl(head.replace(/[\r\n\t]+/g, ' '))).replace(BEARER, '$1$2<redacted>');
  // the cut says how long the server's text was (util/cut-text.ts, as every error message)
  return cutText(clean, max, text.length > head.length ? text.length : clean.length);
}
