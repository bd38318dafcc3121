/**
 * Access-log entries -> denial drafts: RBAC (server side), JWT, ext_authz, and classified
 * upstream failures at the client sidecar. Successful requests yield nothing.
 */
import type { AccessLogEntry } from '../parsers/log-event.js';
import type { DenialPeer, DenialRequest } from './denial.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { destinationByPolicyScope, isBadCustomId, matchIstioPolicy } from './istio-policy.js';
import { rbacAttribution, rbacReason } from './from-rbac.js';
import { accessLogReporter } from './reporter.js';
import {
  ipOf,
  namedInLog,
  portOf,
  resolveAddress,
  resolveHost,
  resolveOrigin,
  resolveOriginAsDestination,
} from './resolve-peer.js';
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

/**
 * The Service a waypoint's `inbound-vip|PORT|PROTOCOL|HOST` cluster serves (istio/istio
 * pilot/pkg/networking/core/waypoint.go): a waypoint enforces for the Service whose VIP the
 * request was sent to (https://istio.io/latest/docs/ambient/usage/waypoint/), which the cluster
 * names even when the Snapshot does not know the VIP.
 */
export function waypointService(cluster: string | null): { name: string; namespace: string; host: string } | null {
  if (cluster === null || !cluster.startsWith('inbound-vip|')) return null;
  const host = cluster.split('|')[3] ?? '';
  const [name, namespace, svc] = host.split('.');
  return name && namespace && svc === 'svc' ? { name, namespace, host } : null;
}

function waypointDestination(ctx: CorrelationContext, e: AccessLogEntry): DenialPeer | null {
  const vip = waypointService(e.upstreamCluster);
  if (vip === null) return null;
  return (
    resolveHost(ctx.snapshot, vip.host, 'authority', null) ??
    namedInLog({
      namespace: vip.namespace,
      name: vip.name,
      kind: 'Service',
      ip: ipOf(e.downstreamLocalAddress),
      principal: null,
    })
  );
}

/** Server side (inbound): the peer is downstream, this pod is the destination. */
function serverPeers(
  ctx: CorrelationContext,
  e: AccessLogEntry,
): { source: DenialPeer | 'unknown'; destination: DenialPeer | 'unknown' } {
  const s = ctx.snapshot;
  const byIp = resolveAddress(s, e.downstreamLocalAddress, null);
  const destination =
    resolveOriginAsDestination(s, e.origin) ??
    (byIp !== 'unknown' && byIp.kind !== 'IP' ? byIp : null) ??
    resolveHost(s, e.requestedServerName, 'sni', null) ??
    waypointDestination(ctx, e) ??
    byIp;
  return { source: resolveAddress(s, e.downstreamRemoteAddress, null), destination };
}

/**
 * The proxy that wrote a client-side line, by the local address of its upstream connection
 * (%UPSTREAM_LOCAL_ADDRESS%: https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage),
 * when that is a pod's: a gateway's downstream is its caller (an end user's address), while the
 * destination's policies see the gateway; for a sidecar both are its own pod.
 */
function upstreamLocalPod(ctx: CorrelationContext, e: AccessLogEntry): DenialPeer | null {
  const local = resolveAddress(ctx.snapshot, e.upstreamLocalAddress, null);
  return local !== 'unknown' && local.kind !== 'IP' && local.kind !== 'Service' ? local : null;
}

/** Client side (outbound): this pod is the source, the upstream host is the destination. */
function clientPeers(
  ctx: CorrelationContext,
  e: AccessLogEntry,
): { source: DenialPeer | 'unknown'; destination: DenialPeer | 'unknown' } {
  const s = ctx.snapshot;
  const source =
    resolveOrigin(s, e.origin) ?? upstreamLocalPod(ctx, e) ?? resolveAddress(s, e.downstreamRemoteAddress, null);
  const byIp = resolveAddress(s, e.upstreamHost, null);
  const byName = byIp !== 'unknown' && byIp.kind !== 'IP' ? null : resolveHost(s, e.authority, 'authority', null);
  return { source, destination: byName ?? byIp };
}

