/**
 * The Istio layers of explain, in the order traffic meets them: mesh, mtls, authz-custom,
 * jwt, authz-deny, authz-allow. Every layer is evaluated and reported; the orchestrator
 * recomputes `effective`.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition, ExpectedResponse, ExplanationFinding, Fix, RuleMiss, Step } from '../explanation.js';
import type { FlowContext } from '../flow.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { principalOf, type AuthzAttributes } from './attributes.js';
import { evaluateAllow, evaluateCustom, evaluateDeny, type AllowOutcome, type AuthzOutcome } from './authz.js';
import { inboundCapture, outboundCapture } from './capture.js';
import { dialedAddress } from './client-tls.js';
import { flowConditions } from './context.js';
import { allowFix, manualFix } from './fix.js';
import { evaluateJwt } from './jwt.js';
import { evaluateMesh, type MeshOutcome, type MeshSide } from './mesh.js';
import { evaluateMtls, type MtlsOutcome } from './mtls.js';
import { authzPoliciesFor } from './policy-index.js';
import { trafficKind, type Traffic } from './protocol.js';
import { identityFields } from './lint-policies.js';
import { httpOnlyFields } from './rule-match.js';
import { normalizeRequestPath, pathReport } from './path-normalization.js';
import type { IstioEvaluation, ReachabilityCheck } from './types.js';

export type { IstioEvaluation, ReachabilityCheck } from './types.js';

function notApplicable(layer: Step['layer'], summary: string): Step {
  return { layer, verdict: 'not-applicable', effective: true, summary, policies: [] };
}

/** Why the destination's sidecar is not in the path, or null when it is. */
function bypassReason(flow: FlowContext, dst: Pod | null, unproxied: string | null): string | null {
  if (unproxied !== null) return unproxied;
  if (dst === null) return 'the destination is outside the cluster: no sidecar';
  const c = inboundCapture(dst, flow.port);
  if (c.captured) return null;
  return podHasSidecar(dst)
    ? `port ${flow.port} bypasses the destination sidecar (${c.reason}): no mTLS, no authorization`
    : 'the destination has no sidecar';
}

function meshSides(
  flow: FlowContext,
  src: Pod | null,
  dst: Pod | null,
  bypass: string | null,
  unproxied: boolean,
): MeshSide[] {
  if (unproxied) return [];
  const sides: MeshSide[] = [];
  const dialed = dialedAddress(flow);
  if (src && outboundCapture(src, dialed.ip, dialed.port).captured) sides.push({ role: 'source', pod: src });
  if (dst && bypass === null) sides.push({ role: 'destination', pod: dst });
  return sides;
}

/** The request attributes rules match on (also used by the ambient waypoint, with the client as source). */
export function attributes(snapshot: Snapshot, flow: FlowContext, http: boolean, mtls: boolean): AuthzAttributes {
  const mesh = snapshot.istio.mesh;
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const sourceIp = flow.source.type === 'ip' ? flow.source.ip : (src?.ip ?? null);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(flow.http?.headers ?? {})) headers[k.toLowerCase()] = v;
  const h = flow.http;
  if (h?.method) headers[':method'] = h.method;
  if (h?.path) headers[':path'] = h.path;
  if (h?.host) headers[':authority'] = h.host;
  const xff = headers['x-forwarded-for']?.split(',').map((s) => s.trim());
  const remoteIp =
    mesh.numTrustedProxies > 0 && xff && xff.length > 0
      ? (xff[Math.max(0, xff.length - mesh.numTrustedProxies)] ?? sourceIp)
      : sourceIp;
  const svc = flow.service;
  return {
    http,
    principal: mtls && src ? principalOf(mesh.trustDomain, src.namespace, src.serviceAccount) : null,
    sourceIp,
    remoteIp,
    requestPrincipal: null,
    claims: null,
    method: http ? (h?.method ?? null) : null,
    path: http && h?.path ? normalizeRequestPath(h.path, mesh.pathNormalization).path : null,
    host: http ? (h?.host ?? null) : null,
    headers: http ? headers : {},
    port: flow.port,
    destinationIp: flow.destination.type === 'ip' ? flow.destination.ip : flow.destination.pod.ip,
    sni:
      mtls && svc && flow.servicePort !== null
        ? `outbound_.${flow.servicePort}_._.${svc.name}.${svc.namespace}.svc.cluster.local`
        : null,
    trustDomains: [mesh.trustDomain, ...mesh.trustDomainAliases],
  };
}

const JWT_FIELD = /requestPrincipals|request\.auth\./;

