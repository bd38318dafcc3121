/**
 * The destination ztunnel's authz-deny and authz-allow steps (enforcer `ztunnel`), the answer a
 * denied client gets (the connection is closed: `connection-reset`, with ztunnel's own error text,
 * istio/ztunnel src/proxy.rs AuthorizationRejectionError), and fixes that teach the model.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { ExpectedResponse, ExplanationFinding, Fix, RuleMiss, Step, StepExtras } from '../explanation.js';
import { allowFix, manualFix } from '../istio/fix.js';
import type { AuthzAttributes } from '../istio/attributes.js';
import {
  evaluateL4Rule,
  l4Rules,
  mentionL4,
  nearestL4,
  type L4RuleResult,
  type ZtunnelConnection,
} from './ztunnel-authz.js';
import type { ZtunnelPolicies } from './binding.js';

export interface ZtunnelAuthzOutcome {
  readonly deny: Step;
  readonly allow: Step;
  readonly response: ExpectedResponse | null;
  readonly nearestMiss: RuleMiss[];
  readonly notes: string[];
  readonly findings: ExplanationFinding[];
  readonly fix: Fix[];
}

/** The waypoint the traffic came through, when any: its identity is what ztunnel sees. */
export interface ViaWaypoint {
  readonly namespace: string;
  readonly name: string;
  readonly principal: string;
}

function reset(reason: string): ExpectedResponse {
  return {
    status: 'connection-reset',
    body: null,
    flags: null,
    details: `connection closed due to policy rejection: ${reason}`,
  };
}

function step(
  layer: 'authz-deny' | 'authz-allow',
  verdict: Step['verdict'],
  summary: string,
  policies: Step['policies'],
  extra: StepExtras = {},
): Step {
  return { layer, verdict, effective: true, summary, policies, enforcer: 'ztunnel', ...extra };
}

function results(policies: readonly AuthorizationPolicy[], c: ZtunnelConnection): L4RuleResult[] {
  return policies.flatMap((p) => l4Rules(p).map((r) => evaluateL4Rule(p, r, c)));
}

/** L7 fields in a ztunnel-bound policy: what istiod does with them (authorization.go httpRuleFmt). */
export function l7Findings(policies: readonly AuthorizationPolicy[]): ExplanationFinding[] {
  return policies.flatMap((p) => {
    const l7 = [...new Set(l4Rules(p).flatMap((r) => r.l7))];
    if (l7.length === 0) return [];
    const effect =
      p.action === 'ALLOW'
        ? 'its rules with HTTP attributes are dropped (more restrictive than written)'
        : 'its rules are enforced without the HTTP attributes; a rule left with no L4 field never matches';
    return [
      {
        severity: 'warning' as const,
        code: 'ambient-l7-on-ztunnel',
        message: `${p.namespace}/${p.name} is enforced by ztunnel, which does not support HTTP attributes (${l7.join(', ')}): ${effect}. Bind this L7 rule to the waypoint with targetRefs`,
        object: { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name },
      },
    ];
  });
}

function denyOutcome(
  denying: L4RuleResult | undefined,
  count: number,
): { step: Step; response: ExpectedResponse | null; fix: Fix[] } {
  if (!denying)
    return {
      step: step(
        'authz-deny',
        'allowed',
        count === 0
          ? 'no DENY policy applies at ztunnel'
          : `${count} DENY ${count === 1 ? 'policy applies' : 'policies apply'} at ztunnel, no rule matches`,
        [],
      ),
      response: null,
      fix: [],
    };
  const p = denying.policy;
  return {
    step: step('authz-deny', 'denied', `DENY ${p.namespace}/${p.name} rule ${denying.rule.index} matches at ztunnel`, [
      mentionL4(denying, 'denied'),
    ]),
    response: reset(`explicitly denied by: ${p.namespace}/${p.name}`),
    fix: [
      manualFix(
        `DENY rule ${denying.rule.index} of ${p.namespace}/${p.name} matches this connection at ztunnel`,
        { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name },
        'Narrow the DENY rule (a notPrincipals/notNamespaces/notPorts exception or a tighter selector) or delete it.',
      ),
    ],
  };
}

