/**
 * Access-log entries -> denial drafts: RBAC (server side), JWT, ext_authz, and classified
 * upstream failures at the client sidecar. Successful requests yield nothing.
 */
import type { AccessLogEntry } from '../parsers/log-event.js';
import type { DenialPeer, DenialRequest } from './denial.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { destinationByPolicyScope, matchIstioPolicy } from './istio-policy.js';
import { rbacReason } from './from-rbac.js';
import { portOf, resolveAddress, resolveHost, resolveOrigin } from './resolve-peer.js';
import { FAILURE_WORDING } from './upstream.js';

function requestOf(e: AccessLogEntry, port: number | null): DenialRequest {
  const tcp = e.method === null && e.status === 0;
  return {
    protocol: tcp ? 'TCP' : 'HTTP',
    method: e.method,
    path: e.path,
    host: e.authority,
    port,
    sni: e.requestedServerName,
    status: tcp ? null : e.status,
  };
}

/** Server side (inbound): the peer is downstream, this pod is the destination. */
function serverPeers(
  ctx: CorrelationContext,
  e: AccessLogEntry,
): { source: DenialPeer | 'unknown'; destination: DenialPeer | 'unknown' } {
  const s = ctx.snapshot;
  const byIp = resolveAddress(s, e.downstreamLocalAddress, null);
  const destination =
    resolveOrigin(s, e.origin) ??
    (byIp !== 'unknown' && byIp.kind !== 'IP' ? byIp : null) ??
    resolveHost(s, e.requestedServerName, 'sni', null) ??
    byIp;
  return { source: resolveAddress(s, e.downstreamRemoteAddress, null), destination };
}

/** Client side (outbound): this pod is the source, the upstream host is the destination. */
function clientPeers(
  ctx: CorrelationContext,
  e: AccessLogEntry,
): { source: DenialPeer | 'unknown'; destination: DenialPeer | 'unknown' } {
  const s = ctx.snapshot;
  const source = resolveOrigin(s, e.origin) ?? resolveAddress(s, e.downstreamRemoteAddress, null);
  const byIp = resolveAddress(s, e.upstreamHost, null);
  const byName = byIp !== 'unknown' && byIp.kind !== 'IP' ? null : resolveHost(s, e.authority, 'authority', null);
  return { source, destination: byName ?? byIp };
}

function base(
  e: AccessLogEntry,
  peers: { source: DenialPeer | 'unknown'; destination: DenialPeer | 'unknown' },
  port: number | null,
): Omit<Draft, 'cause' | 'layer' | 'policy' | 'ruleRef' | 'policyId' | 'policyInSnapshot' | 'reason'> {
  return {
    kind: 'Denial',
    time: e.time,
    ...peers,
    request: requestOf(e, port),
    enforcement: 'enforced',
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
}

function rbacDraft(ctx: CorrelationContext, e: AccessLogEntry): DraftResult {
  const policyId = e.rbac?.policyId ?? null;
  const m = matchIstioPolicy(ctx.snapshot, policyId);
  const peers = serverPeers(ctx, e);
  const destination =
    peers.destination === 'unknown' || (peers.destination.kind === 'IP' && ctx.snapshot !== null)
      ? (destinationByPolicyScope(ctx.snapshot, m.policy) ?? peers.destination)
      : peers.destination;
  const reported = e.responseCodeDetails !== 'rbac_access_denied';
  return {
    draft: {
      ...base(e, { source: peers.source, destination }, portOf(e.downstreamLocalAddress)),
      cause: 'rbac',
      layer: m.layer,
      policy: m.mention,
      ruleRef: m.mention?.ruleRef ?? null,
      policyId,
      policyInSnapshot: m.inSnapshot,
      reason: rbacReason(m, policyId, reported, false),
    },
    enrich: policyId === null ? { type: 'allow-miss', mtls: null } : { type: 'none' },
  };
}

/** A denial the entry shows; null for successful requests and ordinary errors. */
export function draftFromAccessLog(ctx: CorrelationContext, e: AccessLogEntry): DraftResult | null {
  if (e.rbac !== null) return rbacDraft(ctx, e);
  const fixed = { policy: null, ruleRef: null, policyId: null, policyInSnapshot: null };
  if (e.jwt !== null) {
    const draft: Draft = {
      ...base(e, serverPeers(ctx, e), portOf(e.downstreamLocalAddress)),
      ...fixed,
      cause: 'jwt',
      layer: 'jwt',
      reason: `JWT rejected: ${e.jwt.message}`,
    };
    return { draft, enrich: { type: 'none' } };
  }
  if (e.extAuthz !== null) {
    const reason =
      e.extAuthz === 'error'
        ? 'the ext_authz server could not be reached (fail closed)'
        : 'the ext_authz server denied the request (CUSTOM policy)';
    return {
      draft: {
        ...base(e, serverPeers(ctx, e), portOf(e.downstreamLocalAddress)),
        ...fixed,
        cause: 'ext-authz',
        layer: 'authz-custom',
        reason,
      },
      enrich: { type: 'none' },
    };
  }
  if (e.upstreamFailure === null || e.direction === 'inbound') return null;
  const draft: Draft = {
    ...base(e, clientPeers(ctx, e), portOf(e.upstreamHost)),
    ...fixed,
    cause: 'upstream-failure',
    layer: null,
    reason: `${e.status ?? ''} ${e.flags.join(',') || '-'}: ${FAILURE_WORDING[e.upstreamFailure.reason]}`.trim(),
  };
  return { draft, enrich: { type: 'upstream', reason: e.upstreamFailure.reason } };
}
