/**
 * Text from manifests, logs and the cluster must not drive the user's terminal: control
 * characters (ESC, BEL, C1...) are shown escaped, e.g. `\x1b`. Newlines and tabs stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
