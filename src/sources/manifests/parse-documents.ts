/**
 * Text of one manifest file -> Kubernetes objects with source lines.
 * YAML goes through js-yaml (fast, errors with line and column) with two guards of ours:
 * alias expansion is bounded (a billion-laughs file loads as a small shared graph and
 * explodes only when walked), and every nested object/array gets its source line.
 * JSON goes through JSON.parse.
 */
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
import { lineAndColumn, lineOf, lineStarts, yamlNodeStart } from '../../util/text-lines.js';
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

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `name: 123` and `namespace: true` are kept as the strings kubectl sends (sigs.k8s.io/yaml converts to the string field). */
function nameScalarsAsStrings(object: Record<string, unknown>): Record<string, unknown> {
  const meta = object['metadata'];
  if (!isObject(meta)) return object;
  let fixed: Record<string, unknown> | null = null;
  for (const key of ['name', 'namespace', 'generateName']) {
    const v = meta[key];
    if (typeof v === 'number' || typeof v === 'boolean') (fixed ??= { ...meta })[key] = String(v);
  }
  return fixed ? { ...object, metadata: fixed } : object;
}

/** A List item that is no object (null, a scalar, a list): reported, not flattened. */
interface SkippedItem {
  readonly index: number;
  readonly what: string;
  readonly line: number | null;
}

/** Flattens `kind: List` and `XxxList` documents; items without kind take it from the list kind. */
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
  if (!isObject(doc)) return;
  const kind = doc['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(doc['items'])) {
    const itemKind = kind === 'List' ? null : kind.slice(0, -4);
    for (const [index, item] of (doc['items'] as unknown[]).entries()) {
      // kubectl refuses such an item; dropped without a word, a policy written inside it went missing
      if (!isObject(item)) {
        const what = item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`;
        const line = Array.isArray(item) ? (lines?.get(item) ?? null) : (lines?.get(doc['items'] as object) ?? null);
        skipped.push({ index, what, line });
        continue;
      }
      // PodList items carry neither kind nor apiVersion: they take the list's
      const filled =
        item['kind'] === undefined && itemKind
          ? { ...item, kind: itemKind, apiVersion: item['apiVersion'] ?? doc['apiVersion'] }
          : item;
      if (filled !== item && lines?.has(item)) lines.set(filled, lines.get(item) as number);
      out.push(keepLine(filled, nameScalarsAsStrings(filled), lines));
    }
    return;
  }
  out.push(keepLine(doc, nameScalarsAsStrings(doc), lines));
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
    doc.every((q) => isObject(q) && 'src' in q && 'dst' in q && !('apiVersion' in q))
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
    const declared = snapshotGaps(doc, file, isObject(doc) ? (lines?.get(doc) ?? null) : null);
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
          `${file}${item.line ? `:${item.line}` : ''}: document ${docIndex + 1}: items[${item.index}] is ${item.what}, not a Kubernetes object; ignored (kubectl refuses the List; write each item as a map with apiVersion, kind and metadata)`,
          { loc: { file, line: item.line, doc: docIndex }, severity: 'warning' },
        ),
      );
    if (flat.length === 0) {
      const line = isObject(doc) || Array.isArray(doc) ? (lines?.get(doc as object) ?? null) : null;
      findings.push(
        finding(
          'not-an-object',
          `${file}${line ? `:${line}` : ''}: document ${docIndex + 1} is not a Kubernetes object; ignored`,
          {
            loc: { file, line, doc: docIndex },
            severity: 'warning',
          },
        ),
      );
      return;
    }
    for (const object of flat) {
      const line = lines?.get(object) ?? null;
      if (typeof object['kind'] !== 'string' || typeof object['apiVersion'] !== 'string') {
        findings.push(
          finding(
            'not-an-object',
            `${file}${line ? `:${line}` : ''}: document ${docIndex + 1} has no apiVersion/kind; ignored`,
            {
              loc: { file, line, doc: docIndex },
              severity: 'warning',
            },
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
