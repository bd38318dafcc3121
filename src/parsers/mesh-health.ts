/**
 * Mesh health messages from pilot-agent, Envoy and istiod: xDS/SDS stream errors, istiod
 * unreachable, `Envoy proxy is NOT ready`, DNS lookup timeouts, JWKS fetch failures, and the
 * recovery line `connected to upstream XDS server`.
 */
import type { MeshHealthProblem } from './log-event.js';

export interface MeshHealthMatch {
  readonly problem: MeshHealthProblem;
  readonly failing: boolean;
  readonly target: string | null;
}

function wordAfter(text: string, key: string): string | null {
  const i = text.indexOf(key);
  if (i === -1) return null;
  const start = i + key.length;
  let end = start;
  while (end < text.length && !' \t,"'.includes(text[end]!)) end++;
  const w = text.slice(start, end).replace(/:$/, '');
  return w === '' ? null : w;
}

function quotedAfter(text: string, key: string): string | null {
  const i = text.indexOf(key);
  if (i === -1) return null;
  const end = text.indexOf('"', i + key.length);
  return end === -1 ? null : text.slice(i + key.length, end);
}

function dnsProblem(m: string): MeshHealthMatch | null {
  if (m.indexOf('lookup ') === -1 || m.indexOf(':53') === -1) return null;
  const server = wordAfter(m, ' on ');
  if (m.indexOf('i/o timeout') !== -1) return { problem: 'dns-timeout', failing: true, target: server };
  if (m.indexOf('connection refused') !== -1) return { problem: 'dns-refused', failing: true, target: server };
  return null;
}

function streamProblem(m: string): MeshHealthMatch | null {
  const ads =
    m.indexOf('StreamAggregatedResources gRPC config stream') !== -1 ||
    m.indexOf('DeltaAggregatedResources gRPC config stream') !== -1;
  const sds = m.indexOf('StreamSecrets gRPC config stream') !== -1;
  if ((!ads && !sds) || m.indexOf('closed') === -1) return null;
  return { problem: ads ? 'xds-stream-closed' : 'sds-stream-closed', failing: true, target: wordAfter(m, 'dial tcp ') };
}

/** Recognizes a mesh-health message; null for anything else. */
export function detectMeshHealth(message: string): MeshHealthMatch | null {
  const m = message;
  if (m.indexOf('Envoy proxy is NOT ready') !== -1) return { problem: 'proxy-not-ready', failing: true, target: null };
  const dns = dnsProblem(m);
  if (dns) return dns;
  const stream = streamProblem(m);
  if (stream) return stream;
  if (m.indexOf('failed to connect to upstream') !== -1)
    return { problem: 'xds-upstream-failed', failing: true, target: wordAfter(m, 'failed to connect to upstream ') };
  if (m.indexOf('XDS client connection error') !== -1)
    return { problem: 'xds-upstream-failed', failing: true, target: null };
  if (
    m.indexOf('connected to upstream XDS server') !== -1 ||
    m.indexOf('connected to delta upstream XDS server') !== -1
  )
    return { problem: 'xds-connected', failing: false, target: wordAfter(m, 'XDS server: ') };
  if (m.indexOf('ca request failed') !== -1)
    return { problem: 'ca-request-failed', failing: true, target: wordAfter(m, 'dial tcp ') };
  if (m.indexOf('failed to sign') !== -1 || m.indexOf('failed to generate secret') !== -1)
    return { problem: 'certificate-sign-failed', failing: true, target: wordAfter(m, 'dial tcp ') };
  if (m.indexOf('Failed to GET from "') !== -1)
    return { problem: 'jwks-fetch-failed', failing: true, target: quotedAfter(m, 'Failed to GET from "') };
  if (m.indexOf('Failed to refresh JWT public key from "') !== -1)
    return {
      problem: 'jwks-fetch-failed',
      failing: true,
      target: quotedAfter(m, 'Failed to refresh JWT public key from "'),
    };
  if (m.indexOf('JWKS fetch failed for issuer') !== -1)
    return { problem: 'jwks-fetch-failed', failing: true, target: wordAfter(m, 'JWKS fetch failed for issuer ') };
  return null;
}
