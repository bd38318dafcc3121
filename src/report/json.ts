/** JSON and YAML renderings of engine results (one object per query). */
import yaml from 'js-yaml';

const C1 = /[\u007f-\u009f]/;

/** JSON escapes only U+0000-U+001F: the C1 controls (U+0080-U+009F, e.g. CSI U+009B) and DEL are escaped too. */
function escapeC1(json: string): string {
  // nearly every answer has none: a test is about half the cost of a replace that finds nothing
  if (!C1.test(json)) return json;
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
