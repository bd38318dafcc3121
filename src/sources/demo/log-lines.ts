/**
 * The exact lines real proxies print, for the demo simulator: Istio >= 1.19 Envoy debug lines
 * (tags, thread ids), the default TEXT access log (>= 1.24 column set), Calico Whisker flows.
 */
import { formatRuleRef, type RuleRef } from '../../model/rule-ref.js';

export interface Hop {
  readonly time: string;
  readonly thread: string;
  readonly connectionId: string;
  readonly streamId: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** `svc.ns.svc.cluster.local` */
  readonly host: string;
  readonly servicePort: number;
  readonly targetPort: number;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly clusterIp: string;
  /** `spiffe://...`; empty for plaintext */
  readonly peerUriSan: string;
}

const RBAC_CC = 'external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc';
const sni = (h: Hop): string => `outbound_.${h.servicePort}_._.${h.host}`;

export function checkingRequestLines(h: Hop): string[] {
  const ssl =
    h.peerUriSan === ''
      ? 'none'
      : `uriSanPeerCertificate: ${h.peerUriSan}, dnsSanPeerCertificate: , subjectPeerCertificate: `;
  const src = `${h.srcIp}:${h.srcPort}`;
  return [
    `${h.time}\tdebug\tenvoy rbac ${RBAC_CC}:114\tchecking request: requestedServerName: ${h.peerUriSan === '' ? '' : sni(h)}, sourceIP: ${src}, directRemoteIP: ${src}, remoteIP: ${src},localAddress: ${h.dstIp}:${h.targetPort}, ssl: ${ssl}, headers: ':authority', '${h.host}'`,
    `':path', '${h.path}'`,
    `':method', '${h.method}'`,
    "':scheme', 'http'",
    "'user-agent', 'curl/8.5.0'",
    "'accept', '*/*'",
    "'x-forwarded-proto', 'http'",
    `'x-request-id', '${h.requestId}'`,
    `, dynamicMetadata: \tthread=${h.thread}`,
  ];
}

export function rbacDecisionLine(h: Hop, result: 'allowed' | 'denied', policy: RuleRef): string {
  return `${h.time}\tdebug\tenvoy rbac ${RBAC_CC}:224\tenforced ${result}, matched policy ${formatRuleRef(policy)}\tthread=${h.thread}`;
}

export function localReplyLine(h: Hop, details: string): string {
  return `${h.time}\tdebug\tenvoy http external/envoy/source/common/http/filter_manager.cc:1040\t[Tags: "ConnectionId":"${h.connectionId}","StreamId":"${h.streamId}"] Preparing local reply with details ${details}\tthread=${h.thread}`;
}

function accessTime(iso: string): string {
  return `${iso.slice(0, 23)}Z`;
}

/** The destination sidecar's inbound line. */
export function inboundAccessLine(h: Hop, status: number, details: string, bytesSent: number): string {
  // 401 (jwt_authn) and 403 (rbac) are local replies: no upstream
  const upstream =
    status === 403 || status === 401
      ? '"-" inbound|' + `${h.targetPort}|| -`
      : `"${h.dstIp}:${h.targetPort}" inbound|${h.targetPort}|| 127.0.0.6:${h.srcPort + 1}`;
  return `[${accessTime(h.time)}] "${h.method} ${h.path} HTTP/1.1" ${status} - ${details} - "-" 0 ${bytesSent} 1 ${status === 403 ? '-' : '1'} "-" "curl/8.5.0" "${h.requestId}" "${h.host}" ${upstream} ${h.dstIp}:${h.targetPort} ${h.srcIp}:${h.srcPort} ${h.peerUriSan === '' ? '-' : sni(h)} default`;
}

/** The source sidecar's outbound line (what the client saw). */
export function outboundAccessLine(
  h: Hop,
  status: number,
  flags: string,
  details: string,
  bytesSent: number,
  durationMs: number,
): string {
  return `[${accessTime(h.time)}] "${h.method} ${h.path} HTTP/1.1" ${status} ${flags} ${details} - "-" 0 ${bytesSent} ${durationMs} - "-" "curl/8.5.0" "${h.requestId}" "${h.host}:${h.servicePort}" "${h.dstIp}:${h.targetPort}" outbound|${h.servicePort}||${h.host} ${h.srcIp}:${h.srcPort + 2} ${h.clusterIp}:${h.servicePort} ${h.srcIp}:${h.srcPort} - default`;
}

/**
 * The server sidecar's inbound listener when no filter chain takes the connection (plaintext into
 * STRICT mTLS), in the form of the real line in test/fixtures/logs/real/nr-filter-chain-not-found.log.
 */
export function filterChainNotFoundLine(h: Hop): string {
  return `[${accessTime(h.time)}] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - ${h.dstIp}:${h.targetPort} ${h.srcIp}:${h.srcPort} - -`;
}

export interface FlowEnd {
  readonly namespace: string;
  /** aggregated name, e.g. `np-test-nginx-1-7d9c5b8f4d-*` */
  readonly name: string;
}

/** The policy a denied flow names: its kind as Whisker prints it, tier, and the rule (-1: end of tier). */
export interface CalicoFlowPolicy {
  readonly kind: 'NetworkPolicy' | 'CalicoNetworkPolicy' | 'GlobalNetworkPolicy';
  readonly namespace: string | null;
  readonly name: string;
  readonly tier: string;
  readonly rule: number;
}

/**
 * A Whisker FlowResponse for a denied flow: a rule's Deny is the enforced hit itself; an end of
 * tier is an `EndOfTier` hit whose trigger is the policy that selected the endpoint.
 */
export function calicoDenyFlowLine(
  time: string,
  src: FlowEnd,
  dst: FlowEnd,
  port: number,
  reporter: 'Src' | 'Dst',
  policy: CalicoFlowPolicy,
): string {
  const hit = {
    kind: policy.kind,
    name: policy.name,
    namespace: policy.namespace ?? '',
    tier: policy.tier,
    action: 'Deny',
    policy_index: 0,
    rule_index: policy.rule,
    trigger: null,
  };
  const enforced =
    policy.rule >= 0
      ? hit
      : {
          kind: 'EndOfTier',
          name: '',
          namespace: '',
          tier: policy.tier,
          action: 'Deny',
          policy_index: 0,
          rule_index: -1,
          trigger: hit,
        };
  return JSON.stringify({
    start_time: `${time.slice(0, 19)}Z`,
    end_time: `${time.slice(0, 19)}Z`,
    action: 'Deny',
    source_name: src.name,
    source_namespace: src.namespace,
    source_labels: '',
    dest_name: dst.name,
    dest_namespace: dst.namespace,
    dest_labels: '',
    protocol: 'tcp',
    dest_port: port,
    reporter,
    policies: {
      enforced: [enforced],
      pending: [],
    },
    packets_in: 0,
    packets_out: 3,
    bytes_in: 0,
    bytes_out: 180,
  });
}
