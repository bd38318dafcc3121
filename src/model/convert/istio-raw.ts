/** Small readers over raw (wire-shape) objects, used by the Istio converters. */
import type { LabelSelector } from '../k8s.js';

export type RawRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function rec(value: unknown): RawRecord {
  return isRecord(value) ? value : {};
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A list of strings; numbers are kept as their decimal text (ports written unquoted). */
export function strList(value: unknown): readonly string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v));
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function labelMap(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(value))) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** Istio WorkloadSelector: only `matchLabels` (or `labels` for Sidecar/EnvoyFilter). */
export function workloadSelector(value: unknown, key: 'matchLabels' | 'labels' = 'matchLabels'): LabelSelector | null {
  if (!isRecord(value)) return null;
  return { matchLabels: labelMap(value[key]), matchExpressions: [] };
}

export interface RawMeta {
  readonly name: string;
  readonly namespace: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly creationTimestamp: string | null;
}

export function meta(object: RawRecord): RawMeta {
  const m = rec(object['metadata']);
  return {
    name: str(m['name']) ?? '',
    namespace: str(m['namespace']),
    labels: labelMap(m['labels']),
    annotations: labelMap(m['annotations']),
    creationTimestamp: str(m['creationTimestamp']),
  };
}

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
