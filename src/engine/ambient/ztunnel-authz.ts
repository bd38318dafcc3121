/**
 * The destination ztunnel's L4 authorization, as istio/ztunnel src/state.rs `assert_rbac` runs it:
 * any matching DENY denies ("explicitly denied by: NS/NAME"); no ALLOW policy allows; a matching
 * ALLOW allows; otherwise "allow policies exist, but none allowed". Matching follows
 * src/rbac.rs `Authorization::matches`. ztunnel logs a policy without a rule index, so the
 * ruleRef is `AuthorizationPolicy:NS/NAME` (docs/ARCHITECTURE.md, glossary "ruleRef"); explain still names the rule.
 */
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Clause, PolicyEffect, PolicyMention, RuleMiss } from '../explanation.js';
import { ipInCidr } from '../../util/cidr.js';
import { isEmptyMatch, toL4Rule, type L4Match, type L4Rule, type ServiceAccountRef } from './ztunnel-rules.js';
import { formatRuleRef, ztunnelRuleRef } from '../../model/rule-ref.js';

export interface ZtunnelConnection {
  /** the peer identity ztunnel sees (the waypoint's when traffic came through one); null for plaintext */
  readonly identity: {
    readonly trustDomain: string;
    readonly namespace: string;
    readonly serviceAccount: string;
  } | null;
  readonly sourceIp: string | null;
  readonly destinationIp: string | null;
  /** the workload port (HBONE's inner target port) */
  readonly port: number;
}

/** StringMatch built by istiod's stringToMatch: `*` presence, `*x` suffix, `x*` prefix, else exact. */
function stringMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

interface FieldTest<T> {
  readonly name: string;
  readonly positive: readonly T[];
  readonly negative: readonly T[];
  readonly test: (v: T) => boolean;
  readonly actual: unknown;
}

/** matches_internal: positive empty or any matches, and no negative matches. */
function fieldClauses<T>(prefix: string, f: FieldTest<T>): Clause[] {
  const out: Clause[] = [];
  if (f.positive.length > 0)
    out.push({ field: `${prefix}.${f.name}`, ok: f.positive.some(f.test), expected: f.positive, actual: f.actual });
  if (f.negative.length > 0)
    out.push({
      field: `${prefix}.not${f.name[0]?.toUpperCase() ?? ''}${f.name.slice(1)}`,
      ok: !f.negative.some(f.test),
      expected: f.negative,
      actual: f.actual,
    });
  return out;
}

const saText = (s: ServiceAccountRef): string => `${s.namespace}/${s.serviceAccount}`;

function matchClauses(m: L4Match, c: ZtunnelConnection): Clause[] {
  const id = c.identity;
  const principal = id ? `${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}` : '';
  const inIp = (ip: string | null) => (cidr: string) => ip !== null && ipInCidr(ip, cidr);
  const saMatch = (s: ServiceAccountRef) =>
    id !== null && s.namespace === id.namespace && s.serviceAccount === id.serviceAccount;
  return [
    ...fieldClauses(m.field, {
      name: 'principals',
      positive: m.principals,
      negative: m.notPrincipals,
      test: (p) => principal !== '' && stringMatch(p, principal),
      actual: id ? principal : null,
    }),
    ...fieldClauses(m.field, {
      name: 'namespaces',
      positive: m.namespaces,
      negative: m.notNamespaces,
      test: (p) => stringMatch(p, id?.namespace ?? ''),
      actual: id?.namespace ?? null,
    }),
    ...fieldClauses(m.field, {
      name: 'serviceAccounts',
      positive: m.serviceAccounts.map(saText),
      negative: m.notServiceAccounts.map(saText),
      test: (s) => saMatch({ namespace: s.slice(0, s.indexOf('/')), serviceAccount: s.slice(s.indexOf('/') + 1) }),
      actual: id ? `${id.namespace}/${id.serviceAccount}` : null,
    }),
    ...fieldClauses(m.field, {
      name: 'ipBlocks',
      positive: m.sourceIps,
      negative: m.notSourceIps,
      test: inIp(c.sourceIp),
      actual: c.sourceIp,
    }),
    ...fieldClauses(m.field, {
      name: 'destinationIps',
      positive: m.destinationIps,
      negative: m.notDestinationIps,
      test: inIp(c.destinationIp),
      actual: c.destinationIp,
    }),
    ...fieldClauses(m.field, {
      name: 'ports',
      positive: m.destinationPorts,
      negative: m.notDestinationPorts,
      test: (p) => p === c.port,
      actual: c.port,
    }),
  ];
}

export interface L4RuleResult {
  readonly policy: AuthorizationPolicy;
  readonly rule: L4Rule;
  readonly matched: boolean;
  /** for the nearest miss: the best alternative of each clause */
  readonly clauses: readonly Clause[];
}

/** A rule matches when every clause has a non-empty match that matches (rbac.rs). */
export function evaluateL4Rule(policy: AuthorizationPolicy, rule: L4Rule, c: ZtunnelConnection): L4RuleResult {
  if (rule.clauses === null)
    return {
      policy,
      rule,
      matched: false,
      clauses: [
        {
          field: 'rules',
          ok: false,
          expected: 'L4 fields only',
          actual: `L7 fields (${rule.l7.join(', ')}): istiod drops this ALLOW rule for ztunnel`,
        },
      ],
    };
  const clauses: Clause[] = [];
  let matched = true;
  for (const clause of rule.clauses) {
    const candidates = clause.matches.filter((m) => !isEmptyMatch(m)).map((m) => matchClauses(m, c));
    if (candidates.length === 0) {
      matched = false;
      clauses.push({
        field: clause.field,
        ok: false,
        expected: 'an L4 field',
        actual: `only L7 fields (${rule.l7.join(', ')}): ztunnel skips an empty match`,
      });
      continue;
    }
    const best =
      candidates.find((cs) => cs.every((x) => x.ok)) ??
      candidates.reduce((a, b) => (b.filter((x) => !x.ok).length < a.filter((x) => !x.ok).length ? b : a));
    if (!best.every((x) => x.ok)) matched = false;
    clauses.push(...best);
  }
  return { policy, rule, matched, clauses };
}

export function l4Rules(policy: AuthorizationPolicy): L4Rule[] {
  const action = policy.action === 'DENY' ? 'DENY' : 'ALLOW';
  return policy.rules.map((r, i) => toL4Rule(r, i, action, policy.namespace));
}

export function mentionL4(
  r: L4RuleResult | { policy: AuthorizationPolicy; rule: null },
  effect: PolicyEffect,
): PolicyMention {
  return {
    kind: 'AuthorizationPolicy',
    namespace: r.policy.namespace,
    name: r.policy.name,
    rule: r.rule === null ? null : r.rule.index,
    ruleRef: formatRuleRef(ztunnelRuleRef(r.policy.namespace, r.policy.name)),
    effect,
  };
}

export function nearestL4(results: readonly L4RuleResult[]): RuleMiss[] {
  const failing = (r: L4RuleResult): number => r.clauses.filter((c) => !c.ok).length;
  return [...results]
    .filter((r) => !r.matched)
    .sort((a, b) => failing(a) - failing(b))
    .map((r) => ({ policy: mentionL4(r, 'no-match'), clauses: r.clauses }));
}
