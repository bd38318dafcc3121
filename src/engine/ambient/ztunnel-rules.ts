/**
 * An AuthorizationPolicy as istiod sends it to ztunnel: L4 fields only. Follows
 * istio/istio pilot/pkg/serviceregistry/ambient/authorization.go (convertAuthorizationPolicy,
 * handleRule, httpOperations, httpSources, l4WhenAttributes):
 * - `to.operation` keeps ports/notPorts; hosts, methods, paths (and their not-forms) are L7.
 * - `from.source` keeps principals, namespaces, serviceAccounts, ipBlocks (and not-forms);
 *   remoteIpBlocks and requestPrincipals are L7.
 * - `when` keeps source.ip, source.namespace, source.principal, destination.ip, destination.port;
 *   any other key is L7 and becomes an empty match.
 * - An ALLOW rule with any L7 field is dropped (it never matches); a DENY rule keeps its L4 part.
 * An empty match never matches at ztunnel (istio/ztunnel src/rbac.rs `Authorization::matches`),
 * so a DENY rule whose L7-only clause was emptied never matches either.
 */
import type { AuthzCondition, AuthzOperation, AuthzRule, AuthzSource } from '../../model/istio.js';

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** One RbacMatch: all set fields must match; within a field any value (not-fields: none). */
export interface L4Match {
  /** where it came from, for messages: `from[0]`, `to[1]`, `when[0]` */
  readonly field: string;
  readonly principals: readonly string[];
  readonly notPrincipals: readonly string[];
  readonly namespaces: readonly string[];
  readonly notNamespaces: readonly string[];
  readonly serviceAccounts: readonly ServiceAccountRef[];
  readonly notServiceAccounts: readonly ServiceAccountRef[];
  readonly sourceIps: readonly string[];
  readonly notSourceIps: readonly string[];
  readonly destinationIps: readonly string[];
  readonly notDestinationIps: readonly string[];
  readonly destinationPorts: readonly number[];
  readonly notDestinationPorts: readonly number[];
}

/** A clause (from, to, or one when): any of its non-empty matches must match. */
export interface L4Clause {
  readonly field: string;
  readonly matches: readonly L4Match[];
}

export interface L4Rule {
  readonly index: number;
  /** null: dropped by istiod (an ALLOW rule with L7 fields) */
  readonly clauses: readonly L4Clause[] | null;
  /** L7 attributes istiod found and omitted */
  readonly l7: readonly string[];
}

const EMPTY: Omit<L4Match, 'field'> = {
  principals: [],
  notPrincipals: [],
  namespaces: [],
  notNamespaces: [],
  serviceAccounts: [],
  notServiceAccounts: [],
  sourceIps: [],
  notSourceIps: [],
  destinationIps: [],
  notDestinationIps: [],
  destinationPorts: [],
  notDestinationPorts: [],
};

/** stringToPort: numbers 0..65535, anything else is skipped. */
function ports(values: readonly string[] | undefined): number[] {
  return (values ?? []).filter((v) => /^\d+$/.test(v) && Number(v) <= 65535).map(Number);
}

/** stringToServiceAccountMatch: `ns/sa`, or `sa` in the policy's namespace. */
function serviceAccounts(values: readonly string[] | undefined, policyNamespace: string): ServiceAccountRef[] {
  return (values ?? []).map((v) => {
    const slash = v.indexOf('/');
    return slash < 0
      ? { namespace: policyNamespace, serviceAccount: v }
      : { namespace: v.slice(0, slash), serviceAccount: v.slice(slash + 1) };
  });
}

const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const L7_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const;
const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

function l7Of<T extends object>(o: T, keys: readonly (keyof T)[]): string[] {
  return keys.filter((k) => ((o[k] as readonly unknown[] | undefined) ?? []).length > 0).map(String);
}

function toMatch(op: AuthzOperation, field: string): L4Match {
  return { ...EMPTY, field, destinationPorts: ports(op.ports), notDestinationPorts: ports(op.notPorts) };
}

function fromMatch(s: AuthzSource, field: string, policyNamespace: string): L4Match {
  return {
    ...EMPTY,
    field,
    sourceIps: [...(s.ipBlocks ?? [])],
    notSourceIps: [...(s.notIpBlocks ?? [])],
    namespaces: [...(s.namespaces ?? [])],
    notNamespaces: [...(s.notNamespaces ?? [])],
    serviceAccounts: serviceAccounts(s.serviceAccounts, policyNamespace),
    notServiceAccounts: serviceAccounts(s.notServiceAccounts, policyNamespace),
    principals: [...(s.principals ?? [])],
    notPrincipals: [...(s.notPrincipals ?? [])],
  };
}

function whenMatch(c: AuthzCondition, field: string): L4Match {
  const pos = c.values ?? [];
  const neg = c.notValues ?? [];
  switch (c.key) {
    case 'source.namespace':
      return { ...EMPTY, field, namespaces: pos, notNamespaces: neg };
    case 'source.principal':
      return { ...EMPTY, field, principals: pos, notPrincipals: neg };
    case 'source.ip':
      return { ...EMPTY, field, sourceIps: pos, notSourceIps: neg };
    case 'destination.ip':
      return { ...EMPTY, field, destinationIps: pos, notDestinationIps: neg };
    case 'destination.port':
      return { ...EMPTY, field, destinationPorts: ports(pos), notDestinationPorts: ports(neg) };
    default:
      return { ...EMPTY, field };
  }
}

export function toL4Rule(rule: AuthzRule, index: number, action: 'ALLOW' | 'DENY', policyNamespace: string): L4Rule {
  const l7 = new Set<string>();
  const clauses: L4Clause[] = [];
  if (rule.to !== null && rule.to.length > 0) {
    rule.to.forEach((op) => l7Of(op, L7_OPERATION).forEach((f) => l7.add(`to.operation.${f}`)));
    clauses.push({ field: 'to', matches: rule.to.map((op, i) => toMatch(op, `to[${i}].operation`)) });
  }
  if (rule.from !== null && rule.from.length > 0) {
    rule.from.forEach((s) => l7Of(s, L7_SOURCE).forEach((f) => l7.add(`from.source.${f}`)));
    clauses.push({
      field: 'from',
      matches: rule.from.map((s, i) => fromMatch(s, `from[${i}].source`, policyNamespace)),
    });
  }
  (rule.when ?? []).forEach((c, i) => {
    if (!L4_WHEN.has(c.key)) l7.add(`when ${c.key}`);
    clauses.push({ field: `when[${i}]`, matches: [whenMatch(c, `when[${i}] ${c.key}`)] });
  });
  const l7List = [...l7].sort();
  return { index, clauses: action === 'ALLOW' && l7List.length > 0 ? null : clauses, l7: l7List };
}

export function isEmptyMatch(m: L4Match): boolean {
  return Object.entries(m).every(([k, v]) => k === 'field' || (v as readonly unknown[]).length === 0);
}
