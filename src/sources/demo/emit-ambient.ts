/**
 * Simulated log lines for flows with an ambient endpoint: the destination node's ztunnel prints
 * one access line per connection (`connection complete`, with `error=` when it refused it).
 * Waypoint (Envoy) lines are not emitted yet: the correlator does not yet map a waypoint's
 * access log back to the client and the destination Service.
 */
import type { Explanation } from '../../engine/explanation.js';
import type { Emitted, RequestInput } from './emit.js';
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

export function emitAmbient(input: RequestInput, time: string, srcPort: number): Emitted {
  const e = input.explanation;
  if (e.destination.dataplane !== 'ambient') return { events: [], observable: false };
  const by = e.decidedBy;
  const ztunnelDenied = e.verdict === 'denied' && by?.enforcer === 'ztunnel';
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
    service: `${input.route.service.name}.${input.route.service.namespace}.svc.cluster.local`,
    direction: 'inbound',
    error: ztunnelDenied ? (e.expectedResponse.details ?? 'connection closed due to policy rejection') : null,
    bytesSent: ztunnelDenied ? 0 : 612,
    bytesRecv: ztunnelDenied ? 0 : 84,
    durationMs: ztunnelDenied ? 0 : 2,
  });
  const node = `ztunnel-${input.server.name.slice(-5)}`;
  return { events: [[`[pod/${node}/istio-proxy] ${line}`]], observable: ztunnelDenied };
}
