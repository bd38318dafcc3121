/**
 * Protocol selection (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/): appProtocol, else the port name prefix, decides;
 * unknown or unnamed ports are sniffed, so the query's HTTP fields decide. UDP and SCTP are
 * never proxied.
 */
import type { FlowContext } from '../flow.js';

const HTTP = new Set(['http', 'http2', 'grpc', 'grpc-web', 'h2c', 'kubernetes.io/h2c']);
const TCP = new Set(['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'kubernetes.io/ws', 'kubernetes.io/wss']);

export type Traffic =
  { readonly kind: 'http' | 'tcp'; readonly reason: string } | { readonly kind: 'unproxied'; readonly reason: string };

export function trafficKind(flow: FlowContext): Traffic {
  if (flow.protocol !== 'TCP') return { kind: 'unproxied', reason: `${flow.protocol} is never proxied by the sidecar` };
  const declared = flow.appProtocol?.toLowerCase() ?? null;
  if (declared !== null && HTTP.has(declared)) return { kind: 'http', reason: `port declared ${declared}` };
  if (declared !== null && TCP.has(declared)) return { kind: 'tcp', reason: `port declared ${declared}` };
  return flow.http !== null
    ? { kind: 'http', reason: 'protocol sniffed: the query is HTTP' }
    : { kind: 'tcp', reason: 'protocol sniffed: the query has no HTTP fields' };
}
