/**
 * The destination sidecar's Istio layers, in the order traffic meets them: mesh, mtls,
 * authz-custom, jwt, authz-deny, authz-allow. The HTTP filter chain runs ext_authz (CUSTOM), then
 * jwt_authn, then RBAC DENY and ALLOW (istio/istio:pilot/pkg/networking/core/listener_builder.go
 * and https://istio.io/latest/docs/concepts/security/#implicit-enablement). When the destination
 * sidecar is not in the path, the authz layers are not applicable and say why.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { ExplanationFinding, Fix, RuleMiss } from '../explanation.js';
import { notApplicable, type PipelineLayer } from '../layer.js';
import { portAsAsked } from '../flow.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { AuthzAttributes } from './attributes.js';
import { evaluateAllow, type AuthzOutcome } from './authz.js';
import { evaluateCustom } from './authz-custom.js';
import { allowFix, manualFix, permissivePortFix } from './fix.js';
import type { MtlsOutcome } from './mtls.js';
import { peerAuthnLevels } from './peer-authn.js';
import { identityFields } from './lint-policies.js';
import { httpOnlyFields } from './rule-match.js';
import { pathReport } from './path-normalization.js';
import type { SidecarContext } from './sidecar-context.js';
import { flowConditions } from './context.js';

/**
 * The first Istio layer also states the conditions of the Istio objects meshdbg detects but does
 * not evaluate (waypoint-bound policies, Sidecar, ServiceEntry, EnvoyFilter) where they select the flow.
 */
const meshLayer: PipelineLayer<SidecarContext> = {
  name: 'mesh',
  enforcer: 'sidecar',
  evaluate: (c) => {
    const m = c.mesh();
    const detected = flowConditions(c.snapshot, c.flow);
    return detected.length === 0 ? m : { ...m, conditions: [...detected, ...m.conditions] };
  },
};

/**
 * A plaintext client (no sidecar, outside the mesh, a sidecar that does not capture, auto-mTLS not
 * applying) refused by STRICT: PERMISSIVE on this port (fix.ts permissivePortFix). Other mismatches
 * (a DestinationRule's TLS, mTLS sent to DISABLE) are the user's call between the two sides.
 */
function mtlsFix(c: SidecarContext, m: MtlsOutcome): Fix[] {
  const { step } = m;
  if (step.verdict !== 'denied' || c.flow.verdictOnly) return [];
  const dst = c.dst;
  if (dst && m.serverMode === 'STRICT' && m.clientTls === 'plaintext' && m.destinationRule === null) {
    const fix = permissivePortFix(step.summary, dst, c.flow.port, peerAuthnLevels(c.snapshot, dst).workload);
    if (fix) return [fix];
  }
  const target = { kind: 'PeerAuthentication', namespace: dst?.namespace ?? null, name: step.policies[0]?.name ?? '' };
  return [
    manualFix(
      step.summary,
      target,
      'Make both sides agree: give the client a sidecar (or remove a DestinationRule tls.mode DISABLE / ISTIO_MUTUAL that does not fit), or set the destination port PERMISSIVE with portLevelMtls.',
    ),
  ];
}

const mtlsLayer: PipelineLayer<SidecarContext> = {
  name: 'mtls',
  enforcer: 'sidecar',
  evaluate: (c) => {
    const m = c.mtls();
    if (m === null) return notApplicable('mtls', c.bypass ?? '');
    return { ...m, conditions: m.conditions ?? [], fix: mtlsFix(c, m) };
  },
};

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

function protocolNotes(c: SidecarContext): string[] {
  const { flow, traffic } = c;
  if (traffic.kind === 'http' && flow.http === null)
    return [
      `${portAsAsked(flow)} is HTTP (${traffic.reason}) but the query gives no method or path: HTTP-only rule fields see absent values`,
    ];
  if (traffic.kind === 'tcp' && flow.http !== null)
    return [
      `HTTP fields given, but ${portAsAsked(flow)} is TCP (${traffic.reason}): evaluated as TCP; ALLOW rules with HTTP-only fields never match, DENY/CUSTOM HTTP-only fields are ignored`,
    ];
  return [];
}

