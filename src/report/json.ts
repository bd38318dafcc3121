/** JSON and YAML renderings of engine results (one object per query). */
import yaml from 'js-yaml';

const C1 = /[\u007f-\u009f]/;

/**
 * True when `json` has no character in U+007F-U+009F. Nearly every answer is ASCII: as many UTF-8
 * bytes as characters means no code point above U+007F (JSON.stringify escapes lone surrogates,
 * so none is left to count oddly), and then only DEL can be there, found by a byte search. This
 * costs about a fifth of the regular expression's scan of an ~11 KB answer; other text takes the
 * scan (a test is about half the cost of a replace that finds nothing).
 */
function hasNoC1(json: string): boolean {
  if (Buffer.byteLength(json, 'utf8') === json.length) return !json.includes('\u007f');
  return !C1.test(json);
}

/** JSON escapes only U+0000-U+001F: the C1 controls (U+0080-U+009F, e.g. CSI U+009B) and DEL are escaped too. */
function escapeC1(json: string): string {
  if (hasNoC1(json)) return json;
  return json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toJsonLine(value: unknown): string {
  return escapeC1(JSON.stringify(value));
}

export function toJsonPretty(value: unknown): string {
  return escapeC1(JSON.stringify(value, null, 2));
}

export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: 120, skipInvalid: true });
}
