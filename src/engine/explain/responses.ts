/** What the client sees (curl and Envoy answers to a dropped or
 * refused connection: https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage), for NetworkPolicy drops and allowed flows. */
import type { ExpectedResponse } from '../explanation.js';
import type { FlowContext } from '../flow.js';
import type { Snapshot } from '../../model/snapshot.js';
import { connectionTerminated } from '../istio/responses.js';

/** Istio's default: connectTimeout 10 s, 2 retries on connect-failure => ~30 s before a 503. */
const CONNECT_GIVE_UP_MS = 30_000;

function isGateway(flow: FlowContext): boolean {
  return (
    flow.source.type === 'pod' &&
    (flow.source.pod.labels['istio'] === 'ingressgateway' ||
      flow.source.pod.labels['istio'] === 'egressgateway' ||
      'gateway.networking.k8s.io/gateway-name' in flow.source.pod.labels)
  );
}

/** A VirtualService route timeout shorter than the connect retries, for this client and destination. */
export function routeTimeoutFor(snapshot: Snapshot, flow: FlowContext): number | null {
  const svc = flow.service;
  // no VirtualService sets a timeout (the common case): nothing to match, and no names to build per flow
  if (!svc || !snapshot.routeTimeouts?.length) return null;
  const names = new Set([
    svc.name,
    `${svc.name}.${svc.namespace}`,
    `${svc.name}.${svc.namespace}.svc`,
    `${svc.name}.${svc.namespace}.svc.cluster.local`,
  ]);
  const gateway = isGateway(flow);
  const hits = (snapshot.routeTimeouts ?? []).filter((r) => {
    const host = r.host.includes('.') ? r.host : `${r.host}.${r.namespace}`;
    const meshRoute = r.gateways.length === 0 || r.gateways.includes('mesh');
    return (names.has(r.host) || names.has(host)) && (gateway ? r.gateways.some((g) => g !== 'mesh') : meshRoute);
  });
  const shortest = Math.min(...hits.map((r) => r.timeoutMs));
  return Number.isFinite(shortest) && shortest < CONNECT_GIVE_UP_MS ? shortest : null;
}

const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'h2c']);

/**
 * The client speaks HTTP to its proxy: the port is HTTP (declared, or sniffed from an HTTP
 * request), or the client is a gateway given an HTTP request. A gateway's HTTP listener routes the
 * request to the backend as HTTP whatever the backend port's protocol, so when the destination
 * treats the port as TCP and closes the connection, the gateway answers with its own 503
 * (istio/istio#40584; istio.io docs/ops/common-problems/security-issues: "connection termination
 * can indicate an authorization policy with HTTP only fields applied to TCP traffic").
 */
export function isHttpFlow(flow: FlowContext): boolean {
  if (flow.protocol !== 'TCP') return false;
  if (flow.http !== null && isGateway(flow)) return true;
  if (flow.appProtocol !== null && HTTP_PROTOCOLS.has(flow.appProtocol)) return true;
  return flow.appProtocol === null && flow.http !== null;
}

/** DROP-style CNIs time out, kube-router's REJECT refuses; a meshed HTTP client gets its sidecar's 503. */
export function networkDenialResponse(
  flow: FlowContext,
  sourceHasSidecar: boolean,
  routeTimeoutMs: number | null = null,
): ExpectedResponse {
  const refused = flow.cni === 'kube-router';
  if (sourceHasSidecar && isHttpFlow(flow) && !refused && routeTimeoutMs !== null) {
    // the route timeout fires before the proxy gives up connecting (seed 003: timeout 5s -> 504)
    return {
      status: 504,
      body: 'upstream request timeout',
      flags: 'UT',
      details: `response_timeout (VirtualService timeout ${routeTimeoutMs / 1000}s)`,
    };
  }
  if (sourceHasSidecar && isHttpFlow(flow)) {
    return refused
      ? {
          status: 503,
          body: 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
          flags: 'URX,UF',
          details:
            'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
        }
      : {
          status: 503,
          body: 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection timeout',
          flags: 'URX,UF',
          details: 'upstream_reset_before_response_started{connection_timeout}',
        };
  }
  if (sourceHasSidecar && flow.protocol === 'TCP') {
    // the client's own sidecar accepts the connection, then resets it when the upstream connect fails
    return {
      status: 'connection-reset',
      body: null,
      flags: 'UF',
      details: refused ? 'connection refused upstream' : 'upstream connect timeout',
    };
  }
  return { status: refused ? 'connection-refused' : 'connect-timeout', body: null, flags: null, details: null };
}

export function allowedResponse(flow: FlowContext): ExpectedResponse {
  if (isHttpFlow(flow))
    return { status: 200, body: null, flags: null, details: 'via_upstream (the application answers; 200 assumed)' };
  return { status: 'connected', body: null, flags: null, details: null };
}

/**
 * What the client sees of a connection the destination closed (a TCP authz or ext_authz denial, a
 * mismatched handshake): a gateway routing an HTTP request answers its own 503 UC, and the note
 * says what the destination's proxy logs; other clients see the reset.
 */
export function serverClosedResponse(
  flow: FlowContext,
  response: ExpectedResponse,
): { response: ExpectedResponse; note: string | null } {
  if (response.status !== 'connection-reset' || flow.http === null || !isGateway(flow)) return { response, note: null };
  const cause = response.details ? `; the destination's proxy logs ${response.details}` : '';
  return {
    response: connectionTerminated(),
    note: `the gateway routes the HTTP request to a port the destination treats as TCP and answers 503 UC when the connection is closed${cause}`,
  };
}
