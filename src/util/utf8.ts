/**
 * Strict UTF-8 decoding for input files. Node's `readFile(f, 'utf8')` turns every invalid byte into
 * U+FFFD without a word, so a manifest saved as Latin-1 would be read with names and paths that are
 * not the ones written. YAML must be Unicode (https://yaml.org/spec/1.2.2/#51-character-set) and
 * kubectl's YAML reader refuses such bytes ("invalid leading UTF-8 octet",
 * go-yaml/yaml:readerc.go yaml_parser_update_buffer), so they are refused here with their place.
 */
export type Utf8Decoded =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly line: number; readonly column: number };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeUtf8Strict(bytes: Uint8Array): Utf8Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    return { ok: false, ...firstInvalidPlace(bytes) };
  }
}

/** 1-based line and byte column of the first line that does not decode (one pass over the lines). */
function firstInvalidPlace(bytes: Uint8Array): { line: number; column: number } {
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    const bad = firstInvalidColumn(bytes.subarray(start, end));
    if (bad !== null) return { line, column: bad };
    start = end + 1;
  }
  return { line: 1, column: 1 };
}

function firstInvalidColumn(lineBytes: Uint8Array): number | null {
  try {
    strict.decode(lineBytes);
    return null;
  } catch {
    // the lenient decoder marks the spot; count the bytes of the valid prefix before it
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(lineBytes);
    const prefix = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
    return new TextEncoder().encode(prefix).length + 1;
  }
}
