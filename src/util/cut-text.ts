/**
 * Error messages quote the input (a name, a label, a YAML line) so the user can find it; a 1 MB
 * value must not make a 1 MB line. Every error path (MeshdbgError, findings, explain's Error
 * lines, server text, internal errors) cuts with this one helper.
 */

/** A run of characters without a space longer than this is cut (a name, a label, a token). */
export const MAX_VALUE_CHARS = 200;
/** A whole message longer than this is cut (a long value with spaces in it). */
export const MAX_MESSAGE_CHARS = 2000;

/** The head and `...` make `max` characters, so a cut value is not cut again. */
function cut(text: string, max: number, length = text.length): string {
  return `${text.slice(0, max - 3)}... (${length} characters, cut)`;
}

/**
 * One value cut to `max` characters (its head and `...`), saying how long it was: a name in
 * a message, a server's text. `length` is the original length when `text` is already a head.
 */
export function cutText(text: string, max: number, length = text.length): string {
  return text.length <= max && length <= text.length ? text : cut(text, max, length);
}

const LONG_RUN = new RegExp(`\\S{${MAX_VALUE_CHARS + 1},}`, 'g');

/** The message with every long value cut to its head, and the whole cut when still too long. */
export function cutLongValues(message: string, maxMessage = MAX_MESSAGE_CHARS): string {
  const short =
    message.length <= MAX_VALUE_CHARS ? message : message.replace(LONG_RUN, (run) => cut(run, MAX_VALUE_CHARS));
  return short.length > maxMessage ? cut(short, maxMessage) : short;
}

/**
 * A value from the input as a message quotes it: a string in quotes, anything else as the JSON it
 * is (`["STRICT"]`, `{"a":1}`, `5`), so a list or map is never shown as its text (`"STRICT" is not
 * ... STRICT`, `"[object Object]"`). Cut past MAX_VALUE_CHARS.
 */
export function quotedValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a cycle or a BigInt; input values are neither
  }
  return cutText(text, MAX_VALUE_CHARS);
}
