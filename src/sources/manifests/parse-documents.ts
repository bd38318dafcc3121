/**
 * Text of one manifest file -> Kubernetes objects with source lines.
 * YAML goes through js-yaml (fast, errors with line and column) with two guards of ours:
 * alias expansion is bounded (a billion-laughs file loads as a small shared graph and
 * explodes only when walked), and every nested object/array gets its source line.
 * JSON goes through JSON.parse.
 */
import { isRecord } from '../../util/is-record.js';
import yaml from 'js-yaml';
import {
  KUBECTL_YAML_SCHEMA,
  kubectlYamlReason,
  NUL_BYTE_REASON,
  nulBytePlace,
  yamlErrorPlace,
} from '../../util/kubectl-yaml.js';
import type { RawObject } from '../../model/raw.js';
import { finding, type Finding } from '../../model/findings.js';
import { findDuplicateKey, findJsonError } from './json-error.js';
import {
  hasMoreLinesThan,
  lineAndColumn,
  lineOf,
  lineStarts,
  MAX_YAML_LINES,
  TOO_MANY_LINES_REASON,
  yamlNodeStart,
} from '../../util/text-lines.js';
import { snapshotGaps, type SnapshotGap } from './snapshot-gaps.js';
import { describeNestingExcess, findExcessiveNesting, MAX_NESTING_DEPTH } from '../../util/nesting-depth.js';

export interface ParsedFile {
  readonly objects: RawObject[];
  readonly findings: Finding[];
  /** what a `meshdbg snapshot` file says it could not read (status.gaps) */
  readonly gaps?: SnapshotGap[];
}

/** Nodes visited when walking a document may not exceed this many per byte of text (aliases excepted). */
const MIN_NODE_BUDGET = 10_000;

/** Walks a loaded document counting every visit (shared nodes count each time); throws past the budget. */
export function assertExpansionWithin(root: unknown, budget: number): void {
  const stack: unknown[] = [root];
  let visits = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (++visits > budget) throw new RangeError(`alias expansion exceeds ${budget} nodes`);
    if (Array.isArray(node)) {
      for (const item of node)
        if (item !== null && typeof item === 'object') stack.push(item);
        else visits++;
    } else if (node !== null && typeof node === 'object') {
      for (const value of Object.values(node as Record<string, unknown>)) {
        if (value !== null && typeof value === 'object') stack.push(value);
        else visits++;
      }
    }
  }
}

/** `name: 123` and `namespace: true` are kept as the strings kubectl sends (sigs.k8s.io/yaml converts to the string field). */
function nameScalarsAsStrings(object: Record<string, unknown>): Record<string, unknown> {
  const meta = object['metadata'];
  if (!isRecord(meta)) return object;
  let fixed: Record<string, unknown> | null = null;
  for (const key of ['name', 'namespace', 'generateName']) {
    const v = meta[key];
    if (typeof v === 'number' || typeof v === 'boolean') (fixed ??= { ...meta })[key] = String(v);
  }
  return fixed ? { ...object, metadata: fixed } : object;
}

/** A List item that is no object (null, a scalar, a list), or a List whose items are no list: reported, not flattened. */
interface SkippedItem {
  /** `items[2]`, `items[0].items[1]` for a List inside a List; `items` when the items are no list */
  readonly path: string;
  readonly what: string;
  readonly line: number | null;
}

const LIST_KIND = /List$/;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Flattens `kind: List` and `XxxList` documents; items without kind take it from the list kind.
 * A List inside a List is flattened too, as kubectl does (cli-runtime resource/visitor.go
 * FlattenListVisitor walks itemsToProcess until no list is left): read as one object of the
 * unknown kind List, a DENY policy inside it went missing. Walked with a stack (nesting is
 * bounded by MAX_NESTING_DEPTH before any parse).
 */
