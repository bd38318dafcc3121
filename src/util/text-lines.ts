/**
 * Line numbers of offsets in a text (lines end at LF; a CR before it is its line's last column),
 * for the places errors and entries are reported at: manifests, check files, config dumps.
 */

/** Offsets where each line starts, so a position's line is a binary search away. */
/**
 * Lines a YAML text may have. Reading YAML costs memory per line whatever the line holds (our line
 * table, and js-yaml's error snippet, which lists every line start of the whole text: 100 million
 * blank lines took 4 GB and 28 s). Real manifests average over 20 bytes a line (a synthetic
 * 10k-pod `kind: List` dump: 23), so within the 512 Mi input cap only a text of mostly empty lines
 * gets past this many.
 */
export const MAX_YAML_LINES = 25_000_000;

export const TOO_MANY_LINES_REASON = `has more than ${MAX_YAML_LINES.toLocaleString('en-US')} lines, mostly empty (real manifests average over 20 bytes a line); remove the blank lines, or split the file`;

/** Whether `text` has more than `max` lines, counted without keeping them (stops at max + 1). */
export function hasMoreLinesThan(text: string, max: number): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (++lines > max) return true;
  return false;
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of `position`, given the text's lineStarts. */
export function lineOf(starts: readonly number[], position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const starts = lineStarts(text);
  const line = lineOf(starts, offset);
  return { line, column: offset - (starts[line - 1] ?? 0) + 1 };
}

/**
 * Where a YAML node that js-yaml's listener opened at `position` really starts: js-yaml opens it
 * before the blanks, comments and `---` that lead to it, so its first character of its own is
 * past them.
 */
export function yamlNodeStart(text: string, position: number): number {
  let p = position;
  while (p < text.length) {
    const ch = text[p];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') p++;
    else if (ch === '#') while (p < text.length && text[p] !== '\n') p++;
    else if (ch === '-' && text.startsWith('---', p)) p += 3;
    else break;
  }
  return p;
}
