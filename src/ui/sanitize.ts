/**
 * Strips terminal control sequences from text that came from logs, manifests or the
 * cluster before it is displayed: CSI/OSC/DCS escapes, other C0/C1 controls, DEL.
 * Tabs become spaces; newlines are kept only when `keepNewlines` is set.
 */

// CSI (ESC [ or 0x9b ... final byte), OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ ... BEL or ST), two-char ESC sequences.
const ESCAPES =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u009d\u009e\u009f\u0098])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[@-Z\\-_ -/]*[0-~]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControl(text: string, keepNewlines = false): string {
  const noEscapes = text.replace(ESCAPES, '').replace(/\t/g, '  ');
  const cleaned = noEscapes.replace(CONTROLS, '');
  return keepNewlines ? cleaned : cleaned.replace(/\n/g, ' ');
}
