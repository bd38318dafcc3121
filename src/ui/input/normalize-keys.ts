/**
 * Turns one Ink input event into the key names the keymap uses. Fast typing and
 * pasting deliver several characters (even an Enter) in one event: each becomes its own key.
 */
import type { Key } from 'ink';

const CONTROL_CHAR_KEYS: Readonly<Record<string, string>> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\u007f': 'backspace',
  '\b': 'backspace',
  '\u001b': 'esc',
};

function specialKey(key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  return null;
}

/** Splits raw text into keys: printable characters as themselves, control characters by name. */
export function splitText(text: string): string[] {
  const keys: string[] = [];
  for (const ch of text) {
    const named = CONTROL_CHAR_KEYS[ch];
    if (named !== undefined) keys.push(named);
    else if (ch >= ' ') keys.push(ch);
  }
  return keys;
}

export function normalizeKeys(input: string, key: Key): string[] {
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (input.length <= 1) {
    const special = specialKey(key);
    if (special !== null) return [special];
  }
  if (input.length === 0) return [];
  return splitText(input);
}
