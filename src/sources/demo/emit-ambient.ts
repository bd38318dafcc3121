/**
 * Simulated log lines for flows with an ambient endpoint: the destination node's ztunnel prints
 * one access line per connection (`connection complete`, with `error=` when it refused it); a
 * waypoint that refused a request prints its RBAC debug lines (when the rbac logger is at debug)
 * and its access line (403, `rbac_access_denied_matched_policy[...]`), as a sidecar would.
 */
import type { Explanation } from '../../engine/index.js';
import { formatRbacDeniedDetails, NO_RULE, parseRuleRef } from '../../model/rule-ref.js';
import type { Emitted, RequestInput } from './emit.js';
import { checkingRequestLines, localReplyLine, rbacDecisionLine, type Hop } from './log-lines.js';
import { waypointDeniedAccessLine } from './waypoint-lines.js';
import { ztunnelAccessLine } from './ztunnel-lines.js';

export function isAmbientExplanation(e: Explanation): boolean {
  return e.source.dataplane === 'ambient' || e.destination.dataplane === 'ambient';
}

/** The waypoint in the path, when the explanation has one. */
export function waypointOf(e: Explanation): { namespace: string; name: string } | null {
  const s = e.steps.find((x) => x['enforcer'] === 'waypoint' && x.verdict !== 'not-applicable');
  const w = s?.['waypoint'] as { namespace: string; name: string } | undefined;
  return w ?? null;
}

/** The waypoint's one pod in the demo: its Deployment is named after the Gateway (waypoint.yaml). */
function waypointPod(wp: { name: string }): string {
  return `${wp.name}-6f9c8d7b5-x7k2q`;
}

/** The waypoint refused the request: its RBAC lines (rbac at debug) and its access line. */
function waypointDenied(input: RequestInput, hop: Hop, wp: { namespace: string; name: string }): Emitted {
  const e = input.explanation;
  const ref = e.decidedBy?.policy?.ruleRef;
  const rule = ref === undefined || e.decidedBy?.layer !== 'authz-deny' ? NO_RULE : (parseRuleRef(ref) ?? NO_RULE);
  const details = formatRbacDeniedDetails(rule);
  // the waypoint sees the client's identity and the Service address (https://istio.io/latest/docs/ambient/usage/waypoint/)
  const at: Hop = { ...hop, dstIp: hop.clusterIp, targetPort: hop.servicePort };
  const events: string[][] = [];
  if (input.rbacDebug)
    events.push(checkingRequestLines(at), [rbacDecisionLine(at, 'denied', rule)], [localReplyLine(at, details)]);
  if (input.accessLog) events.push([waypointDeniedAccessLine(at, details)]);
  const pod = waypointPod(wp);
  return {
    events: events.map((lines) => lines.map((l) => `[pod/${pod}/istio-proxy] ${l}`)),
    observable: events.length > 0,
  };
}

export function emitAmbient(input: RequestInput, hop: Hop): Emitted {
  const { time, srcPort } = hop;
  const e = input.explanation;
  if (e.destination.dataplane !== 'ambient') return { events: [], observable: false };
  const by = e.decidedBy;
  const ztunnelDenied = e.verdict === 'denied' && by?.enforcer === 'ztunnel';
  const waypointDeniedBy = e.verdict === 'denied' && by?.enforcer === 'waypoint' ? waypointOf(e) : null;
  if (waypointDeniedBy) return waypointDenied(input, hop, waypointDeniedBy);
  if (e.verdict === 'denied' && !ztunnelDenied) return { events: [], observable: false };
  const wp = waypointOf(e);
  const hbone = e.request.clientTls === 'istio-mutual';
  const line = ztunnelAccessLine({
    time,
    src: {
      // behind a waypoint ztunnel sees the waypoint pod (not in the demo topology: an address of its own)
      ip: wp ? '10.244.255.7' : input.client.ip,
      port: srcPort,
      workload: wp ? wp.name : input.client.name,
      namespace: wp ? wp.namespace : input.client.namespace,
      identity: !hbone
        ? null
        : wp
          ? `spiffe://cluster.local/ns/${wp.namespace}/sa/${wp.name}`
          : e.source.principal
            ? `spiffe://${e.source.principal}`
            : null,
    },
    dst: {
      ip: input.server.ip,
      port: hbone ? 15008 : e.request.port,
      workload: input.server.name,
      namespace: input.server.namespace,
      identity: hbone && e.destination.principal ? `spiffe://${e.destination.principal}` : null,
    },
    hboneAddr: hbone ? `${input.server.ip}:${e.request.port}` : null,
    service: input.route.host,
    direction: 'inbound',
    error: ztunnelDenied ? (e.expectedResponse.details ?? 'connection closed due to policy rejection') : null,
    bytesSent: ztunnelDenied ? 0 : 612,
    bytesRecv: ztunnelDenied ? 0 : 84,
    durationMs: ztunnelDenied ? 0 : 2,
  });
  const node = `ztunnel-${input.server.name.slice(-5)}`;
  return { events: [[`[pod/${node}/istio-proxy] ${line}`]], observable: ztunnelDenied };
}
