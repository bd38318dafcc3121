/**
 * The AuthorizationPolicy rule matcher as it was before per-rule plans and the principal memos
 * (src/engine/istio/rule-match.ts at 65b035f, with principal-match.ts withTrustDomainAliases and
 * attributes.ts splitPrincipal unmemoized), kept as the definition rule-match-reference.test.ts
 * compares the memoized matcher with. Not used by meshdbg.
 */
import type { AuthzAction, AuthzCondition, AuthzOperation, AuthzRule, AuthzSource } from '../../../src/model/istio.js';
import type { Clause } from '../../../src/engine/explanation.js';
import type { AuthzAttributes, PrincipalParts } from '../../../src/engine/istio/attributes.js';
import { ipInCidr } from '../../../src/util/cidr.js';
import {
  istioHostMatch,
  istioNamespaceMatch,
  istioPathMatch,
  istioRequestPrincipalMatch,
  istioStringMatch,
} from '../../../src/engine/istio/string-match.js';
import { evalWhen, whenKey, type Tri } from '../../../src/engine/istio/when-keys.js';

function splitPrincipal(principal: string | null): PrincipalParts | null {
  if (principal === null) return null;
  const m = /^(.*)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return m ? { trustDomain: m[1] ?? '', namespace: m[2] ?? '', serviceAccount: m[3] ?? '' } : null;
}

const prefixMatch = (a: string, pattern: string): boolean =>
  pattern.endsWith('*') && a.startsWith(pattern.slice(0, -1));
const suffixMatch = (a: string, pattern: string): boolean => pattern.startsWith('*') && a.endsWith(pattern.slice(1));

function bundleMatches(td: string, bundle: readonly string[]): boolean {
  return bundle.some(
    (s) =>
      td === s || s === '*' || prefixMatch(td, s) || prefixMatch(s, td) || suffixMatch(td, s) || suffixMatch(s, td),
  );
}

function withTrustDomainAliases(pattern: string, bundle: readonly string[]): readonly string[] {
  const parts = pattern.split('/');
  const td = parts[0] ?? '';
  if (parts.length !== 5 || td === '*') return [pattern];
  if (td !== 'cluster.local' && !bundleMatches(td, bundle)) return [pattern];
  return [...new Set(bundle.map((b) => (suffixMatch(b, td) ? pattern : [b, ...parts.slice(1)].join('/'))))];
}

function principalTest(pattern: string, actual: string, a: AuthzAttributes): boolean {
  return withTrustDomainAliases(pattern, a.trustDomains).some((p) => istioStringMatch(p, actual));
}

interface FieldSpec {
  readonly http: boolean;
  readonly actual: (a: AuthzAttributes, policyNs: string) => string | null | 'unknown';
  readonly test: (pattern: string, actual: string, a: AuthzAttributes, policyNs: string) => boolean;
}

function requestPrincipalTest(pattern: string, a: AuthzAttributes): boolean {
  const iss = a.claims?.['iss'];
  const sub = a.claims?.['sub'];
  return istioRequestPrincipalMatch(
    pattern,
    typeof iss === 'string' ? iss : null,
    typeof sub === 'string' ? sub : null,
  );
}

const SOURCE: Readonly<Record<string, FieldSpec>> = {
  principals: { http: false, actual: (a) => a.principal, test: principalTest },
  requestPrincipals: { http: true, actual: (a) => a.requestPrincipal, test: (p, _v, a) => requestPrincipalTest(p, a) },
  namespaces: {
    http: false,
    actual: (a) => splitPrincipal(a.principal)?.namespace ?? null,
    test: (p, _v, a) => istioNamespaceMatch(p, a.principal),
  },
  serviceAccounts: {
    http: false,
    actual: (a) => {
      const p = splitPrincipal(a.principal);
      return p ? `${p.namespace}/${p.serviceAccount}` : null;
    },
    // `<sa>` alone names a service account of the policy's namespace.
    test: (p, v, _a, ns) => (p.includes('/') ? p : `${ns}/${p}`) === v,
  },
  ipBlocks: { http: false, actual: (a) => a.sourceIp ?? 'unknown', test: (p, v) => ipInCidr(v.trim(), p.trim()) },
  remoteIpBlocks: { http: false, actual: (a) => a.remoteIp ?? 'unknown', test: (p, v) => ipInCidr(v.trim(), p.trim()) },
  trustDomains: {
    http: false,
    actual: (a) => splitPrincipal(a.principal)?.trustDomain ?? null,
    test: (p, v) => istioStringMatch(p, v),
  },
};