function flattenDocument(
  doc: unknown,
  out: Record<string, unknown>[],
  lines: WeakMap<object, number> | null,
  skipped: SkippedItem[],
): void {
  if (Array.isArray(doc)) {
    for (const d of doc) flattenDocument(d, out, lines, skipped);
    return;
  }
  if (!isRecord(doc)) return;
  const pending: { object: Record<string, unknown>; path: string }[] = [{ object: doc, path: '' }];
  for (let next = 0; next < pending.length; next++) {
    const { object: current, path } = pending[next] as { object: Record<string, unknown>; path: string };
    const kind = current['kind'];
    if (typeof kind !== 'string' || !LIST_KIND.test(kind)) {
      out.push(keepLine(current, nameScalarsAsStrings(current), lines));
      continue;
    }
    const items = current['items'];
    // an empty List (items null or left out) holds nothing; items that are no list: kubectl refuses the file
    if (items === null || items === undefined) continue;
    if (!Array.isArray(items)) {
      skipped.push({ path: `${path}items`, what: describeValue(items), line: lines?.get(current) ?? null });
      continue;
    }
    const itemKind = kind === 'List' ? null : kind.slice(0, -4);
    for (const [index, item] of (items as unknown[]).entries()) {
      // kubectl refuses such an item; dropped without a word, a policy written inside it went missing
      if (!isRecord(item)) {
        const line = Array.isArray(item) ? (lines?.get(item) ?? null) : (lines?.get(items) ?? null);
        skipped.push({ path: `${path}items[${index}]`, what: describeValue(item), line });
        continue;
      }
      // PodList items carry neither kind nor apiVersion: they take the list's
      const filled =
        item['kind'] === undefined && itemKind
          ? { ...item, kind: itemKind, apiVersion: item['apiVersion'] ?? current['apiVersion'] }
          : item;
      if (filled !== item && lines?.has(item)) lines.set(filled, lines.get(item) as number);
      pending.push({ object: filled, path: `${path}items[${index}].` });
    }
  }
}

function keepLine<T extends object>(from: object, to: T, lines: WeakMap<object, number> | null): T {
  if (to !== from && lines?.has(from)) lines.set(to, lines.get(from) as number);
  return to;
}

/** A `meshdbg check` file (a list of queries with src/dst) found next to manifests. */
function isCheckFile(doc: unknown): boolean {
  return (
    Array.isArray(doc) &&
    doc.length > 0 &&
    doc.every((q) => isRecord(q) && 'src' in q && 'dst' in q && !('apiVersion' in q))
  );
}

function syntaxFinding(file: string, line: number | null, column: number | null, reason: string): Finding {
  const where = line === null ? file : `${file}:${line}${column === null ? '' : `:${column}`}`;
  return finding('yaml-syntax', `${where}: ${reason}`, { loc: { file, line, doc: 0 } });
}

function collectObjects(
  file: string,
  docs: unknown[],
  lines: WeakMap<object, number> | null,
  text: string,
): ParsedFile {
  const objects: RawObject[] = [];
  const findings: Finding[] = [];
  const gaps: SnapshotGap[] = [];
  docs.forEach((doc, docIndex) => {
    if (doc === null || doc === undefined) return;
    const declared = snapshotGaps(doc, file, isRecord(doc) ? (lines?.get(doc) ?? null) : null);
    for (const gap of declared.gaps) gaps.push(gap);
    for (const f of declared.findings) findings.push(f);
    if (isCheckFile(doc)) {
      findings.push(
        finding('not-an-object', `${file}: a meshdbg check file (queries with expect), not manifests; skipped`, {
          loc: { file, line: null, doc: docIndex },
          severity: 'info',
        }),
      );
      return;
    }
    const flat: Record<string, unknown>[] = [];
    const skipped: SkippedItem[] = [];
    flattenDocument(doc, flat, lines, skipped);
    for (const item of skipped)
      findings.push(
        finding(
          'not-an-object',
          item.path.endsWith(']')
            ? `${file}${item.line ? `:${item.line}` : ''}: document ${docIndex + 1}: ${item.path} is ${item.what}, not a Kubernetes object (kubectl refuses the List); write each item as a map with apiVersion, kind and metadata`
            : `${file}${item.line ? `:${item.line}` : ''}: document ${docIndex + 1}: ${item.path} is ${item.what}, not a list of objects (kubectl refuses the List); write items as a list of maps with apiVersion, kind and metadata`,
          { loc: { file, line: item.line, doc: docIndex } },
        ),
      );
    if (flat.length === 0) {
      // an empty List holds nothing to read; a List's bad items are reported above
      if (skipped.length > 0 || (isRecord(doc) && typeof doc['kind'] === 'string' && LIST_KIND.test(doc['kind'])))
        return;
      const line = isRecord(doc) || Array.isArray(doc) ? (lines?.get(doc as object) ?? null) : null;
      findings.push(
        finding(
          'not-an-object',
          `${file}${line ? `:${line}` : ''}: document ${docIndex + 1} is ${describeValue(doc)}, not a Kubernetes object (kubectl refuses it); write a map with apiVersion, kind and metadata, or move the file out of the --from path`,
          { loc: { file, line, doc: docIndex } },
        ),
      );
      return;
    }
    for (const object of flat) {
      const line = lines?.get(object) ?? null;
      // kubectl refuses it ("Object 'Kind' is missing"); skipped with a warning, a policy whose
      // `kind:` was misspelt (`Kind:`) was left out of every answer without a word from explain
      if (typeof object['kind'] !== 'string' || typeof object['apiVersion'] !== 'string') {
        const missing = ['apiVersion', 'kind'].filter((k) => typeof object[k] !== 'string').join(' and ');
        findings.push(
          finding(
            'not-an-object',
            `${file}${line ? `:${line}` : ''}: document ${docIndex + 1} has no ${missing} (kubectl refuses it: "Object 'Kind' is missing"); add ${missing === 'kind' || missing === 'apiVersion' ? 'it' : 'both'} as strings, or move the file out of the --from path`,
            { loc: { file, line, doc: docIndex } },
          ),
        );
        continue;
      }
      objects.push({ object, loc: { file, line, doc: docIndex }, lines });
    }
  });
  void text;
  return { objects, findings, gaps };
}

