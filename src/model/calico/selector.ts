/**
 * Calico selector expressions: parse, evaluate, print. Grammar and semantics follow
 * projectcalico/calico:libcalico-go/lib/selector/parser/parser.go and ast.go:
 *   or  := and ('||' and)*        and := op ('&&' op)*
 *   op  := '!'* ( has(l) | all() | global() | '(' or ')' | l OP "v" | l [not] in {"v", ...} )
 * A missing label fails ==, contains, starts with, ends with and in; it passes != and not in.
 * The empty selector selects everything (parseRoot: AllNode).
 */
import { assertNever } from '../../util/assert-never.js';
import type { Labels } from '../k8s.js';
import { tokenizeSelector, type SelectorSyntaxError, type SelectorToken } from './selector-tokens.js';

export type { SelectorSyntaxError } from './selector-tokens.js';

export type CalicoSelectorNode =
  | { readonly op: 'all' }
  | { readonly op: 'global' }
  | { readonly op: 'has'; readonly label: string }
  | {
      readonly op: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith';
      readonly label: string;
      readonly value: string;
    }
  | { readonly op: 'in' | 'notIn'; readonly label: string; readonly values: readonly string[] }
  | { readonly op: 'not'; readonly operand: CalicoSelectorNode }
  | { readonly op: 'and' | 'or'; readonly operands: readonly CalicoSelectorNode[] };

export type SelectorParse =
  | { readonly ok: true; readonly node: CalicoSelectorNode }
  | { readonly ok: false; readonly error: SelectorSyntaxError };

type Parsed = { node: CalicoSelectorNode; rest: number } | { error: SelectorSyntaxError };

const VALUE_OPS = { eq: 'eq', ne: 'ne', contains: 'contains', startsWith: 'startsWith', endsWith: 'endsWith' } as const;

function describe(t: SelectorToken): string {
  if (t.kind === 'eof') return 'end of selector';
  if (t.kind === 'label') return `label "${t.value}"`;
  if (t.kind === 'string') return `string "${t.value}"`;
  return `"${t.kind}"`;
}

function err(message: string, t: SelectorToken): Parsed {
  return { error: { message, column: t.column } };
}

/**
 * Parentheses nested deeper than this are refused with their column: the parser (like
 * parser.go's) recurses once per level, and JavaScript's stack, unlike Go's, ends after a few
 * thousand frames. No selector a person writes comes near it.
 */
export const MAX_SELECTOR_NESTING = 128;

class SelectorParser {
  private depth = 0;

  constructor(private readonly tokens: readonly SelectorToken[]) {}

  private at(i: number): SelectorToken {
    return this.tokens[Math.min(i, this.tokens.length - 1)] as SelectorToken;
  }

  /** parseOrExpression / parseAndExpression share this shape. */
  list(i: number, sep: 'or' | 'and'): Parsed {
    const operands: CalicoSelectorNode[] = [];
    let pos = i;
    for (;;) {
      const part = sep === 'or' ? this.list(pos, 'and') : this.operation(pos);
      if ('error' in part) return part;
      operands.push(part.node);
      if (this.at(part.rest).kind !== sep) {
        const node = operands.length === 1 ? (operands[0] as CalicoSelectorNode) : { op: sep, operands };
        return { node, rest: part.rest };
      }
      pos = part.rest + 1;
    }
  }

  operation(i: number): Parsed {
    let pos = i;
    let negated = false;
    while (this.at(pos).kind === 'not') {
      negated = !negated;
      pos++;
    }
    const inner = this.positive(pos);
    if ('error' in inner || !negated) return inner;
    return { node: { op: 'not', operand: inner.node }, rest: inner.rest };
  }

  private positive(pos: number): Parsed {
    const t = this.at(pos);
    switch (t.kind) {
      case 'has':
        return { node: { op: 'has', label: t.value }, rest: pos + 1 };
      case 'all':
      case 'global':
        return { node: { op: t.kind }, rest: pos + 1 };
      case 'label':
        return this.comparison(pos);
      case 'lparen':
        return this.parenthesised(pos);
      default:
        return err(`unexpected ${describe(t)}: expected a label, has(), all(), global(), ! or (`, t);
    }
  }

  private parenthesised(pos: number): Parsed {
    if (this.depth === MAX_SELECTOR_NESTING)
      return err(
        `parentheses nest more than ${MAX_SELECTOR_NESTING} deep here; meshdbg reads selectors nested up to that depth: remove parentheses that group a single term`,
        this.at(pos),
      );
    this.depth++;
    const inner = this.list(pos + 1, 'or');
    this.depth--;
    if ('error' in inner) return inner;
    const close = this.at(inner.rest);
    if (close.kind !== 'rparen')
      return err(`expected ) to close the ( at column ${this.at(pos).column}, found ${describe(close)}`, close);
    return { node: inner.node, rest: inner.rest + 1 };
  }

  private comparison(pos: number): Parsed {
    const label = this.at(pos).value;
    const op = this.at(pos + 1);
    const operand = this.at(pos + 2);
    if (op.kind === 'in' || op.kind === 'notIn') return this.setLiteral(pos + 2, label, op.kind);
    if (op.kind === 'eof') return err(`unexpected end of selector: expected an operator after label "${label}"`, op);
    if (!(op.kind in VALUE_OPS)) return err(`expected == or != after label "${label}", found ${describe(op)}`, op);
    if (operand.kind !== 'string') return err(`expected a quoted string, found ${describe(operand)}`, operand);
    const kind = VALUE_OPS[op.kind as keyof typeof VALUE_OPS];
    return { node: { op: kind, label, value: operand.value }, rest: pos + 3 };
  }