/** When the closest ALLOW rule misses only on JWT fields, the fix is a token, not a wider policy. */
function allowOrTokenFix(misses: readonly RuleMiss[], dst: Pod, a: AuthzAttributes, src: Pod | null): Fix {
  const closest = misses[0];
  const failing = closest?.clauses.filter((c) => !c.ok) ?? [];
  if (closest && failing.length > 0 && failing.every((c) => JWT_FIELD.test(c.field))) {
    return manualFix(
      `${closest.policy.ruleRef} misses only on ${failing.map((c) => c.field).join(', ')}`,
      { kind: 'AuthorizationPolicy', namespace: closest.policy.namespace, name: closest.policy.name },
      `Send a valid JWT whose request principal/claims match (expected ${JSON.stringify(failing.map((c) => c.expected))}); widening the policy would drop the token requirement.`,
    );
  }
  return allowFix(dst, a, src ? (src.owners[0]?.name ?? src.name) : 'external');
}

/** Per-flow findings: identity rules that cannot match without mTLS, HTTP-only fields on a TCP port. */
function ruleFindings(policies: readonly AuthorizationPolicy[], a: AuthzAttributes): ExplanationFinding[] {
  const out: ExplanationFinding[] = [];
  for (const p of policies) {
    const object = { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name };
    if (a.principal === null && p.rules.some(identityFields)) {
      out.push({
        severity: 'warning',
        code: 'identity-without-mtls',
        message: `${p.namespace}/${p.name} matches on peer identity, but this request carries none (no Istio mTLS)`,
        object,
      });
    }
    const http = a.http ? [] : p.rules.flatMap(httpOnlyFields);
    if (http.length > 0) {
      out.push({
        severity: 'warning',
        code: 'http-field-on-tcp-port',
        message: `${p.namespace}/${p.name} uses HTTP-only fields (${http.join(', ')}) and port ${a.port} is TCP: ${p.action === 'ALLOW' ? 'those rules never match' : 'those fields are ignored (wider match)'}`,
        object,
      });
    }
  }
  return out;
}

function firstResponse(
  steps: readonly Step[],
  responses: readonly (ExpectedResponse | null)[],
): ExpectedResponse | null {
  const i = steps.findIndex((s) => s.verdict === 'denied');
  return i < 0 ? null : (responses[i] ?? null);
}

interface Common {
  readonly mesh: MeshOutcome;
  readonly mtls: MtlsOutcome | null;
  readonly mtlsStep: Step;
  readonly findings: ExplanationFinding[];
  readonly notes: string[];
  readonly conditions: Condition[];
}

function common(
  snapshot: Snapshot,
  flow: FlowContext,
  reach: ReachabilityCheck,
  bypass: string | null,
  unproxied: string | null,
): Common {
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const dst = flow.destination.type === 'pod' ? flow.destination.pod : null;
  const mesh = evaluateMesh(snapshot, meshSides(flow, src, dst, bypass, unproxied !== null), dst ?? src, reach);
  const mtls = unproxied !== null ? null : evaluateMtls(snapshot, flow, bypass);
  return {
    mesh,
    mtls,
    mtlsStep: mtls?.step ?? notApplicable('mtls', bypass ?? ''),
    findings: [...mesh.findings, ...(mtls?.findings ?? [])],
    notes: [...mesh.notes, ...(mtls?.notes ?? [])],
    conditions: [...flowConditions(snapshot, flow), ...mesh.conditions, ...(mtls?.conditions ?? [])],
  };
}

function mtlsFix(c: Common, dst: Pod | null): Fix[] {
  if (c.mtlsStep.verdict !== 'denied') return [];
  const target = {
    kind: 'PeerAuthentication',
    namespace: dst?.namespace ?? null,
    name: c.mtlsStep.policies[0]?.name ?? '',
  };
  return [
    manualFix(
      c.mtlsStep.summary,
      target,
      'Make both sides agree: give the client a sidecar (or remove a DestinationRule tls.mode DISABLE / ISTIO_MUTUAL that does not fit), or set the destination port PERMISSIVE with portLevelMtls.',
    ),
  ];
}

