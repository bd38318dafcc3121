/** A document is a list of styled lines; detail views build one and a scroller shows it. */
export type Tone = 'plain' | 'heading' | 'highlight' | 'error' | 'warning' | 'ok' | 'dim';

export interface DocLine {
  readonly text: string;
  readonly tone: Tone;
}

export function line(text: string, tone: Tone = 'plain'): DocLine {
  return { text, tone };
}

/** Pads columns to the widest cell, like istioctl's tabwriter tables. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join(''));
}
