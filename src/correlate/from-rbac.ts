/** RBAC decisions and local replies -> denial drafts (AuthorizationPolicy layers). */
import type { PolicyMention } from '../engine/index.js';
import type { ExtAuthzDecision, LocalReply, RbacDecision, RbacRequest } from '../parsers/log-event.js';
import type { DenialPeer, DenialRequest } from './denial.js';
import type { CorrelationContext, DraftResult } from './draft.js';
import {
  destinationByPolicyScope,
  isBadCustomId,
  matchIstioPolicy,
  STALE_POLICY,
  type IstioPolicyMatch,
} from './istio-policy.js';
import { envoyReporter } from './reporter.js';
import type { Attribution } from './denial.js';
import { portOf, resolveAddress, resolveHost, resolveOriginAsDestination } from './resolve-peer.js';

/**
 * Which RBAC filter printed a decision, from its source location when no `checking ...` line was
 * joined: the network filter closes the connection (no HTTP status), the HTTP filter answers 403
 * (envoyproxy.io docs configuration/listeners/network_filters/rbac_filter and http_filters/rbac_filter).
 */
function filterOf(location: string | null): 'http' | 'network' | null {
  if (location === null) return null;
  if (location.includes('filters/network/rbac/')) return 'network';
  return location.includes('filters/http/rbac/') ? 'http' : null;
}

function requestOf(req: RbacRequest | null, enforced: boolean, location: string | null): DenialRequest {
  if (req === null) {
    const filter = filterOf(location);
    return {
      protocol: filter === null ? null : filter === 'http' ? 'HTTP' : 'TCP',
      method: null,
      path: null,
      host: null,
      port: null,
      sni: null,
      status: enforced && filter !== 'network' ? 403 : null,
    };
  }
  const http = req.filter === 'http';
  return {
    protocol: http ? 'HTTP' : 'TCP',
    method: req.method,
    path: req.path,
    host: req.authority,
    port: portOf(req.localAddress),
    sni: req.requestedServerName,
    status: http && enforced ? 403 : null,
  };
}

function describePolicy(m: PolicyMention): string {
  return `AuthorizationPolicy ${m.namespace ?? ''}/${m.name} rule ${m.rule ?? '-'}`;
}

export function rbacReason(
  m: IstioPolicyMatch,
  policyId: string | null,
  policyReported: boolean,
  shadow: boolean,
): string {
  const prefix = shadow ? 'dry-run (shadow), not enforced: ' : '';
  if (m.inSnapshot === false) return `${prefix}${STALE_POLICY}: ${policyId ?? ''}`;
  if (!policyReported)
    return `${prefix}denied by RBAC; this Envoy (Istio < 1.8) does not log which policy, so the policy is not named`;
  if (isBadCustomId(policyId))
    return `${prefix}istiod replaced a CUSTOM policy whose ext_authz provider is missing or invalid with deny-all (${policyId}); fix meshConfig.extensionProviders or the policy's provider name`;
  if (policyId === null)
    return `${prefix}no ALLOW rule matched (an ALLOW policy applies to the destination, so everything else is denied)`;
  if (m.mention === null)
    return `${prefix}denied by RBAC policy ${policyId} (not an id Istio generates: an EnvoyFilter or a non-Istio Envoy)`;
  if (m.layer === 'authz-custom') return `${prefix}CUSTOM rule matched: the ext_authz provider decides, and denied`;
  if (m.layer === 'authz-deny') return `${prefix}DENY rule matched: denied before any ALLOW rule is checked`;
  return `${prefix}denied by ${describePolicy(m.mention)}`;
}

function destinationOf(ctx: CorrelationContext, d: RbacDecision, m: IstioPolicyMatch): DenialPeer | 'unknown' {
  const s = ctx.snapshot;
  const req = d.request;
  const byOrigin = resolveOriginAsDestination(s, d.origin);
  if (byOrigin !== null && byOrigin.resolvedBy === 'log-origin' && (s === null || byOrigin.workload !== null))
    return byOrigin;
  const byIp = req === null ? 'unknown' : resolveAddress(s, req.localAddress, null);
  if (byIp !== 'unknown' && byIp.kind !== 'IP') return byIp;
  const byName =
    resolveHost(s, req?.requestedServerName ?? null, 'sni', null) ??
    resolveHost(s, req?.authority ?? null, 'authority', m.ref?.namespace ?? null);
  return byName ?? destinationByPolicyScope(s, m.policy) ?? byOrigin ?? byIp;
}

/** exact when the printed id is a rule; unknown when nothing is named (none, unreported, bad CUSTOM). */
export function rbacAttribution(policyId: string | null, reported: boolean): Attribution {
  if (!reported || policyId === null || isBadCustomId(policyId)) return 'unknown';
  return 'exact';
}

