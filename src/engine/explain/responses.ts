/** What the client sees (formats.md section 9), for NetworkPolicy drops and allowed flows. */
import type { ExpectedResponse } from '../explanation.js';
import type { FlowContext } from '../flow.js';

const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'h2c']);

export function isHttpFlow(flow: FlowContext): boolean {
  if (flow.protocol !== 'TCP') return false;
  if (flow.appProtocol !== null && HTTP_PROTOCOLS.has(flow.appProtocol)) return true;
  return flow.appProtocol === null && flow.http !== null;
}

/** DROP-style CNIs time out, kube-router's REJECT refuses; a meshed HTTP client gets its sidecar's 503. */
export function networkDenialResponse(flow: FlowContext, sourceHasSidecar: boolean): ExpectedResponse {
  const refused = flow.cni === 'kube-router';
  if (sourceHasSidecar && isHttpFlow(flow)) {
    return refused
      ? {
          status: 503,
          body: 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
          flags: 'URX,UF',
          details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
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
    return { status: 'connection-reset', body: null, flags: 'UF', details: refused ? 'connection refused upstream' : 'upstream connect timeout' };
  }
  return { status: refused ? 'connection-refused' : 'connect-timeout', body: null, flags: null, details: null };
}

export function allowedResponse(flow: FlowContext): ExpectedResponse {
  if (isHttpFlow(flow)) return { status: 200, body: null, flags: null, details: 'via_upstream (the application answers; 200 assumed)' };
  return { status: 'connected', body: null, flags: null, details: null };
}
