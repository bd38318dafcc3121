/**
 * What the ALLOW rules admit on an HTTP port, read from the engine's own evaluation of a request
 * that carries no HTTP attributes: a rule whose only failing clauses ask for HTTP attributes
 * (methods, paths, hosts, headers, request principals) admits exactly the requests that have them.
 */
import type { Clause, RuleMiss, Step } from '../explanation.js';

export interface HttpRule {
  readonly ruleRef: string;
  /** clause field suffix (methods, paths, notPaths, hosts, principals, ...) -> what the rule asks */
  readonly match: Readonly<Record<string, unknown>>;
}

export interface HttpSummary {
  readonly rules: readonly HttpRule[];
}

const REQUEST_FIELD = /(operation\.(not)?(methods|paths|hosts)|source\.(not)?requestPrincipals|request\.)/i;

function fieldName(clause: Clause): string {
  const tail = clause.field.split('.').pop() ?? clause.field;
  return tail.replace(/^when\[\d+\]\s*/, '');
}

function admitsSomeRequest(miss: RuleMiss): boolean {
  const failing = miss.clauses.filter((c) => !c.ok);
  return (
    miss.policy.rule !== null &&
    failing.length > 0 &&
    failing.every((c) => REQUEST_FIELD.test(c.field) && c.expected !== 'HTTP traffic')
  );
}

function ruleOf(miss: RuleMiss): HttpRule {
  const match: Record<string, unknown> = {};
  for (const clause of miss.clauses) match[fieldName(clause)] = clause.expected;
  return { ruleRef: miss.policy.ruleRef, match };
}

/** null when no ALLOW rule admits requests by their HTTP attributes alone. */
export function httpSummaryOf(steps: readonly Step[]): HttpSummary | null {
  const allow = steps.find((s) => s.layer === 'authz-allow');
  const rules = (allow?.misses ?? []).filter(admitsSomeRequest).map(ruleOf);
  return rules.length > 0 ? { rules } : null;
}

/** Stable text for grouping equal connections. */
export function httpSummaryKey(summary: HttpSummary | null): string {
  return summary === null ? '' : JSON.stringify(summary.rules);
}
