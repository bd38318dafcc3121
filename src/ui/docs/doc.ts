/** A document is a list of styled lines; detail views build one and a scroller shows it. */
export type Tone = 'plain' | 'heading' | 'highlight' | 'error' | 'warning' | 'ok' | 'dim';

export interface DocLine {
  readonly text: string;
  readonly tone: Tone;
}

export function line(text: string, tone: Tone = 'plain'): DocLine {
  return { text, tone };
}

/** Wraps long lines to `width`, continuation lines indented under the original's text. */
export function wrapDoc(lines: readonly DocLine[], width: number): DocLine[] {
  const out: DocLine[] = [];
  for (const l of lines) {
    const chars = [...l.text];
    if (chars.length <= width) {
      out.push(l);
      continue;
    }
    const indent = Math.min(Math.floor(width / 2), (/^ */.exec(l.text)?.[0].length ?? 0) + 2);
    out.push({ text: chars.slice(0, width).join(''), tone: l.tone });
    for (let i = width; i < chars.length; i += width - indent) {
      out.push({ text: ' '.repeat(indent) + chars.slice(i, i + width - indent).join(''), tone: l.tone });
    }
  }
  return out;
}

/** Pads columns to the widest cell, like istioctl's tabwriter tables. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join(''));
}
