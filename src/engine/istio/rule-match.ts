/**
 * One AuthorizationPolicy rule against the request attributes, clause by clause.
 * A rule matches when one `from` source, one `to` operation and every `when` condition match
 * (istio/api:security/v1beta1/authorization.proto, Rule). On TCP chains HTTP-only fields make istiod drop an ALLOW rule (never matches)
 * and are ignored (always match) for DENY/AUDIT/CUSTOM (istio/istio:pilot/pkg/security/authz/model/model.go; pinned by
 * the builder goldens tcp/allow-only-http and tcp/deny-both-http-tcp).
 */
import type { AuthzAction, AuthzCondition, AuthzOperation, AuthzRule, AuthzSource } from '../../model/istio.js';
import type { Clause } from '../explanation.js';
import { splitPrincipal, type AuthzAttributes } from './attributes.js';
import { principalTest } from './principal-match.js';
import { ipInCidr } from '../../util/cidr.js';
import {
  istioHostMatch,
  istioNamespaceMatch,
  istioPathMatch,
  istioRequestPrincipalMatch,
  istioStringMatch,
} from './string-match.js';
import { evalWhen, whenKey, type Tri, type WhenKey } from './when-keys.js';

export type { Tri } from './when-keys.js';

interface FieldSpec {
  readonly http: boolean;
  readonly actual: (a: AuthzAttributes, policyNs: string) => string | null | 'unknown';
  readonly test: (pattern: string, actual: string, a: AuthzAttributes, policyNs: string) => boolean;
}