/** UDP/SCTP, no destination sidecar, or a port the sidecar does not capture: the authz layers do not apply. */
function bypassed(c: Common, dst: Pod | null, bypass: string, unproxied: string | null): IstioEvaluation {
  const findings = [...c.findings];
  if (dst && unproxied === null && podHasSidecar(dst)) {
    findings.push({
      severity: 'info',
      code: 'port-bypasses-sidecar',
      message: bypass,
      object: { kind: 'Pod', namespace: dst.namespace, name: dst.name },
    });
  }
  const steps = [
    c.mesh.step,
    c.mtlsStep,
    ...(['authz-custom', 'jwt', 'authz-deny', 'authz-allow'] as const).map((l) => notApplicable(l, bypass)),
  ];
  return {
    steps,
    clientTls: c.mtls?.clientTls ?? null,
    jwt: null,
    nearestMiss: [],
    conditions: c.conditions,
    findings,
    fix: [...c.mesh.fix, ...mtlsFix(c, dst)],
    expectedResponse: firstResponse(steps, [c.mesh.response, c.mtls?.response ?? null]),
    notes: c.notes,
    assumptions: [...c.mesh.assumptions],
  };
}

function protocolNotes(flow: FlowContext, traffic: Traffic): string[] {
  if (traffic.kind === 'http' && flow.http === null)
    return [
      `port ${flow.port} is HTTP (${traffic.reason}) but the query gives no method or path: HTTP-only rule fields see absent values`,
    ];
  if (traffic.kind === 'tcp' && flow.http !== null)
    return [
      `HTTP fields given, but port ${flow.port} is TCP (${traffic.reason}): evaluated as TCP; ALLOW rules with HTTP-only fields never match, DENY/CUSTOM HTTP-only fields are ignored`,
    ];
  return [];
}

function authzFixes(dst: Pod, src: Pod | null, a: AuthzAttributes, allow: AllowOutcome, deny: AuthzOutcome): Fix[] {
  const out: Fix[] = [];
  if (allow.step.verdict === 'denied') out.push(allowOrTokenFix(allow.nearestMiss, dst, a, src));
  const denying = deny.step.policies[0];
  if (deny.step.verdict === 'denied' && denying) {
    out.push(
      manualFix(
        `DENY rule ${denying.ruleRef} matches this request`,
        { kind: 'AuthorizationPolicy', namespace: denying.namespace, name: denying.name },
        'Narrow the DENY rule (add a notPrincipals/notPaths/notPorts exception or a tighter selector) or delete it; meshdbg does not guess which traffic it is meant to stop.',
      ),
    );
  }
  return out;
}

export function evaluateIstioLayers(snapshot: Snapshot, flow: FlowContext, reach: ReachabilityCheck): IstioEvaluation {
  const traffic = trafficKind(flow);
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const dst = flow.destination.type === 'pod' ? flow.destination.pod : null;
  const unproxied = traffic.kind === 'unproxied' ? traffic.reason : null;
  const bypass = bypassReason(flow, dst, unproxied);
  const c = common(snapshot, flow, reach, bypass, unproxied);
  if (bypass !== null || dst === null || traffic.kind === 'unproxied') return bypassed(c, dst, bypass ?? '', unproxied);
  const http = traffic.kind === 'http';
  const attrs = attributes(snapshot, flow, http, c.mtls?.mtls ?? false);
  const policies = authzPoliciesFor(snapshot, dst);
  const providers = new Map(snapshot.istio.mesh.extensionProviders.map((p) => [p.name, p.type]));
  const custom = evaluateCustom(policies, attrs, providers, flow.extAuthz);
  const jwt = evaluateJwt(snapshot, flow, dst, http, c.mesh.istiod, reach);
  const withJwt: AuthzAttributes = { ...attrs, requestPrincipal: jwt.requestPrincipal, claims: jwt.claims };
  const deny = evaluateDeny(policies, withJwt, snapshot.istio.mesh.rootNamespace);
  const allow = evaluateAllow(policies, withJwt);
  const steps = [c.mesh.step, c.mtlsStep, custom.step, jwt.step, deny.step, allow.step];
  const mesh = snapshot.istio.mesh;
  const path = pathReport(http ? (flow.http?.path ?? null) : null, mesh.pathNormalization, mesh.origin);
  return {
    steps,
    clientTls: c.mtls?.clientTls ?? null,
    jwt: jwt.echo,
    nearestMiss: allow.nearestMiss,
    conditions: [
      ...c.conditions,
      ...path.conditions,
      ...custom.conditions,
      ...jwt.conditions,
      ...deny.conditions,
      ...allow.conditions,
    ],
    findings: [...c.findings, ...ruleFindings(policies, attrs)],
    fix: [...c.mesh.fix, ...mtlsFix(c, dst), ...authzFixes(dst, src, withJwt, allow, deny)],
    expectedResponse: firstResponse(steps, [
      c.mesh.response,
      c.mtls?.response ?? null,
      custom.response,
      jwt.response,
      deny.response,
      allow.response,
    ]),
    notes: [...c.notes, ...protocolNotes(flow, traffic), ...path.notes, ...allow.notes],
    assumptions: [...c.mesh.assumptions],
  };
}
