/**
 * The YAML schema of kubectl and istiod: both read YAML through sigs.k8s.io/yaml, which parses it
 * with go-yaml v2 (gopkg.in/yaml.v2 semantics) before turning it into JSON.
 */
import yaml from 'js-yaml';

const YAML_TYPES = (
  yaml as unknown as {
    types: Record<'null' | 'bool' | 'int' | 'float' | 'merge' | 'omap' | 'pairs' | 'set', yaml.Type>;
  }
).types;

/**
 * kubectl reads YAML as go-yaml v2 does (sigs.k8s.io/yaml), which keeps two YAML 1.1 rules that
 * YAML 1.2's core schema (js-yaml's) dropped (gopkg.in/yaml.v2 resolve.go): the words y, yes, on,
 * n, no, off (in their three casings) are booleans, and an integer with a leading 0 is octal
 * (strconv.ParseInt base 0: `010` is 8). `app: yes` is therefore a boolean the API server refuses
 * in a label, and `port: 010` is port 8.
 */
const YAML11_BOOLEANS = new Map<string, boolean>();
for (const [words, value] of [
  [['y', 'yes', 'on'], true],
  [['n', 'no', 'off'], false],
] as const)
  for (const w of words)
    for (const v of [w, `${w.charAt(0).toUpperCase()}${w.slice(1)}`, w.toUpperCase()]) YAML11_BOOLEANS.set(v, value);
/** One type per tag (js-yaml keeps the last of a tag): the core words, then the YAML 1.1 ones. */
const BOOL = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => YAML_TYPES.bool.resolve(data) || (typeof data === 'string' && YAML11_BOOLEANS.has(data)),
  construct: (data: string) => YAML11_BOOLEANS.get(data) ?? (YAML_TYPES.bool.construct(data) as boolean),
});
const LEGACY_OCTAL = /^[-+]?0_*[0-7][0-7_]*$/;
const INT = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => (typeof data === 'string' && LEGACY_OCTAL.test(data)) || YAML_TYPES.int.resolve(data),
  construct: (data: string) => {
    if (!LEGACY_OCTAL.test(data)) return YAML_TYPES.int.construct(data) as number;
    const magnitude = parseInt(data.replace(/^[-+]?0/, '').replace(/_/g, ''), 8);
    return data.startsWith('-') ? -magnitude : magnitude;
  },
});

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;
/**
 * `!!binary` is the decoded bytes as a string, as kubectl reads it (go-yaml v2 decode.go: base64,
 * newlines ignored, then `string(data)`; json.Marshal turns bytes that are not UTF-8 into U+FFFD,
 * as the decoder here does); js-yaml's own type makes a byte array no field accepts.
 */
const BINARY_TAG = 'tag:yaml.org,2002:binary';
const BINARY_AS_STRING = new yaml.Type(BINARY_TAG, {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' && BASE64.test(data) && data.replace(/[\r\n]/g, '').length % 4 === 0,
  construct: (data: string) => Buffer.from(data.replace(/[\r\n]/g, ''), 'base64').toString('utf8'),
});
/**
 * YAML 1.1's timestamp type is left out: Kubernetes fields are never YAML timestamps, so
 * `name: 2001-12-14` stays the string kubectl sends (js-yaml's default schema made it a Date).
 */
export const KUBECTL_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [YAML_TYPES.null, BOOL, INT, YAML_TYPES.float, YAML_TYPES.merge],
  explicit: [BINARY_AS_STRING, YAML_TYPES.omap, YAML_TYPES.pairs, YAML_TYPES.set],
});

/** A NUL byte's refusal (go-yaml/yaml:readerc.go yaml_parser_update_buffer refuses it too); NULs come from binary files. */
export const NUL_BYTE_REASON =
  'a NUL byte is not allowed in YAML (kubectl refuses it too: "control characters are not allowed"); remove it, this may not be a text file';

/** A load error's reason, in go-yaml's words where js-yaml's generic ones say less. */
export function kubectlYamlReason(err: yaml.YAMLException): string {
  if (err.reason.includes(`!<${BINARY_TAG}>`))
    return '!!binary value contains invalid base64 data (go-yaml, as kubectl reads it)';
  if (err.reason === 'null byte is not allowed in input') return NUL_BYTE_REASON;
  return err.reason;
}

/**
 * The 1-based place of the first NUL byte in `text`, or null. Checked before js-yaml sees the
 * text: js-yaml refuses a NUL only after building its error snippet, which splits the whole text
 * at every NUL (and line break) into two arrays, so a 50 MB file of NULs took 1.8 GB and seven
 * seconds to refuse, and a 300 MB one crashed. Lines as js-yaml counts them (LF, CRLF, a lone CR).
 */
export function nulBytePlace(text: string): { line: number; column: number } | null {
  const nul = text.indexOf('\0');
  if (nul === -1) return null;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < nul; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: nul - lineStart + 1 };
}

/**
 * 1-based line and column of a load error, or null without a mark. js-yaml refuses a NUL byte
 * before it reads a line, so that mark has line 0 and the NUL's offset in the whole text as its
 * column ("file:1:51" for a NUL on line 3); the place is counted here instead (nulBytePlace).
 */
export function yamlErrorPlace(text: string, err: yaml.YAMLException): { line: number; column: number } | null {
  const mark = err.mark;
  if (!mark) return null;
  const nul = text.indexOf('\0');
  if (nul === -1 || nul !== mark.position) return { line: mark.line + 1, column: mark.column + 1 };
  return nulBytePlace(text);
}