const OPERATION: Readonly<Record<string, FieldSpec>> = {
  hosts: { http: true, actual: (a) => a.host, test: (p, v) => istioHostMatch(p, v) },
  ports: { http: false, actual: (a) => String(a.port), test: (p, v) => p === v },
  methods: { http: true, actual: (a) => a.method, test: (p, v) => istioStringMatch(p, v) },
  paths: { http: true, actual: (a) => a.path, test: (p, v) => istioPathMatch(p, v) },
};

interface RuleContext {
  readonly action: AuthzAction;
  readonly policyNamespace: string;
}

interface RuleEval {
  readonly result: Tri;
  readonly clauses: readonly Clause[];
  /** why istiod drops the rule (unknown when key, HTTP-only ALLOW rule on TCP), else null */
  readonly dropped: string | null;
}

function capitalized(field: string): string {
  return `not${field[0]?.toUpperCase() ?? ''}${field.slice(1)}`;
}

function fieldEval(
  spec: FieldSpec,
  patterns: readonly string[],
  negate: boolean,
  actual: string | null,
  a: AuthzAttributes,
  ns: string,
): Tri {
  if (actual === 'unknown') return 'unknown';
  const hit = actual !== null && patterns.some((p) => spec.test(p, actual, a, ns));
  return hit === negate ? 'miss' : 'match';
}

function and(results: readonly Tri[]): Tri {
  if (results.includes('miss')) return 'miss';
  return results.includes('unknown') ? 'unknown' : 'match';
}

/** `and` of two: miss over unknown over match. */
function worse(x: Tri, y: Tri): Tri {
  return x === 'miss' || y === 'miss' ? 'miss' : x === 'unknown' || y === 'unknown' ? 'unknown' : 'match';
}

const RANK: Readonly<Record<Tri, number>> = { match: 0, unknown: 1, miss: 2 };

/** clauses of one source/operation entry */
/** One field an entry sets: the spec, whether it is the not- form, its patterns and its clause name. */
interface PresentField {
  readonly spec: FieldSpec;
  readonly negate: boolean;
  readonly patterns: readonly string[];
  readonly field: string;
}

function presentFields(
  entry: AuthzSource | AuthzOperation,
  specs: Readonly<Record<string, FieldSpec>>,
  prefix: string,
): readonly PresentField[] {
  const out: PresentField[] = [];
  const values = entry as Readonly<Record<string, readonly string[] | undefined>>;
  for (const [name, spec] of Object.entries(specs)) {
    for (const [field, negate] of [
      [name, false],
      [capitalized(name), true],
    ] as const) {
      const patterns = values[field];
      // an empty list is the same as an absent field (istio/istio:pilot/pkg/security/authz/model/model.go, insertFront skips it)
      if (patterns === undefined || patterns.length === 0) continue;
      out.push({ spec, negate, patterns, field: `${prefix}.${field}` });
    }
  }
  return out;
}

function entryEval(
  entry: AuthzSource | AuthzOperation,
  specs: Readonly<Record<string, FieldSpec>>,
  prefix: string,
  a: AuthzAttributes,
  ctx: RuleContext,
): { result: Tri; clauses: Clause[] } {
  const clauses: Clause[] = [];
  let result: Tri = 'match';
  for (const { spec, negate, patterns, field } of presentFields(entry, specs, prefix)) {
    const ignored = spec.http && !a.http;
    const actual = spec.actual(a, ctx.policyNamespace);
    const r: Tri = ignored ? 'match' : fieldEval(spec, patterns, negate, actual, a, ctx.policyNamespace);
    result = worse(result, r);
    clauses.push({ field, ok: r === 'match', expected: patterns, actual: ignored ? 'ignored on a TCP port' : actual });
  }
  return { result, clauses };
}