  /** `{"a", 'b'}`: strings separated by commas (a trailing comma is accepted, as parser.go does). */
  private setLiteral(pos: number, label: string, op: 'in' | 'notIn'): Parsed {
    if (this.at(pos).kind !== 'lbrace')
      return err(`expected a set literal {"..."}, found ${describe(this.at(pos))}`, this.at(pos));
    const values = new Set<string>();
    let i = pos + 1;
    while (this.at(i).kind === 'string') {
      values.add(this.at(i).value);
      i++;
      if (this.at(i).kind !== 'comma') break;
      i++;
    }
    if (this.at(i).kind !== 'rbrace')
      return err(`expected } or a quoted string, found ${describe(this.at(i))}`, this.at(i));
    return { node: { op, label, values: [...values].sort(byteOrder) }, rest: i + 1 };
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parse a Calico selector; errors carry the 1-based column. */
export function parseCalicoSelector(input: string): SelectorParse {
  const lexed = tokenizeSelector(input);
  if ('error' in lexed) return { ok: false, error: lexed.error };
  const tokens = lexed.tokens;
  if (tokens[0]?.kind === 'eof') return { ok: true, node: { op: 'all' } };
  const parser = new SelectorParser(tokens);
  const parsed = parser.list(0, 'or');
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const rest = tokens[parsed.rest] as SelectorToken;
  if (rest.kind !== 'eof')
    return {
      ok: false,
      error: { message: `unexpected ${describe(rest)} after a complete expression`, column: rest.column },
    };
  return { ok: true, node: parsed.node };
}

/**
 * What `all()` and `global()` evaluate to: true everywhere for ast.go's Evaluate; a rule's
 * namespaceSelector reads them per peer (engine/calico/rule-match.ts).
 */
export interface SelectorScope {
  readonly all: boolean;
  readonly global: boolean;
}

const EVERYWHERE: SelectorScope = { all: true, global: true };

/** ast.go Evaluate for every node. */
export function calicoSelectorMatches(node: CalicoSelectorNode, labels: Labels, scope = EVERYWHERE): boolean {
  switch (node.op) {
    case 'all':
      return scope.all;
    case 'global':
      return scope.global;
    case 'has':
      return Object.prototype.hasOwnProperty.call(labels, node.label);
    case 'not':
      return !calicoSelectorMatches(node.operand, labels, scope);
    case 'and':
      return node.operands.every((o) => calicoSelectorMatches(o, labels, scope));
    case 'or':
      return node.operands.some((o) => calicoSelectorMatches(o, labels, scope));
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'in':
    case 'notIn':
      return comparisonMatches(node, labels);
    default:
      return assertNever(node, 'selector node');
  }
}

type Comparison = Extract<
  CalicoSelectorNode,
  { label: string; op: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith' | 'in' | 'notIn' }
>;

function comparisonMatches(node: Comparison, labels: Labels): boolean {
  const value = Object.prototype.hasOwnProperty.call(labels, node.label) ? labels[node.label] : undefined;
  switch (node.op) {
    case 'eq':
      return value === node.value;
    case 'ne':
      return value !== node.value;
    case 'contains':
      return value !== undefined && value.includes(node.value);
    case 'startsWith':
      return value !== undefined && value.startsWith(node.value);
    case 'endsWith':
      return value !== undefined && value.endsWith(node.value);
    case 'in':
      return value !== undefined && node.values.includes(value);
    case 'notIn':
      return value === undefined || !node.values.includes(value);
    default:
      return assertNever(node, 'selector comparison');
  }
}

/** A selector's answer when some labels are not known: true, false, or `unknown`. */
export type PartialMatch = boolean | 'unknown';

/**
 * Kleene's three-valued reading of a selector over labels known only in part: a label in `labels`
 * has that value; any other label may be absent or have any value. A comparison on an unknown label
 * is `unknown`; `!` keeps `unknown`; `&&` is false when one operand is false, `||` true when one is
 * true. With `complete` labels this is calicoSelectorMatches.
 */
export function calicoSelectorMatchesPartly(node: CalicoSelectorNode, labels: Labels, complete: boolean): PartialMatch {
  if (complete) return calicoSelectorMatches(node, labels);
  // has() and every comparison read one label: known, or unknown either way
  if ('label' in node)
    return Object.prototype.hasOwnProperty.call(labels, node.label) ? calicoSelectorMatches(node, labels) : 'unknown';
  switch (node.op) {
    case 'all':
    case 'global':
      return true;
    case 'not': {
      const inner = calicoSelectorMatchesPartly(node.operand, labels, false);
      return inner === 'unknown' ? inner : !inner;
    }
    case 'and': {
      const parts = node.operands.map((o) => calicoSelectorMatchesPartly(o, labels, false));
      return parts.includes(false) ? false : parts.includes('unknown') ? 'unknown' : true;
    }
    case 'or': {
      const parts = node.operands.map((o) => calicoSelectorMatchesPartly(o, labels, false));
      return parts.includes(true) ? true : parts.includes('unknown') ? 'unknown' : false;
    }
    default:
      return assertNever(node, 'selector node');
  }
}