/** A denied RBAC decision; null for allowed ones and CUSTOM matches (those only trigger ext_authz). */
export function draftFromRbac(ctx: CorrelationContext, d: RbacDecision): DraftResult | null {
  if (d.result !== 'denied' || d.enforcement === 'none') return null;
  if (d.enforcement === 'shadow' && d.ruleRef?.extAuthz) return null;
  const m = matchIstioPolicy(ctx.snapshot, d.policyId);
  const req = d.request;
  const shadow = d.enforcement === 'shadow';
  const allowMiss = d.policyReported && d.policyId === null;
  return {
    draft: {
      kind: 'Denial',
      time: d.time,
      cause: 'rbac',
      source: req === null ? 'unknown' : resolveAddress(ctx.snapshot, req.sourceAddress, req.peerUriSan),
      destination: destinationOf(ctx, d, m),
      request: requestOf(req, !shadow, d.envoy.sourceLocation),
      layer: d.policyReported ? m.layer : null,
      policy: m.mention,
      ruleRef: m.mention?.ruleRef ?? null,
      policyId: d.policyId,
      policyInSnapshot: m.inSnapshot,
      enforcement: shadow ? 'shadow' : 'enforced',
      attribution: rbacAttribution(d.policyId, d.policyReported),
      confidence: 'certain',
      reporter: envoyReporter(d.origin, true, ctx.snapshot),
      reason: rbacReason(m, d.policyId, d.policyReported, shadow),
      nearestMiss: [],
      heuristicJoin: d.heuristicJoin,
      evidence: d.evidence,
    },
    enrich: allowMiss
      ? { type: 'allow-miss', mtls: req === null ? null : req.peerUriSan !== null }
      : isBadCustomId(d.policyId)
        ? { type: 'custom' }
        : { type: 'none' },
  };
}

/** Marks the ext_authz lines of one request so its local reply and access-log line merge into it. */
export const EXT_AUTHZ_KEY = 'ext_authz';

function extAuthzReason(outcome: 'denied' | 'error' | 'rejected', status: number | null): string {
  const code = status === null ? '' : ` (HTTP ${status})`;
  if (outcome === 'rejected')
    return `the ext_authz filter rejected the request${code}: the server denied it, or failed and the check fails closed (this Envoy does not log which)`;
  return outcome === 'error'
    ? `the ext_authz server failed or could not be reached${code}; the CUSTOM policy fails closed`
    : `the ext_authz server denied the request${code} (CUSTOM policy)`;
}

/** ext_authz rejected the request (trace line or `ext_authz_*` local reply): an authz-custom denial. */
export function draftFromExtAuthz(ctx: CorrelationContext, e: ExtAuthzDecision | LocalReply): DraftResult | null {
  const outcome = e.kind === 'ExtAuthzDecision' ? e.outcome : e.extAuthz;
  if (outcome === null) return null;
  const status = e.kind === 'ExtAuthzDecision' ? e.status : null;
  return {
    draft: {
      kind: 'Denial',
      time: e.time,
      cause: 'ext-authz',
      source: 'unknown',
      destination: resolveOriginAsDestination(ctx.snapshot, e.origin) ?? 'unknown',
      request: { protocol: 'HTTP', method: null, path: null, host: null, port: null, sni: null, status },
      layer: 'authz-custom',
      policy: null,
      ruleRef: null,
      policyId: null,
      policyInSnapshot: null,
      enforcement: 'enforced',
      attribution: 'unknown',
      confidence: 'certain',
      reporter: envoyReporter(e.origin, false, ctx.snapshot),
      reason: extAuthzReason(outcome, status),
      nearestMiss: [],
      heuristicJoin: false,
      evidence: e.evidence,
    },
    enrich: { type: 'custom' },
  };
}

/** A local reply for an RBAC denial whose decision line was not seen (rbac logger not at debug). */
export function draftFromLocalReply(ctx: CorrelationContext, r: LocalReply): DraftResult | null {
  if (r.extAuthz !== null) return draftFromExtAuthz(ctx, r);
  if (!r.rbacDenied) return null;
  const m = matchIstioPolicy(ctx.snapshot, r.rbacPolicyId);
  const reported = r.details !== 'rbac_access_denied';
  const destination =
    resolveOriginAsDestination(ctx.snapshot, r.origin) ?? destinationByPolicyScope(ctx.snapshot, m.policy) ?? 'unknown';
  return {
    draft: {
      kind: 'Denial',
      time: r.time,
      cause: 'rbac',
      source: 'unknown',
      destination,
      request: { protocol: 'HTTP', method: null, path: null, host: null, port: null, sni: null, status: 403 },
      layer: reported ? m.layer : null,
      policy: m.mention,
      ruleRef: m.mention?.ruleRef ?? null,
      policyId: r.rbacPolicyId,
      policyInSnapshot: m.inSnapshot,
      enforcement: 'enforced',
      attribution: rbacAttribution(r.rbacPolicyId, reported),
      confidence: 'certain',
      reporter: envoyReporter(r.origin, true, ctx.snapshot),
      reason: rbacReason(m, r.rbacPolicyId, reported, false),
      nearestMiss: [],
      heuristicJoin: false,
      evidence: r.evidence,
    },
    enrich: isBadCustomId(r.rbacPolicyId) ? { type: 'custom' } : { type: 'none' },
  };
}
