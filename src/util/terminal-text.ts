/**
 * Text from manifests, logs and the cluster must not drive the user's terminal: control
 * characters (ESC, BEL, C1...) are shown escaped, e.g. `\x1b`. Newlines and tabs stay.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * C0 controls become `\x1b`; DEL and C1 (which JSON.stringify leaves raw, and which a terminal
 * may read as CSI/OSC) become `\u009b`, an escape that is also valid inside a JSON string.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    const hex = code.toString(16).padStart(2, '0');
    return code >= 0x7f ? `\\u00${hex}` : `\\x${hex}`;
  });
}

// CSI (ESC [ or 0x9b ... final byte), OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ ... BEL or ST), two-char ESC sequences.
const ESCAPE_SEQUENCES =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u009d\u009e\u009f\u0098])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[@-Z\\-_ -/]*[0-~]?/g;
const OTHER_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from logs, manifests and the cluster, made inert for display: whole escape sequences
 * (so no `[2J` is left behind) and other control characters removed; tabs and newlines kept.
 */
export function removeTerminalSequences(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(OTHER_CONTROLS, '');
}

const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]/g;

/**
 * Text meant for one line of output (a name, a label, a path inside a report line) with CR and LF
 * shown as a backslash and r or n: escapeControlCharacters keeps line breaks, as whole
 * reports have them, so a value with one could print a line of its own.
 */
export function escapeLineBreaks(text: string): string {
  return LINE_BREAK.test(text) ? text.replace(LINE_BREAKS, (c) => (c === '\n' ? '\\n' : '\\r')) : text;
}

/** One line of a text report: escapeLineBreaks, then escapeControlCharacters, with the line's own LF after it. */
export function outputLine(text: string): string {
  return `${escapeControlCharacters(escapeLineBreaks(text))}\n`;
}
