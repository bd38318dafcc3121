/**
 * Where JSON text first goes wrong, for error messages with line and column (V8's JSON.parse
 * messages carry no position on Node 20). Only called after JSON.parse has failed.
 */

export interface JsonErrorAt {
  readonly offset: number;
  readonly reason: string;
}

class Fail extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function findJsonError(text: string): JsonErrorAt | null {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expect = (ch: string, what: string): void => {
    if (text[i] !== ch)
      throw new Fail(i, `expected ${what}, found ${text[i] === undefined ? 'end of input' : `'${text[i]}'`}`);
    i++;
  };
  const string = (): void => {
    expect('"', 'a string');
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if ((text.charCodeAt(i) ?? 0) < 0x20) throw new Fail(i, 'control character in a string');
      i++;
    }
    expect('"', 'the closing quote of a string');
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':', "':' after a key");
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}', "',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']', "',' or ']'");
      }
    }
    if (ch === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal)
      throw new Fail(i, `unexpected ${ch === undefined ? 'end of input' : `'${ch}'`} where a value should be`);
    i += literal[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Fail(i, `unexpected '${text[i] as string}' after the end of the document`);
    return null;
  } catch (err) {
    if (err instanceof Fail) return { offset: err.offset, reason: err.reason };
    throw err;
  }
}

/** The key a JSON string token names (the token's text without quotes, unescaped when it has escapes). */
function keyAt(text: string, open: number, close: number, escaped: boolean): string {
  return escaped ? (JSON.parse(text.slice(open, close + 1)) as string) : text.slice(open + 1, close);
}

/**
 * The first key that appears twice in one object of `text`, which JSON.parse has accepted (so
 * every string is closed). JSON.parse would keep the last value without a word; the caller refuses
 * the file, as kubectl's strict validation does. One pass, no recursion.
 */
export function findDuplicateKey(text: string): (JsonErrorAt & { readonly key: string }) | null {
  const objects: (Set<string> | null)[] = []; // null: an array
  let keyNext = false;
  // the next backslash at or after the current string, found once per backslash (a search per key
  // would read back over the whole text each time: quadratic on a large file)
  let backslash = text.indexOf('\\');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let close = text.indexOf('"', i + 1);
      if (close === -1) return null; // not JSON.parse's text after all
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(close - 1 - slashes) === 92 /* \ */) slashes++;
        if (slashes % 2 === 0) break;
        close = text.indexOf('"', close + 1);
        if (close === -1) return null;
      }
      const keys = objects[objects.length - 1];
      if (keyNext && keys) {
        if (backslash !== -1 && backslash < i) backslash = text.indexOf('\\', i);
        const key = keyAt(text, i, close, backslash !== -1 && backslash < close);
        if (keys.has(key)) return { offset: i, reason: `duplicate key ${JSON.stringify(key)}`, key };
        keys.add(key);
        keyNext = false;
      }
      i = close;
    } else if (c === 123 /* { */) {
      objects.push(new Set());
      keyNext = true;
    } else if (c === 91 /* [ */) objects.push(null);
    else if (c === 125 /* } */ || c === 93 /* ] */) objects.pop();
    else if (c === 44 /* , */) keyNext = objects[objects.length - 1] != null;
  }
  return null;
}
