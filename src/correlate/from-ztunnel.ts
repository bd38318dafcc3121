/**
 * ztunnel records -> denials. The destination ztunnel enforces AuthorizationPolicy at L4
 * (istio.io docs ambient/usage/l4-policy) and names the policy as `NS/NAME` without a rule, so the
 * ruleRef is `AuthorizationPolicy:NS/NAME` (docs/ARCHITECTURE.md, glossary "ruleRef"). The source
 * ztunnel sees the same refusal as `http status: 401 Unauthorized` (istio/ztunnel src/proxy/inbound.rs
 * answers the CONNECT with 401 on `assert_rbac` failure): the connection keys below make both one Denial.
 */
import type { Layer, PolicyMention } from '../engine/index.js';
import type { ZtunnelEndpoint, ZtunnelRecord } from '../parsers/log-event.js';
import type { DenialPeer } from './denial.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { fixedReporter } from './reporter.js';
import { namedInLog, portOf, resolveAddress } from './resolve-peer.js';
import { formatRuleRef, ztunnelRuleRef } from '../model/rule-ref.js';
import { FAILURE_WORDING } from './upstream.js';

/** Keys that identify one connection across both ztunnels' records. */
export function ztunnelConnectionKeys(e: ZtunnelRecord): string[] {
  const keys: string[] = e.connectionId === null ? [] : [`i|${e.connectionId}`];
  const src = e.src.addr;
  // without the source port two connections of one client would look like one
  if (src === null || !/:\d+$/.test(src)) return keys;
  if (e.dst.hboneAddr !== null) keys.push(`h|${src}|${e.dst.hboneAddr}`);
  if (e.dst.workload !== null) keys.push(`w|${src}|${e.dst.namespace ?? ''}/${e.dst.workload}`);
  return keys;
}

function peer(ctx: CorrelationContext, ep: ZtunnelEndpoint, addr: string | null): DenialPeer | 'unknown' {
  const byAddr = resolveAddress(ctx.snapshot, addr, ep.identity);
  // a pod the Snapshot knows wins; else the workload ztunnel printed beats an IP or a service account
  if (byAddr !== 'unknown' && byAddr.kind !== 'IP' && (byAddr.kind !== 'ServiceAccount' || ep.workload === null))
    return byAddr;
  if (ep.workload === null) return byAddr;
  return namedInLog({
    namespace: ep.namespace,
    name: ep.workload,
    kind: 'Pod',
    ip: byAddr === 'unknown' ? null : byAddr.ip,
    principal: ep.identity?.replace(/^spiffe:\/\//, '') ?? null,
  });
}

function mentionOf(p: { namespace: string; name: string }): PolicyMention {
  return {
    kind: 'AuthorizationPolicy',
    namespace: p.namespace,
    name: p.name,
    rule: null,
    ruleRef: formatRuleRef(ztunnelRuleRef(p.namespace, p.name)),
  };
}

const REASONS: Readonly<Record<string, string>> = {
  'explicit-deny': 'ztunnel: a DENY AuthorizationPolicy matched the connection',
  'allow-miss': 'ztunnel: ALLOW policies apply to the destination and none allowed this connection',
  'late-rejection': 'ztunnel: a policy change now denies this established connection; ztunnel closed it',
  'refused-by-peer':
    "the destination's ztunnel refused the connection (HTTP 401 on the HBONE CONNECT): an AuthorizationPolicy denied it",
  'dry-run-deny': 'dry-run (shadow), not enforced: a DENY AuthorizationPolicy would deny this connection',
  'dry-run-allow-miss': 'dry-run (shadow), not enforced: no ALLOW policy would allow this connection',
  'rbac-rejected': 'ztunnel RBAC rejected the connection; this ztunnel version names neither the policy nor the reason',
};

/**
 * istiod turns an effective STRICT PeerAuthentication into this static DENY for ztunnel
 * (istio/istio pilot/pkg/serviceregistry/ambient/authorization.go staticStrictPolicyName).
 */
const STATIC_STRICT = 'istio_converted_static_strict';

/** A plaintext connection refused because the destination is STRICT: the mtls layer, via the PeerAuthentication. */
function strictRefusal(ctx: CorrelationContext, e: ZtunnelRecord, base: Draft): DraftResult {
  return {
    draft: {
      ...base,
      cause: 'mtls',
      layer: 'mtls',
      policy: null,
      ruleRef: null,
      policyInSnapshot: null,
      attribution: 'unknown',
    },
    enrich: { type: 'mtls', port: portOf(e.dst.hboneAddr ?? e.dst.addr) },
  };
}

/**
 * The source ztunnel's HBONE connect timed out. ztunnel itself says "maybe a NetworkPolicy is blocking
 * HBONE port 15008" (istio/ztunnel src/proxy.rs, PR #1229): a connect failure classified like an Envoy
 * `connection_timeout` (DESIGN "Logs and correlation"), `likely`, never a named policy by itself.
 */
function hboneTimeout(draft: Draft): DraftResult {
  return {
    draft: {
      ...draft,
      cause: 'upstream-failure',
      layer: null,
      confidence: 'likely',
      reason: `ztunnel could not open HBONE to port 15008: ${FAILURE_WORDING['connection-timeout']}`,
    },
    enrich: { type: 'upstream', reason: 'connection-timeout' },
  };
}

export function draftFromZtunnel(ctx: CorrelationContext, e: ZtunnelRecord): DraftResult | null {
  const v = e.verdict;
  if (v === null) return null;
  const shadow = v === 'dry-run-deny' || v === 'dry-run-allow-miss';
  const named = e.policy === null ? null : mentionOf(e.policy);
  const layer: Layer | null =
    v === 'explicit-deny' || v === 'dry-run-deny'
      ? 'authz-deny'
      : v === 'refused-by-peer' || v === 'rbac-rejected' || v === 'hbone-connect-timeout'
        ? null
        : 'authz-allow';
  const dstAddr = e.dst.hboneAddr ?? e.dst.addr;
  const draft: Draft = {
    kind: 'Denial',
    time: e.time,
    cause: 'ztunnel',
    source: peer(ctx, e.src, e.src.addr),
    destination: peer(ctx, e.dst, dstAddr),
    request: { protocol: 'TCP', method: null, path: null, host: null, port: portOf(dstAddr), sni: null, status: null },
    layer,
    policy: named,
    ruleRef: named?.ruleRef ?? null,
    policyId: e.policy === null ? null : `${e.policy.namespace}/${e.policy.name}`,
    policyInSnapshot:
      ctx.snapshot === null || e.policy === null
        ? null
        : ctx.snapshot.istio.authorizationPolicies.some(
            (p) => p.namespace === e.policy?.namespace && p.name === e.policy.name,
          ),
    enforcement: shadow ? 'shadow' : 'enforced',
    attribution: named === null ? 'unknown' : 'policy',
    confidence: 'certain',
    reporter: fixedReporter('ztunnel', e.origin),
    reason: `${REASONS[v] ?? v}${named ? `: ${named.namespace ?? ''}/${named.name}` : ''}`,
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
  if (v === 'explicit-deny' && e.policy?.name === STATIC_STRICT) return strictRefusal(ctx, e, draft);
  if (v === 'hbone-connect-timeout') return hboneTimeout(draft);
  return { draft, enrich: v === 'allow-miss' || v === 'explicit-deny' ? { type: 'ztunnel' } : { type: 'none' } };
}
