/**
 * Decoding input files. Manifests and check files strictly (decodeTextStrict); logs and config
 * dumps leniently, in the encoding their first bytes announce (decodeAnnounced).
 * Strict UTF-8 decoding: Node's `readFile(f, 'utf8')` turns every invalid byte into
 * U+FFFD without a word, so a manifest saved as Latin-1 would be read with names and paths that are
 * not the ones written. YAML must be Unicode (https://yaml.org/spec/1.2.2/#51-character-set) and
 * kubectl's YAML reader refuses such bytes ("invalid leading UTF-8 octet",
 * go-yaml/yaml:readerc.go yaml_parser_update_buffer), so they are refused here with their place.
 */
export type Utf8Decoded =
  | { readonly ok: true; readonly text: string }
  /** `utf16`: the bytes began with a UTF-16 byte order mark and are no UTF-16 text */
  | { readonly ok: false; readonly line: number; readonly column: number; readonly utf16?: boolean };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The refusal of a file (or `<stdin>`) at its first bad byte, with the fix. */
export function notUtf8Message(file: string, line: number, column: number, utf16 = false): string {
  if (utf16)
    return `${file}: begins with a UTF-16 byte order mark but is no UTF-16 text (an odd number of bytes, or a lone surrogate: a cut copy?); save it again as UTF-8`;
  return `${file}:${line}:${column}: not UTF-8; save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 (kubectl refuses it too: "invalid leading UTF-8 octet")`;
}

/**
 * A manifest or check file's text as kubectl reads it: through
 * unicode.BOMOverride(unicode.UTF8.NewDecoder()) (kubernetes/cli-runtime pkg/resource/visitor.go,
 * FileVisitor.Visit, which FileVisitorForSTDIN shares), so a UTF-16 byte order mark (Windows
 * PowerShell 5 `kubectl get ... -o yaml > f.yaml` writes UTF-16LE with one) decodes the file as
 * UTF-16; anything else must be UTF-8. Such files were refused as "not UTF-8 (kubectl refuses it
 * too)", which kubectl does not.
 */
export function decodeTextStrict(bytes: Uint8Array): Utf8Decoded {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return decodeUtf8Strict(bytes);
  try {
    // the decoder drops the BOM; fatal: an odd length or a lone surrogate is refused, not replaced
    return { ok: true, text: new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, line: 1, column: 1, utf16: true };
  }
}

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

/**
 * The 1-based byte column of the first byte that cannot start or continue a UTF-8 sequence, or
 * null when the line decodes. Streaming decoding throws as soon as a prefix holds an invalid
 * sequence (an incomplete one at its end is kept for later), so the first failing prefix length
 * is found by bisection; a literal U+FFFD written in the line does not mislead it.
 */
function firstInvalidColumn(lineBytes: Uint8Array): number | null {
  try {
    strict.decode(lineBytes);
    return null;
  } catch {
    // below
  }
  const fails = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(lineBytes.subarray(0, length), {
        stream: true,
      });
      return false;
    } catch {
      return true;
    }
  };
  // streaming keeps an incomplete sequence at the end: then the line ends inside it
  if (!fails(lineBytes.length)) return sequenceStart(lineBytes, lineBytes.length) + 1;
  let ok = 0; // the longest prefix known to stream without an error
  let bad = lineBytes.length; // a prefix known to fail
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    if (fails(mid)) bad = mid;
    else ok = mid;
  }
  // the prefix of `bad` bytes fails and one byte less does not: that last byte cannot be there, which is
  // an error at it or, when it cannot continue a sequence begun before it, at that sequence's first byte
  return sequenceStart(lineBytes, bad - 1) + 1;
}

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

/** How many bytes the sequence a lead byte starts has (ASCII: 1). */
const sequenceLength = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/**
 * Where the error at byte `at` is: at `at`, unless `at` cut short a sequence begun before it (a lead
 * byte at most 3 bytes back whose sequence would reach `at`); then at that sequence's lead byte.
 * `at` may be the line's length: the line ended inside a sequence.
 */
function sequenceStart(bytes: Uint8Array, at: number): number {
  if (isContinuation(bytes[at] as number)) return at;
  for (let i = at - 1; i >= Math.max(0, at - 3); i--) {
    const b = bytes[i] as number;
    if (isContinuation(b)) continue;
    return i + sequenceLength(b) > at ? i : at;
  }
  return at;
}

/** What a saved text file is in (WHATWG encoding labels). */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export const ENCODING_HEAD_BYTES = 4;

/** The encoding the first bytes announce: a BOM, else ASCII text laid out as UTF-16 (x 00 x 00), else UTF-8. */
export function detectEncoding(head: Uint8Array): TextEncodingName {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (head.length < ENCODING_HEAD_BYTES) return 'utf-8';
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'utf-16be';
  return 'utf-8';
}

/**
 * A saved file's text as the WHATWG decoder reads it in the encoding its first bytes announce
 * (detectEncoding): the BOM is dropped, and bytes that do not decode become U+FFFD. For inputs read
 * leniently (logs, config dumps); manifests and check files are read with decodeTextStrict.
 */
export function decodeAnnounced(bytes: Uint8Array): string {
  return new TextDecoder(detectEncoding(bytes.subarray(0, ENCODING_HEAD_BYTES))).decode(bytes);
}
