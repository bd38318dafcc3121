/**
 * The styled line model: report formatters produce lines of text, each with a role; the CLI
 * renders them as plain text (roles dropped), the TUI documents colour them by role. One
 * model, so an explanation, a nearest miss, a fix or a denial is formatted once.
 */

import { escapeLineBreaks } from '../util/terminal-text.js';

/** What a line is, not how it looks: the TUI's theme maps roles to colours (or bold/inverse without colour). */
export type Role = 'plain' | 'heading' | 'highlight' | 'error' | 'warning' | 'ok' | 'dim';

export interface StyledLine {
  readonly text: string;
  readonly role: Role;
}

/**
 * A line's text with its line breaks escaped (escapeLineBreaks): a line break from a manifest
 * name, a label or a request path started a line of its own, so a Pod named "x", newline,
 * "ALLOWED ..." printed a verdict line that explain never gave.
 */
export function styled(text: string, role: Role = 'plain'): StyledLine {
  return { text: escapeLineBreaks(text), role };
}

/** Multi-line text as lines of one role (`| ` YAML blocks, indented bodies). */
export function styledBlock(text: string, prefix: string, role: Role = 'plain'): StyledLine[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => styled(`${prefix}${l}`, role));
}

/** The CLI's rendering: the text of each line, newline-terminated. */
export function plainText(lines: readonly StyledLine[]): string {
  return `${lines.map((l) => l.text).join('\n')}\n`;
}