function bestOf(
  entries: readonly (AuthzSource | AuthzOperation)[],
  specs: Readonly<Record<string, FieldSpec>>,
  kind: 'from' | 'to',
  a: AuthzAttributes,
  ctx: RuleContext,
) {
  const inner = kind === 'from' ? 'source' : 'operation';
  const evals = entries.map((e, i) => entryEval(e, specs, `${kind}[${i}].${inner}`, a, ctx));
  return evals.reduce((best, e) =>
    RANK[e.result] < RANK[best.result] || (e.result === best.result && failing(e.clauses) < failing(best.clauses))
      ? e
      : best,
  );
}

const nonEmpty = (l: readonly string[] | null): readonly string[] | null => (l !== null && l.length > 0 ? l : null);

/** a condition without values and notValues adds nothing (istio/istio:pilot/pkg/security/authz/model/model.go, appendLast skips it) */
function emptyCondition(w: AuthzCondition): boolean {
  return nonEmpty(w.values) === null && nonEmpty(w.notValues) === null;
}

function failing(clauses: readonly Clause[]): number {
  return clauses.filter((c) => !c.ok).length;
}

function scanHttpOnlyFields(rule: AuthzRule): string[] {
  const out: string[] = [];
  const scan = (entries: readonly object[] | null, specs: Readonly<Record<string, FieldSpec>>, kind: string) =>
    entries?.forEach((e, i) => {
      for (const [name, spec] of Object.entries(specs)) {
        if (!spec.http) continue;
        for (const f of [name, capitalized(name)]) {
          const v = (e as Readonly<Record<string, readonly string[] | undefined>>)[f];
          if (v !== undefined && v.length > 0) out.push(`${kind}[${i}].${f}`);
        }
      }
    });
  scan(rule.from, SOURCE, 'from');
  scan(rule.to, OPERATION, 'to');
  rule.when?.forEach((w, i) => {
    if (whenKey(w.key)?.http && !emptyCondition(w)) out.push(`when[${i}] ${w.key}`);
  });
  return out;
}

function whenEval(rule: AuthzRule, a: AuthzAttributes): { result: Tri; clauses: Clause[] } {
  const clauses: Clause[] = [];
  const results: Tri[] = [];
  for (const [i, w] of (rule.when ?? []).entries()) {
    const k = whenKey(w.key);
    if (k === null || emptyCondition(w)) continue;
    const ignored = k.http && !a.http;
    const r: Tri = ignored ? 'match' : evalWhen(k, a, nonEmpty(w.values), nonEmpty(w.notValues));
    const actual = k.actual(a);
    results.push(r);
    clauses.push({
      field: `when[${i}].${w.key}`,
      ok: r === 'match',
      expected: { values: w.values, notValues: w.notValues },
      actual: ignored ? 'ignored on a TCP port' : actual,
    });
  }
  return { result: and(results), clauses };
}

export function referenceEvaluateRule(rule: AuthzRule, a: AuthzAttributes, ctx: RuleContext): RuleEval {
  if (rule.skipped !== undefined)
    return {
      result: 'miss',
      dropped: rule.skipped,
      clauses: [{ field: 'rule', ok: false, expected: 'a rule', actual: 'null' }],
    };
  const unknownKey = rule.when?.find((w) => whenKey(w.key) === null);
  if (unknownKey) {
    return {
      result: 'miss',
      dropped: `unknown when key "${unknownKey.key}": istiod skips this rule`,
      clauses: [{ field: 'when.key', ok: false, expected: 'a known attribute', actual: unknownKey.key }],
    };
  }
  if (!a.http && ctx.action === 'ALLOW') {
    const http = scanHttpOnlyFields(rule);
    if (http.length > 0) {
      return {
        result: 'miss',
        dropped: `HTTP-only fields (${http.join(', ')}) on a TCP port: istiod drops this ALLOW rule`,
        clauses: http.map((f) => ({ field: f, ok: false, expected: 'HTTP traffic', actual: 'TCP' })),
      };
    }
  }
  const parts = [
    rule.from ? bestOf(rule.from, SOURCE, 'from', a, ctx) : null,
    rule.to ? bestOf(rule.to, OPERATION, 'to', a, ctx) : null,
    whenEval(rule, a),
  ].filter((p): p is { result: Tri; clauses: Clause[] } => p !== null);
  return { result: and(parts.map((p) => p.result)), clauses: parts.flatMap((p) => p.clauses), dropped: null };
}