export function requestPrincipalTest(pattern: string, a: AuthzAttributes): boolean {
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

export interface RuleContext {
  readonly action: AuthzAction;
  readonly policyNamespace: string;
}

export interface RuleEval {
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

/** `and` of two: miss over unknown over match. */
function worse(x: Tri, y: Tri): Tri {
  return x === 'miss' || y === 'miss' ? 'miss' : x === 'unknown' || y === 'unknown' ? 'unknown' : 'match';
}

const RANK: Readonly<Record<Tri, number>> = { match: 0, unknown: 1, miss: 2 };

/** One field an entry sets: the spec, whether it is the not- form, its patterns and its clause name. */
interface PresentField {
  readonly spec: FieldSpec;
  readonly negate: boolean;
  readonly patterns: readonly string[];
  readonly field: string;
}

/** The fields a `from` source or a `to` operation sets, in spec order, with clause names under `prefix`. */
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

function entryEval(fields: readonly PresentField[], a: AuthzAttributes, ctx: RuleContext): EntryEval {
  const clauses: Clause[] = [];
  let result: Tri = 'match';
  let failed = 0;
  for (const { spec, negate, patterns, field } of fields) {
    const ignored = spec.http && !a.http;
    const actual = spec.actual(a, ctx.policyNamespace);
    const r: Tri = ignored ? 'match' : fieldEval(spec, patterns, negate, actual, a, ctx.policyNamespace);
    result = worse(result, r);
    if (r !== 'match') failed++;
    clauses.push({ field, ok: r === 'match', expected: patterns, actual: ignored ? 'ignored on a TCP port' : actual });
  }
  return { result, clauses, failed };
}

interface EntryEval {
  readonly result: Tri;
  readonly clauses: Clause[];
  /** how many of `clauses` are not ok */
  readonly failed: number;
}

/** The closest entry: the best result, then the fewest failing clauses, the first of equals. */
function bestOf(entries: readonly (readonly PresentField[])[], a: AuthzAttributes, ctx: RuleContext): EntryEval {
  let best = entryEval(entries[0] ?? [], a, ctx);
  for (let i = 1; i < entries.length; i++) {
    const e = entryEval(entries[i] as readonly PresentField[], a, ctx);
    if (RANK[e.result] < RANK[best.result] || (e.result === best.result && e.failed < best.failed)) best = e;
  }
  return best;
}

const nonEmpty = (l: readonly string[] | null): readonly string[] | null => (l !== null && l.length > 0 ? l : null);

/** a condition without values and notValues adds nothing (istio/istio:pilot/pkg/security/authz/model/model.go, appendLast skips it) */
function emptyCondition(w: AuthzCondition): boolean {
  return nonEmpty(w.values) === null && nonEmpty(w.notValues) === null;
}

export function failing(clauses: readonly Clause[]): number {
  return clauses.filter((c) => !c.ok).length;
}

/** Per rule object: every flow on a TCP port asks it of every ALLOW rule of the destination. */
const httpOnlyFieldsMemo = new WeakMap<AuthzRule, readonly string[]>();

export function httpOnlyFields(rule: AuthzRule): readonly string[] {
  let fields = httpOnlyFieldsMemo.get(rule);
  if (!fields) httpOnlyFieldsMemo.set(rule, (fields = scanHttpOnlyFields(rule)));
  return fields;
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

/** A `when` condition istiod keeps (known key, some value): its clause name and the values it tests. */
interface PlannedCondition {
  readonly key: WhenKey;
  readonly field: string;
  readonly expected: { readonly values: readonly string[] | null; readonly notValues: readonly string[] | null };
  readonly values: readonly string[] | null;
  readonly notValues: readonly string[] | null;
}

/**
 * What a rule's evaluation reads of the rule, made once per rule object (every flow to the
 * policy's workloads evaluates it): the fields each `from` and `to` entry sets, the conditions
 * kept, and the first unknown `when` key. The attributes are read per flow.
 */
interface RulePlan {
  readonly unknownKey: AuthzCondition | undefined;
  readonly from: readonly (readonly PresentField[])[] | null;
  readonly to: readonly (readonly PresentField[])[] | null;
  readonly when: readonly PlannedCondition[];
}

const rulePlans = new WeakMap<AuthzRule, RulePlan>();

function planOf(rule: AuthzRule): RulePlan {
  let plan = rulePlans.get(rule);
  if (!plan) rulePlans.set(rule, (plan = makePlan(rule)));
  return plan;
}

function makePlan(rule: AuthzRule): RulePlan {
  const when: PlannedCondition[] = [];
  for (const [i, w] of (rule.when ?? []).entries()) {
    const key = whenKey(w.key);
    if (key === null || emptyCondition(w)) continue;
    const field = `when[${i}].${w.key}`;
    const expected = { values: w.values, notValues: w.notValues };
    when.push({ key, field, expected, values: nonEmpty(w.values), notValues: nonEmpty(w.notValues) });
  }
  return {
    unknownKey: rule.when?.find((w) => whenKey(w.key) === null),
    from: rule.from?.map((e, i) => presentFields(e, SOURCE, `from[${i}].source`)) ?? null,
    to: rule.to?.map((e, i) => presentFields(e, OPERATION, `to[${i}].operation`)) ?? null,
    when,
  };
}

function whenEval(conditions: readonly PlannedCondition[], a: AuthzAttributes): EntryEval {
  const clauses: Clause[] = [];
  let result: Tri = 'match';
  let failed = 0;
  for (const c of conditions) {
    const ignored = c.key.http && !a.http;
    const r: Tri = ignored ? 'match' : evalWhen(c.key, a, c.values, c.notValues);
    const actual = c.key.actual(a);
    result = worse(result, r);
    if (r !== 'match') failed++;
    clauses.push({
      field: c.field,
      ok: r === 'match',
      expected: c.expected,
      actual: ignored ? 'ignored on a TCP port' : actual,
    });
  }
  return { result, clauses, failed };
}

export function evaluateRule(rule: AuthzRule, a: AuthzAttributes, ctx: RuleContext): RuleEval {
  if (rule.skipped !== undefined)
    return {
      result: 'miss',
      dropped: rule.skipped,
      clauses: [{ field: 'rule', ok: false, expected: 'a rule', actual: 'null' }],
    };
  const plan = planOf(rule);
  const unknownKey = plan.unknownKey;
  if (unknownKey) {
    return {
      result: 'miss',
      dropped: `unknown when key "${unknownKey.key}": istiod skips this rule`,
      clauses: [{ field: 'when.key', ok: false, expected: 'a known attribute', actual: unknownKey.key }],
    };
  }
  if (!a.http && ctx.action === 'ALLOW') {
    const http = httpOnlyFields(rule);
    if (http.length > 0) {
      return {
        result: 'miss',
        dropped: `HTTP-only fields (${http.join(', ')}) on a TCP port: istiod drops this ALLOW rule`,
        clauses: http.map((f) => ({ field: f, ok: false, expected: 'HTTP traffic', actual: 'TCP' })),
      };
    }
  }
  const from = plan.from ? bestOf(plan.from, a, ctx) : null;
  const to = plan.to ? bestOf(plan.to, a, ctx) : null;
  const when = whenEval(plan.when, a);
  let result = when.result;
  let clauses = when.clauses;
  if (to) {
    result = worse(to.result, result);
    clauses = clauses.length === 0 ? to.clauses : [...to.clauses, ...clauses];
  }
  if (from) {
    result = worse(from.result, result);
    clauses = clauses.length === 0 ? from.clauses : [...from.clauses, ...clauses];
  }
  return { result, clauses, dropped: null };
}
