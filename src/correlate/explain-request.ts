/**
 * Rebuilds a logged request as an explain query and asks the engine: for `matched policy none`
 * (which ALLOW rule came nearest) and for 503s (what the NetworkPolicy steps say for the pair).
 */
import { explain } from '../engine/index.js';
import type { ExplainQuery, Explanation, PeerSpec } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import type { DenialPeer, DenialRequest } from './denial.js';

/** The most precise peer the Snapshot knows: the pod itself when it is there, else its workload. */
function peerSpec(snapshot: Snapshot, p: DenialPeer | 'unknown'): PeerSpec | null {
  if (p === 'unknown') return null;
  if (p.kind === 'IP') return p.ip === null ? null : { ip: p.ip };
  if (p.kind === 'ServiceAccount') return null;
  if (
    p.kind === 'Pod' &&
    p.name !== null &&
    snapshot.pods.some((pod) => pod.name === p.name && pod.namespace === p.namespace)
  ) {
    return { namespace: p.namespace ?? undefined, kind: 'Pod', name: p.name };
  }
  if (p.workload !== null) {
    const [kind, name] = p.workload.split('/');
    if (kind && name && p.namespace !== null) return { namespace: p.namespace, kind, name };
  }
  if (p.name === null || p.namespace === null) return p.ip === null ? null : { ip: p.ip };
  return { namespace: p.namespace, kind: p.kind, name: p.name };
}

/** The engine's Explanation for the logged request; null when a peer or the port is unknown. */
export function explainLoggedRequest(
  snapshot: Snapshot,
  src: DenialPeer | 'unknown',
  dst: DenialPeer | 'unknown',
  req: DenialRequest,
  mtls: boolean | null,
): Explanation | null {
  const s = peerSpec(snapshot, src);
  const d = peerSpec(snapshot, dst);
  if (s === null || d === null || req.port === null) return null;
  const http =
    req.method !== null || req.path !== null
      ? { method: req.method, path: req.path, host: req.host, headers: {} }
      : null;
  const query: ExplainQuery = {
    id: null,
    src: s,
    dst: d,
    port: req.port,
    protocol: 'TCP',
    http,
    mtls,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    namespace: null,
    cni: null,
  };
  const result = explain(snapshot, query);
  return result.kind === 'Explanation' ? result : null;
}
