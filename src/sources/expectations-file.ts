/** Reads a check file (the schema of each example's expect.yaml): a YAML list of queries, each with an expect block. */
import yaml from 'js-yaml';
import { describeNestingExcess, findExcessiveNesting } from '../util/nesting-depth.js';
import { inputError } from '../util/errors.js';
import { decodeTextStrict, notUtf8Message } from '../util/utf8.js';
import { readInputFile } from '../util/input-bytes.js';
import { kubectlYamlReason, NUL_BYTE_REASON, nulBytePlace, yamlErrorPlace } from '../util/kubectl-yaml.js';
import {
  hasMoreLinesThan,
  lineOf,
  lineStarts,
  MAX_YAML_LINES,
  TOO_MANY_LINES_REASON,
  yamlNodeStart,
} from '../util/text-lines.js';

/** The entries of a check file, each with the 1-based line it starts on. */
export interface ExpectationEntries {
  readonly items: unknown[];
  readonly lines: (number | undefined)[];
}

export async function readExpectations(file: string): Promise<unknown[]> {
  return (await readExpectationEntries(file)).items;
}

interface ClosedNode {
  readonly depth: number;
  readonly start: number;
  readonly result: unknown;
}

/** Every node js-yaml composes, with its depth and where it opened (its listener's events). */
function nodeRecorder(): {
  listener: (event: string, state: { position: number; result: unknown }) => void;
  closed: ClosedNode[];
} {
  const closed: ClosedNode[] = [];
  const open: number[] = [];
  const listener = (event: string, state: { position: number; result: unknown }): void => {
    if (event === 'open') open.push(state.position);
    else closed.push({ depth: open.length, start: open.pop() ?? 0, result: state.result });
  };
  return { listener, closed };
}

/**
 * The 1-based line each item of the top-level list starts on (undefined when unknown). The list is
 * the innermost node whose result is `doc` (a flow list is composed at two depths); its items are
 * the nodes one deeper, matched in order (an empty `-` item composes no node and gets no line).
 */
function itemLines(text: string, doc: readonly unknown[], closed: readonly ClosedNode[]): (number | undefined)[] {
  let listDepth = 0;
  for (const c of closed) if (c.result === doc) listDepth = Math.max(listDepth, c.depth);
  const nodes = closed.filter((c) => c.depth === listDepth + 1);
  const starts = lineStarts(text);
  let next = 0;
  return doc.map((item) => {
    const node = nodes[next];
    if (node === undefined || node.result !== item) return undefined;
    next++;
    return lineOf(starts, yamlNodeStart(text, node.start));
  });
}

export async function readExpectationEntries(file: string): Promise<ExpectationEntries> {
  const bytes = await readInputFile(file, 'split the queries over several check files');
  // refused like a manifest (sources/manifests/load.ts): a lenient read would turn the bytes into U+FFFD
  // in names and paths, and the check would then test other queries than the ones written
  const decoded = decodeTextStrict(bytes);
  if (!decoded.ok) throw inputError('yaml-syntax', notUtf8Message(file, decoded.line, decoded.column, decoded.utf16));
  const text = decoded.text;
  const deep = findExcessiveNesting(text);
  if (deep) throw inputError('nesting-too-deep', `${file}:${deep.line}: ${describeNestingExcess(deep)}`);
  // before js-yaml, whose refusal of a NUL costs memory in proportion to the NULs (nulBytePlace)
  const nul = nulBytePlace(text);
  if (nul) throw inputError('yaml-syntax', `${file}:${nul.line}:${nul.column}: ${NUL_BYTE_REASON}`);
  if (hasMoreLinesThan(text, MAX_YAML_LINES)) throw inputError('yaml-syntax', `${file} ${TOO_MANY_LINES_REASON}`);
  let doc: unknown;
  const recorder = nodeRecorder();
  try {
    doc = yaml.load(text, { listener: recorder.listener } as yaml.LoadOptions);
  } catch (err) {
    const place = err instanceof yaml.YAMLException ? yamlErrorPlace(text, err) : null;
    const m = place ? `:${place.line}:${place.column}` : '';
    // js-yaml's message repeats its own (for a NUL, wrong) place: its reason is the words alone
    const reason = err instanceof yaml.YAMLException ? kubectlYamlReason(err) : (err as Error).message;
    throw inputError('yaml-syntax', `${file}${m}: ${reason.split('\n')[0] ?? ''}`);
  }
  if (!Array.isArray(doc))
    throw inputError('bad-check-file', `${file}: must be a YAML list of queries, each with an expect block`);
  // a CI gate over a file that lost its entries (an emptied list, a bad merge) would pass with nothing checked
  if (doc.length === 0)
    throw inputError(
      'bad-check-file',
      `${file}: has no checks (an empty list); a check file is a YAML list of queries, each with an expect block`,
    );
  return { items: doc, lines: itemLines(text, doc, recorder.closed) };
}
