import type { SourceLocation } from './k8s.js';

/**
 * One Kubernetes object as read from a source, before typing: the API's wire shape
 * (YAML or JSON as kubectl prints it). `lines` maps nested objects/arrays of `object`
 * to their 1-based source line, when the source has lines.
 */
export interface RawObject {
  readonly object: Readonly<Record<string, unknown>>;
  readonly loc: SourceLocation | null;
  readonly lines: WeakMap<object, number> | null;
}
