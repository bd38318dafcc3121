/**
 * Cheap identity of a log event for repeat counting: built from raw fields only, so a repeated
 * denial is counted without resolving peers or looking up policies again.
 */
import type { LogEvent } from '../parsers/log-event.js';
import { originKey } from './draft.js';
import { ipOf } from './resolve-peer.js';

/** null when the event kind is never counted this way. */
export function fastKey(e: LogEvent): string | null {
  switch (e.kind) {
    case 'RbacDecision': {
      const r = e.request;
      const req =
        r === null
          ? '-'
          : `${r.filter}|${ipOf(r.sourceAddress)}|${r.peerUriSan}|${r.localAddress}|${r.method}|${r.path}|${r.authority}|${r.requestedServerName}`;
      return `R|${originKey(e.origin)}|${e.enforcement}|${e.result}|${e.policyReported}|${e.policyId}|${req}`;
    }
    case 'AccessLogEntry':
      return `A|${originKey(e.origin)}|${e.status}|${e.flags.join(',')}|${e.responseCodeDetails}|${e.terminationDetails}|${e.transportFailureReason}|${ipOf(e.downstreamRemoteAddress)}|${e.downstreamLocalAddress}|${e.upstreamHost}|${e.authority}|${e.method}|${e.path}|${e.requestedServerName}|${e.upstreamCluster}`;
    case 'LocalReply':
      return `L|${originKey(e.origin)}|${e.details}`;
    default:
      return null;
  }
}
