/**
 * How deeply YAML or JSON text nests, found by a linear scan before any recursive parser sees it.
 * js-yaml (and every walker of ours) recurses once per level: a few thousand `[` overflow the
 * stack. Kubernetes objects nest a few dozen levels, so anything past MAX_NESTING_DEPTH is
 * refused with its line instead of crashing.
 *
 * The scan over-approximates block nesting (each deeper indentation and each compact `- `/`? `
 * is one level) and counts flow `[`/`{` outside quoted scalars, comments and block scalars.
 */
export const MAX_NESTING_DEPTH = 512;

export interface NestingExcess {
  readonly line: number;
  readonly column: number;
  readonly depth: number;
}

interface ScanState {
  flow: number;
  quote: '"' | "'" | null;
  blockScalarIndent: number | null;
  readonly indents: number[];
}

const OPENS_VALUE = new Set(['', ':', '-', '?']);
const FLOW_SEPARATORS = new Set(['[', '{', ',', ':']);

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

/** Levels the start of a block line adds: its indentation level plus compact `- `/`? ` entries. */
function blockDepth(state: ScanState, line: string, indent: number): { depth: number; start: number } {
  while (state.indents.length > 0 && (state.indents[state.indents.length - 1] as number) >= indent) state.indents.pop();
  state.indents.push(indent);
  let p = indent;
  let compact = 0;
  while ((line[p] === '-' || line[p] === '?') && (line[p + 1] === ' ' || line[p + 1] === '\t')) {
    compact++;
    p += 2;
    while (line[p] === ' ' || line[p] === '\t') p++;
  }
  return { depth: state.indents.length + compact, start: p };
}

/** Scans one line's characters; returns the column where the limit is passed, or -1. */
function scanCharacters(state: ScanState, line: string, start: number, base: number, limit: number): number {
  let previous = start === 0 ? '' : (line.slice(0, start).trimEnd().slice(-1) ?? '');
  for (let i = start; i < line.length; i++) {
    const ch = line[i] as string;
    if (state.quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') state.quote = null;
      continue;
    }
    if (state.quote === "'") {
      if (ch === "'" && line[i + 1] === "'") i++;
      else if (ch === "'") state.quote = null;
      continue;
    }
    if (ch === ' ' || ch === '\t') continue;
    const afterSpace = i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t';
    const opensHere = state.flow > 0 ? FLOW_SEPARATORS.has(previous) || afterSpace : OPENS_VALUE.has(previous);
    if (ch === '#' && afterSpace) return -1;
    if ((ch === '"' || ch === "'") && (opensHere || afterSpace)) state.quote = ch;
    else if ((ch === '[' || ch === '{') && (state.flow > 0 || (afterSpace && opensHere))) {
      state.flow++;
      if (base + state.flow > limit) return i + 1;
    } else if ((ch === ']' || ch === '}') && state.flow > 0) state.flow--;
    previous = ch;
  }
  return -1;
}

const BLOCK_SCALAR_HEADER = /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/;

/** The first place where `text` nests deeper than `limit`, or null. */
export function findExcessiveNesting(text: string, limit = MAX_NESTING_DEPTH): NestingExcess | null {
  // every level the scan counts takes a character of its own (an indentation column, a `[` or `{`,
  // a compact `- `) but a line's first: a text shorter than the limit cannot pass it, and every
  // ordinary log record, batch query or small manifest needs no scan
  if (text.length < limit) return null;
  const state: ScanState = { flow: 0, quote: null, blockScalarIndent: null, indents: [] };
  // line by line without split(): an array of every line is memory per line whatever the line
  // holds, and past about 134 million lines (a file of blank lines) V8 aborts the process
  for (let n = 0, from = 0; from !== -1; n++) {
    const nl = text.indexOf('\n', from);
    const line = nl === -1 ? text.slice(from) : text.slice(from, nl);
    from = nl === -1 ? -1 : nl + 1;
    const indent = indentOf(line);
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    if (state.blockScalarIndent !== null) {
      if (blank || indent > state.blockScalarIndent) continue;
      state.blockScalarIndent = null;
    }
    if (blank && state.quote === null) continue;
    let base = 0;
    let start = 0;
    if (state.flow === 0 && state.quote === null) {
      if (line.startsWith('---') || line.startsWith('...')) state.indents.length = 0;
      const block = blockDepth(state, line, indent);
      if (block.depth > limit) return { line: n + 1, column: block.start + 1, depth: block.depth };
      base = block.depth;
      start = block.start;
    }
    const column = scanCharacters(state, line, start, base, limit);
    if (column > 0) return { line: n + 1, column, depth: base + state.flow };
    if (state.flow === 0 && state.quote === null && BLOCK_SCALAR_HEADER.test(line.trimEnd()))
      state.blockScalarIndent = indent;
  }
  return null;
}

/** One sentence for an error message. */
export function describeNestingExcess(e: NestingExcess): string {
  return `nesting deeper than ${MAX_NESTING_DEPTH} levels (line ${e.line}, column ${e.column}); meshdbg reads at most ${MAX_NESTING_DEPTH} levels of nested lists and maps`;
}