function parseJson(file: string, text: string): ParsedFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM, as Windows tools write
  let parsed: ParsedFile;
  try {
    parsed = collectObjects(file, [JSON.parse(body)], null, body);
  } catch (err) {
    const at = findJsonError(body);
    if (at) {
      const { line, column } = lineAndColumn(body, at.offset);
      return { objects: [], findings: [syntaxFinding(file, line, column, `invalid JSON: ${at.reason}`)] };
    }
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return { objects: [], findings: [syntaxFinding(file, null, null, `invalid JSON: ${message}`)] };
  }
  // refused as the same key twice in YAML is (js-yaml: "duplicated mapping key"), and as kubectl's
  // default --validate=strict has the API server refuse it ("strict decoding error: duplicate
  // field", KEP-2885 server-side field validation; kubernetes/kubernetes#71589: "catch duplicate
  // fields for both JSON and YAML"); JSON.parse alone would keep the last value without a word
  const dup = findDuplicateKey(body);
  if (dup === null) return parsed;
  const { line, column } = lineAndColumn(body, dup.offset);
  const reason = `invalid JSON: ${dup.reason} in one object (kubectl apply refuses it: "strict decoding error: duplicate field"); keep one`;
  return { objects: [], findings: [syntaxFinding(file, line, column, reason)] };
}

function parseYaml(file: string, text: string): ParsedFile {
  // before js-yaml, whose refusal of a NUL costs memory in proportion to the NULs (nulBytePlace)
  const nul = nulBytePlace(text);
  if (nul) return { objects: [], findings: [syntaxFinding(file, nul.line, nul.column, NUL_BYTE_REASON)] };
  if (hasMoreLinesThan(text, MAX_YAML_LINES))
    return { objects: [], findings: [syntaxFinding(file, null, null, TOO_MANY_LINES_REASON)] };
  const lines = new WeakMap<object, number>();
  const starts = lineStarts(text);
  const opened: number[] = [];
  const listener = (event: string, state: { line: number; position: number; result: unknown }): void => {
    if (event === 'open') opened.push(state.position);
    else {
      const start = opened.pop() ?? 0;
      if (state.result !== null && typeof state.result === 'object' && !lines.has(state.result)) {
        lines.set(state.result, lineOf(starts, yamlNodeStart(text, start)));
      }
    }
  };
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, undefined, { filename: file, listener, schema: KUBECTL_YAML_SCHEMA } as yaml.LoadOptions);
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const place = yamlErrorPlace(text, err);
      return {
        objects: [],
        findings: [syntaxFinding(file, place?.line ?? null, place?.column ?? null, kubectlYamlReason(err))],
      };
    }
    throw err;
  }
  try {
    assertExpansionWithin(docs, Math.max(MIN_NODE_BUDGET, text.length));
  } catch {
    return {
      objects: [],
      findings: [
        finding(
          'yaml-alias-bomb',
          `${file}: YAML aliases expand to far more nodes than the file has bytes (a "billion laughs" file?); refusing to read it`,
          {
            loc: { file, line: null, doc: 0 },
          },
        ),
      ],
    };
  }
  return collectObjects(file, docs, lines, text);
}

/** Parses one file's text; JSON when the name ends in .json or the text starts with `{`/`[`. */
export function parseManifestText(file: string, text: string): ParsedFile {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const looksJson =
    file.endsWith('.json') || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !file.match(/\.ya?ml$/));
  const deep = findExcessiveNesting(text);
  if (deep) return { objects: [], findings: [nestingFinding(file, deep.line, describeNestingExcess(deep))] };
  try {
    return looksJson ? parseJson(file, text) : parseYaml(file, text);
  } catch (err) {
    // the scan over-approximates, so this is a backstop: a recursive parser ran out of stack
    if (!(err instanceof RangeError)) throw err;
    return {
      objects: [],
      findings: [
        nestingFinding(file, null, `nesting too deep to read (meshdbg reads at most ${MAX_NESTING_DEPTH} levels)`),
      ],
    };
  }
}

function nestingFinding(file: string, line: number | null, reason: string): Finding {
  return finding('nesting-too-deep', `${file}${line === null ? '' : `:${line}`}: ${reason}; flatten the document`, {
    loc: { file, line, doc: 0 },
  });
}