/** UDP/SCTP, no destination sidecar, or a port the sidecar does not capture: why the authz layers do not apply. */
function bypassFindings(c: SidecarContext): ExplanationFinding[] {
  const dst = c.dst;
  if (!dst || c.unproxied !== null || !podHasSidecar(dst)) return [];
  const object = { kind: 'Pod', namespace: dst.namespace, name: dst.name };
  return [{ severity: 'info', code: 'port-bypasses-sidecar', message: c.bypass ?? '', object }];
}

/**
 * The first L7 layer also reports what every authz layer sees: the request as the HTTP connection
 * manager hands it on (path normalized), the protocol it is evaluated as, and rule findings.
 */
const customLayer: PipelineLayer<SidecarContext> = {
  name: 'authz-custom',
  enforcer: 'sidecar',
  evaluate: (c) => {
    const a = c.authz();
    if (a === null) return { ...notApplicable('authz-custom', c.bypass ?? ''), findings: bypassFindings(c) };
    const mesh = c.snapshot.istio.mesh;
    const custom = evaluateCustom(a.policies, a.attrs, mesh.extensionProviders, c.flow.extAuthz);
    const path = pathReport(a.http ? (c.flow.http?.path ?? null) : null, mesh.pathNormalization, mesh.origin);
    return {
      step: custom.step,
      response: custom.response,
      conditions: [...path.conditions, ...custom.conditions],
      findings: c.flow.verdictOnly ? [] : ruleFindings(a.policies, a.attrs),
      notes: [...protocolNotes(c), ...path.notes],
    };
  },
};

const jwtLayer: PipelineLayer<SidecarContext> = {
  name: 'jwt',
  enforcer: 'sidecar',
  evaluate: (c) => {
    const j = c.jwt();
    return j === null ? notApplicable('jwt', c.bypass ?? '') : j;
  },
};

/** The manual fix for a matching DENY rule. */
function denyFix(deny: AuthzOutcome): Fix[] {
  const denying = deny.step.policies[0];
  if (deny.step.verdict !== 'denied' || !denying) return [];
  return [
    manualFix(
      `DENY rule ${denying.ruleRef} matches this request`,
      { kind: 'AuthorizationPolicy', namespace: denying.namespace, name: denying.name },
      'Narrow the DENY rule (add a notPrincipals/notPaths/notPorts exception or a tighter selector) or delete it; meshdbg does not guess which traffic it is meant to stop.',
    ),
  ];
}

const denyLayer: PipelineLayer<SidecarContext> = {
  name: 'authz-deny',
  enforcer: 'sidecar',
  evaluate: (c) => c.deny() ?? notApplicable('authz-deny', c.bypass ?? ''),
};

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

const allowLayer: PipelineLayer<SidecarContext> = {
  name: 'authz-allow',
  enforcer: 'sidecar',
  evaluate: (c) => {
    const a = c.authenticated();
    const dst = c.authz()?.dst;
    if (a === null || !dst) return notApplicable('authz-allow', c.bypass ?? '');
    const allow = evaluateAllow(c.authz()?.policies ?? [], a);
    if (c.flow.verdictOnly) return allow;
    const allowFixes = allow.step.verdict === 'denied' ? [allowOrTokenFix(allow.nearestMiss, dst, a, c.src)] : [];
    const deny = c.deny();
    // the authz fixes are listed together, the ALLOW addition before the DENY narrowing
    return { ...allow, fix: [...allowFixes, ...(deny ? denyFix(deny) : [])] };
  },
};

/** The sidecar's Istio layers, in order. */
export const SIDECAR_ISTIO_LAYERS: readonly PipelineLayer<SidecarContext>[] = [
  meshLayer,
  mtlsLayer,
  customLayer,
  jwtLayer,
  denyLayer,
  allowLayer,
];
