/**
 * A `create` fix whose YAML is rendered on first read, not when the flow is evaluated: `map`
 * evaluates thousands of flows and reads no fix, `explain` prints the few it gets. The property
 * is enumerable, so JSON output and spreads see the same text as before.
 */
import { emitYaml } from '../util/yaml-emit.js';
import type { Fix } from './explanation.js';

/** A fix object's name from free text: lower case, runs of other characters as one `-`, at most `maxLength`. */
export function fixObjectName(text: string, maxLength: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength);
}

/** `patch`: the manifest is the whole object as it should become (`kubectl apply` replaces it). */
export function createFix(
  why: string,
  target: Fix['target'],
  manifest: unknown,
  action: 'create' | 'patch' = 'create',
): Fix {
  let yaml: string | null = null;
  // an accessor written in the literal: an own enumerable property, with no defineProperty per fix
  return {
    why,
    action,
    target,
    get yaml(): string {
      return (yaml ??= emitYaml(manifest));
    },
  };
}
