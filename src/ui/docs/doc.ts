/**
 * A document is a list of styled lines (the report layer's line model); detail views build
 * one and a scroller shows it, colouring each line by its role.
 */
import { styled, type Role, type StyledLine } from '../../report/styled-line.js';

export type Tone = Role;
export type DocLine = StyledLine;

export function line(text: string, role: Role = 'plain'): DocLine {
  return styled(text, role);
}

/**
 * Breaks `chars` into a first piece of `first` characters and further pieces of `rest`, at the
 * last space in reach after the line's own indentation, or mid-word when a word is longer.
 */
function breakAtWords(chars: readonly string[], first: number, rest: number): string[] {
  const out: string[] = [];
  let from = 0;
  let lead = 0;
  while (chars[lead] === ' ') lead++;
  let width = first;
  while (chars.length - from > width) {
    let cut = from + width;
    const space = chars.lastIndexOf(' ', cut);
    if (space > Math.max(from, lead)) cut = space;
    out.push(chars.slice(from, cut).join('').trimEnd());
    from = cut;
    while (chars[from] === ' ') from++;
    width = rest;
  }
  out.push(chars.slice(from).join(''));
  return out;
}

/** Wraps long lines to `width` at word boundaries, continuation lines indented under the original's text. */
export function wrapDoc(lines: readonly DocLine[], width: number): DocLine[] {
  const out: DocLine[] = [];
  for (const l of lines) {
    const chars = [...l.text];
    if (chars.length <= width) {
      out.push(l);
      continue;
    }
    const indent = Math.min(Math.floor(width / 2), (/^ */.exec(l.text)?.[0].length ?? 0) + 2);
    breakAtWords(chars, width, width - indent).forEach((t, i) =>
      out.push({ text: i === 0 ? t : ' '.repeat(indent) + t, role: l.role }),
    );
  }
  return out;
}

/** Pads columns to the widest cell, like istioctl's tabwriter tables. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join(''));
}
