/**
 * Tokenizer for Calico's selector language, token for token as
 * projectcalico/calico:libcalico-go/lib/selector/tokenizer/tokenizer.go (v3.31 era) does it,
 * with the 1-based column of every token so errors can point at the text.
 */

export type SelectorTokenKind =
  | 'label'
  | 'string'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'eq'
  | 'ne'
  | 'in'
  | 'not'
  | 'notIn'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'all'
  | 'has'
  | 'lparen'
  | 'rparen'
  | 'and'
  | 'or'
  | 'global'
  | 'eof';

export interface SelectorToken {
  readonly kind: SelectorTokenKind;
  readonly value: string;
  /** 1-based column where the token starts. */
  readonly column: number;
}

export interface SelectorSyntaxError {
  readonly message: string;
  /** 1-based column of the offending text. */
  readonly column: number;
}

/** tokenizer.go MaxLabelLength. */
export const MAX_LABEL_LENGTH = 512;

/** tokenizer.go identifierChar: [a-zA-Z0-9_./-]. */
export function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /^[a-zA-Z0-9_./-]$/.test(c);
}

/** Only space and tab are whitespace (tokenizer.go trimWhitespace). */
function skipWhitespace(input: string, at: number): number {
  let i = at;
  while (input[i] === ' ' || input[i] === '\t') i++;
  return i;
}

function identifierEnd(input: string, at: number): number {
  let i = at;
  while (isIdentifierChar(input[i])) i++;
  return i;
}

/** A keyword (or keywords separated by whitespace) followed by a word break; returns the end or -1. */
function keywordEnd(input: string, at: number, words: readonly string[]): number {
  let i = at;
  for (const [n, word] of words.entries()) {
    if (!input.startsWith(word, i)) return -1;
    i += word.length;
    if (n < words.length - 1) i = skipWhitespace(input, i);
  }
  return isIdentifierChar(input[i]) ? -1 : i;
}

const OPERATORS: readonly [SelectorTokenKind, readonly string[]][] = [
  ['contains', ['contains']],
  ['startsWith', ['starts', 'with']],
  ['endsWith', ['ends', 'with']],
  ['notIn', ['not', 'in']],
  ['in', ['in']],
];

const FUNCTIONS: readonly [SelectorTokenKind, string][] = [
  ['all', 'all('],
  ['global', 'global('],
];

type Step = { token: SelectorToken; next: number } | { error: SelectorSyntaxError };

function fail(message: string, at: number): Step {
  return { error: { message, column: at + 1 } };
}

function tok(kind: SelectorTokenKind, at: number, next: number, value = ''): Step {
  return { token: { kind, value, column: at + 1 }, next };
}

function stringLiteral(input: string, at: number): Step {
  const quote = input[at] as string;
  const close = input.indexOf(quote, at + 1);
  if (close < 0) return fail(`unterminated string: no closing ${quote}`, at);
  return tok('string', at, close + 1, input.slice(at + 1, close));
}

function doubleChar(input: string, at: number, pair: string, kind: SelectorTokenKind): Step {
  return input.startsWith(pair, at) ? tok(kind, at, at + 2) : fail(`expected ${pair}`, at);
}

function afterLabel(input: string, at: number, label: string): Step {
  for (const [kind, words] of OPERATORS) {
    const end = keywordEnd(input, at, words);
    if (end >= 0) return tok(kind, at, end);
  }
  return fail(`expected an operator (==, !=, in, not in, contains, starts with, ends with) after label "${label}"`, at);
}

function identifier(input: string, at: number): Step {
  const end = identifierEnd(input, at);
  if (end === at) return fail(`unexpected character ${JSON.stringify(input[at])}: expected a label`, at);
  if (end - at > MAX_LABEL_LENGTH) return fail(`label too long (over ${MAX_LABEL_LENGTH} characters)`, at);
  return tok('label', at, end, input.slice(at, end));
}

function hasCall(input: string, at: number): Step {
  const start = skipWhitespace(input, at + 'has('.length);
  const label = identifier(input, start);
  if ('error' in label) return label;
  const close = skipWhitespace(input, label.next);
  if (input[close] !== ')') return fail("no closing ')' after has(", close);
  return tok('has', at, close + 1, label.token.value);
}

function emptyCall(input: string, at: number, kind: SelectorTokenKind, opener: string): Step {
  const close = skipWhitespace(input, at + opener.length);
  if (input[close] !== ')') return fail(`no closing ')' after ${opener}`, close);
  return tok(kind, at, close + 1);
}

function wordToken(input: string, at: number, last: SelectorToken | undefined): Step {
  if (last?.kind === 'label') return afterLabel(input, at, last.value);
  if (input.startsWith('has(', at)) return hasCall(input, at);
  for (const [kind, opener] of FUNCTIONS) {
    if (input.startsWith(opener, at)) return emptyCall(input, at, kind, opener);
  }
  return identifier(input, at);
}

function nextToken(input: string, at: number, last: SelectorToken | undefined): Step {
  switch (input[at]) {
    case '(':
      return tok('lparen', at, at + 1);
    case ')':
      return tok('rparen', at, at + 1);
    case '{':
      return tok('lbrace', at, at + 1);
    case '}':
      return tok('rbrace', at, at + 1);
    case ',':
      return tok('comma', at, at + 1);
    case '"':
    case "'":
      return stringLiteral(input, at);
    case '=':
      return doubleChar(input, at, '==', 'eq');
    case '&':
      return doubleChar(input, at, '&&', 'and');
    case '|':
      return doubleChar(input, at, '||', 'or');
    case '!':
      return input[at + 1] === '=' ? tok('ne', at, at + 2) : tok('not', at, at + 1);
    default:
      return wordToken(input, at, last);
  }
}

/** All tokens of `input`, ending with an `eof` token, or the first error. */
export function tokenizeSelector(input: string): { tokens: SelectorToken[] } | { error: SelectorSyntaxError } {
  const tokens: SelectorToken[] = [];
  let at = skipWhitespace(input, 0);
  while (at < input.length) {
    const step = nextToken(input, at, tokens[tokens.length - 1]);
    if ('error' in step) return step;
    tokens.push(step.token);
    at = skipWhitespace(input, step.next);
  }
  tokens.push({ kind: 'eof', value: '', column: input.length + 1 });
  return { tokens };
}