function base(
  ctx: CorrelationContext,
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
    attribution: 'unknown',
    confidence: 'certain',
    reporter: accessLogReporter(e, ctx.snapshot),
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
      ...base(ctx, e, { source: peers.source, destination }, portOf(e.downstreamLocalAddress)),
      cause: 'rbac',
      layer: m.layer,
      policy: m.mention,
      ruleRef: m.mention?.ruleRef ?? null,
      policyId,
      policyInSnapshot: m.inSnapshot,
      attribution: rbacAttribution(policyId, reported),
      reason: rbacReason(m, policyId, reported, false),
    },
    enrich:
      policyId === null && reported
        ? { type: 'allow-miss', mtls: null }
        : isBadCustomId(policyId)
          ? { type: 'custom' }
          : { type: 'none' },
  };
}

/**
 * `NR filter_chain_not_found` on an inbound listener: no filter chain accepts the connection,
 * which for a sidecar is STRICT mTLS refusing plaintext (istio.io docs ops/common-problems/security-issues,
 * istio/istio#43505). The PeerAuthentication in force is found from the Snapshot.
 */
function mtlsDraft(ctx: CorrelationContext, e: AccessLogEntry): DraftResult {
  const port = portOf(e.downstreamLocalAddress);
  return {
    draft: {
      ...base(ctx, e, serverPeers(ctx, e), port),
      cause: 'mtls',
      layer: 'mtls',
      policy: null,
      ruleRef: null,
      policyId: null,
      policyInSnapshot: null,
      reason:
        'no filter chain accepted the connection (NR filter_chain_not_found): STRICT mTLS refused a plaintext client, or the client spoke a protocol the listener does not serve',
    },
    enrich: { type: 'mtls', port },
  };
}

/** 401/403 with no response-code details (Istio <= 1.8, plain Envoy): probably Envoy's, maybe the application's. */
function statusOnlyDraft(ctx: CorrelationContext, e: AccessLogEntry): DraftResult {
  const outbound = e.direction === 'outbound';
  const peers = outbound ? clientPeers(ctx, e) : serverPeers(ctx, e);
  const port = portOf(outbound ? e.upstreamHost : e.downstreamLocalAddress);
  const jwt = e.status === 401;
  const what = jwt ? 'a JWT rejection (RequestAuthentication)' : 'an AuthorizationPolicy denial';
  return {
    draft: {
      ...base(ctx, e, peers, port),
      confidence: 'likely',
      cause: jwt ? 'jwt' : 'rbac',
      layer: jwt ? 'jwt' : null,
      policy: null,
      ruleRef: null,
      policyId: null,
      policyInSnapshot: null,
      reason: `${e.status ?? ''} without response-code details: likely ${what}; this log format does not say why, and the application itself may have answered ${e.status ?? ''}`,
    },
    enrich: jwt ? { type: 'none' } : { type: 'allow-miss', mtls: null },
  };
}

/** true for a 401/403 the log gives no reason for. */
export function isUnexplainedAuthStatus(e: AccessLogEntry): boolean {
  return (e.status === 401 || e.status === 403) && e.responseCodeDetails === null && e.flags.length === 0;
}

function isFilterChainNotFound(e: AccessLogEntry): boolean {
  return e.responseCodeDetails === 'filter_chain_not_found' && e.flags.includes('NR') && e.direction !== 'outbound';
}

/** A denial the entry shows; null for successful requests and ordinary errors. */
export function draftFromAccessLog(ctx: CorrelationContext, e: AccessLogEntry): DraftResult | null {
  if (e.rbac !== null) return rbacDraft(ctx, e);
  if (isFilterChainNotFound(e)) return mtlsDraft(ctx, e);
  if (isUnexplainedAuthStatus(e)) return statusOnlyDraft(ctx, e);
  const fixed = { policy: null, ruleRef: null, policyId: null, policyInSnapshot: null };
  if (e.jwt !== null) {
    const draft: Draft = {
      ...base(ctx, e, serverPeers(ctx, e), portOf(e.downstreamLocalAddress)),
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
        ...base(ctx, e, serverPeers(ctx, e), portOf(e.downstreamLocalAddress)),
        ...fixed,
        cause: 'ext-authz',
        layer: 'authz-custom',
        reason,
      },
      enrich: { type: 'custom' },
    };
  }
  if (e.upstreamFailure === null || e.direction === 'inbound') return null;
  const draft: Draft = {
    ...base(ctx, e, clientPeers(ctx, e), portOf(e.upstreamHost)),
    ...fixed,
    cause: 'upstream-failure',
    layer: null,
    reason: `${e.status ?? ''} ${e.flags.join(',') || '-'}: ${FAILURE_WORDING[e.upstreamFailure.reason]}`.trim(),
  };
  return { draft, enrich: { type: 'upstream', reason: e.upstreamFailure.reason } };
}
