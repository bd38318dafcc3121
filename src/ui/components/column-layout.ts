/**
 * Column widths from the content and the terminal width, as k9s sizes its table columns to
 * their widest cell (derailed/k9s:internal/ui/table.go). When the terminal is too narrow,
 * columns with a `drop` rank go first (highest rank first), then content-sized columns shrink
 * towards their minimum; the table says how many columns it hid, never silently.
 */

export interface ColumnSpec {
  readonly title: string;
  /** fixed width */
  readonly width?: number;
  /** content-sized columns: not cut below this, unless the content is narrower (default: the title, at most 8) */
  readonly min?: number;
  /** content-sized columns: never wider than this */
  readonly max?: number;
  /** dropped when the terminal is too narrow, highest rank first; columns without it stay */
  readonly drop?: number;
}

export interface ColumnLayout {
  /** width of each column; 0 for a hidden one */
  readonly widths: readonly number[];
  /** titles of the columns hidden for lack of room */
  readonly hidden: readonly string[];
}

const GAP = 1;
/** content-sized columns are cut to this before another column is dropped */
const COMFORTABLE = 24;

function minOf(c: ColumnSpec, natural: number): number {
  return Math.min(natural, c.width ?? c.min ?? Math.min(8, Math.max(3, c.title.length)));
}

function total(widths: readonly number[], shown: readonly boolean[]): number {
  let sum = 0;
  let count = 0;
  widths.forEach((w, i) => {
    if (!shown[i]) return;
    sum += w;
    count++;
  });
  return sum + Math.max(0, count - 1) * GAP;
}

/** `cells[i]` holds the texts of column i on screen. */
export function layoutColumns(
  columns: readonly ColumnSpec[],
  cells: readonly (readonly string[])[],
  width: number,
): ColumnLayout {
  const natural = columns.map((c, i) => {
    if (c.width !== undefined) return c.width;
    const widest = (cells[i] ?? []).reduce((n, t) => Math.max(n, [...t].length), c.title.length);
    return Math.min(c.max ?? Number.POSITIVE_INFINITY, widest);
  });
  const shown = columns.map(() => true);
  const mins = columns.map((c, i) => minOf(c, natural[i] ?? 0));
  const droppable = columns
    .map((c, i) => ({ rank: c.drop, i }))
    .filter((d): d is { rank: number; i: number } => d.rank !== undefined)
    .sort((a, b) => b.rank - a.rank);
  // a column is dropped only when the others would not fit even cut to a comfortable width
  const comfortable = natural.map((w, i) => Math.min(w, Math.max(mins[i] ?? 0, COMFORTABLE)));
  for (const d of droppable) {
    if (total(comfortable, shown) <= width) break;
    shown[d.i] = false;
  }
  const widths = natural.map((w, i) => (shown[i] ? w : 0));
  shrink(widths, mins, shown, width);
  const hidden = columns.filter((_, i) => !shown[i]).map((c) => c.title);
  return { widths, hidden };
}

/** Takes columns down one character at a time, widest first, until they fit or reach their minimum. */
function shrink(widths: number[], mins: readonly number[], shown: readonly boolean[], width: number): void {
  let excess = total(widths, shown) - width;
  while (excess > 0) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (shown[i] && w > (mins[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess--;
  }
}

/** `‹2 hidden›`: what the header says when columns were dropped. */
export function hiddenMark(hidden: readonly string[]): string {
  return hidden.length === 0 ? '' : ` ‹${hidden.length} hidden: ${hidden.join(', ').toLowerCase()}›`;
}