function allowFixes(
  dst: Pod,
  misses: RuleMiss[],
  c: ZtunnelConnection,
  via: ViaWaypoint | null,
  sourceName: string,
): Fix[] {
  const closest = misses[0];
  const attrs: AuthzAttributes = {
    http: false,
    principal: c.identity
      ? `${c.identity.trustDomain}/ns/${c.identity.namespace}/sa/${c.identity.serviceAccount}`
      : null,
    sourceIp: c.sourceIp,
    remoteIp: c.sourceIp,
    requestPrincipal: null,
    claims: null,
    method: null,
    path: null,
    host: null,
    headers: {},
    port: c.port,
    destinationIp: c.destinationIp,
    sni: null,
    trustDomains: [],
  };
  const fix = allowFix(dst, attrs, via ? `waypoint-${via.name}` : sourceName);
  if (!via) return [fix];
  const name = closest ? `${closest.policy.namespace}/${closest.policy.name}` : 'the L4 ALLOW policy';
  return [
    {
      ...fix,
      why: `traffic through waypoint ${via.namespace}/${via.name} reaches ztunnel with the waypoint's identity (${via.principal}), not the client's: add the waypoint's service account to this L4 ALLOW (${name}), or bind the policy to the waypoint with targetRefs`,
    },
  ];
}

export function evaluateZtunnelAuthz(
  dst: Pod,
  bound: ZtunnelPolicies,
  c: ZtunnelConnection,
  via: ViaWaypoint | null,
  sourceName: string,
): ZtunnelAuthzOutcome {
  const notes = bound.ignored.map(
    (i) => `${i.policy.namespace}/${i.policy.name} is not enforced by ztunnel: ${i.reason}`,
  );
  const denyPolicies = bound.enforced.filter((p) => p.action === 'DENY');
  const allowPolicies = bound.enforced.filter((p) => p.action === 'ALLOW');
  const deny = denyOutcome(
    results(denyPolicies, c).find((r) => r.matched),
    denyPolicies.length,
  );
  const findings = l7Findings(bound.enforced);
  const who = via
    ? `the waypoint's identity ${via.principal}`
    : c.identity
      ? `identity ${c.identity.namespace}/${c.identity.serviceAccount}`
      : 'no identity (plaintext)';
  if (allowPolicies.length === 0)
    return {
      deny: deny.step,
      allow: step('authz-allow', 'allowed', 'no ALLOW policy applies at ztunnel: allowed by default', []),
      response: deny.response,
      nearestMiss: [],
      notes,
      findings,
      fix: deny.fix,
    };
  const all = results(allowPolicies, c);
  const matched = all.find((r) => r.matched);
  if (matched)
    return {
      deny: deny.step,
      allow: step(
        'authz-allow',
        'allowed',
        `ALLOW ${matched.policy.namespace}/${matched.policy.name} rule ${matched.rule.index} matches at ztunnel (${who})`,
        [mentionL4(matched, 'allowed')],
      ),
      response: deny.response,
      nearestMiss: [],
      notes,
      findings,
      fix: deny.fix,
    };
  const misses = nearestL4(all);
  const mentions = allowPolicies.map((p) => ({ ...mentionL4({ policy: p, rule: null }, 'no-match') }));
  return {
    deny: deny.step,
    allow: step(
      'authz-allow',
      'denied',
      `${allowPolicies.length} ALLOW ${allowPolicies.length === 1 ? 'policy applies' : 'policies apply'} at ztunnel and none matches ${who}: allow policies exist, but none allowed`,
      mentions,
      { misses },
    ),
    response: deny.response ?? reset('allow policies exist, but none allowed'),
    nearestMiss: misses,
    notes,
    findings,
    fix: [...deny.fix, ...allowFixes(dst, misses, c, via, sourceName)],
  };
}
