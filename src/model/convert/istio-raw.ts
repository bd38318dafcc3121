/** Readers over raw (wire-shape) objects for the Istio converters, on top of convert/context.ts. */
import type { LabelSelector } from '../k8s.js';
import { arrayAt, isRecord, recordAt, stringAt, stringMap, type Json } from './context.js';

export type RawRecord = Json;

export { isRecord };

export function rec(value: unknown): RawRecord {
  return recordAt(value) ?? {};
}

export const str = stringAt;

/** A list of strings; numbers are kept as their decimal text (ports written unquoted). */
export function strList(value: unknown): readonly string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v));
}

export function list(value: unknown): readonly unknown[] {
  return arrayAt(value) ?? [];
}

export const labelMap = stringMap;

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

/** The fields of an AuthorizationPolicy rule's `from.source` (istio/api security/v1beta1/authorization_policy.proto Source). */
export const AUTHZ_SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'trustDomains',
  'notTrustDomains',
] as const;
/** The fields of a rule's `to.operation` (authorization_policy.proto Operation). */
export const AUTHZ_OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'ports',
  'notPorts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
] as const;
