/** JSON and YAML renderings of engine results (one object per query). */
import yaml from 'js-yaml';

export function toJsonLine(value: unknown): string {
  return JSON.stringify(value);
}

export function toJsonPretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: 120, skipInvalid: true });
}
