/**
 * A Denial before aggregation: built from one log event, with what enrichment it still needs
 * (an engine run, done once per distinct denial, not per repeat).
 */
import type { Snapshot } from '../model/snapshot.js';
import type { LogOrigin, UpstreamFailureReason } from '../parsers/log-event.js';
import type { Denial, DenialPeer } from './denial.js';
import { ipOf } from './resolve-peer.js';

export type Draft = Omit<Denial, 'count' | 'lastTime'>;

export type Enrichment =
  | { readonly type: 'none' }
  | { readonly type: 'allow-miss'; readonly mtls: boolean | null }
  | { readonly type: 'upstream'; readonly reason: UpstreamFailureReason }
  /** find the CUSTOM policy at the destination (ext_authz denials, bad CUSTOM provider) */
  | { readonly type: 'custom' }
  /** find the PeerAuthentication that makes the destination STRICT */
  | { readonly type: 'mtls'; readonly port: number | null }
  /** ambient: the rule behind a ztunnel refusal, with the identity ztunnel saw (maybe a waypoint's) */
  | { readonly type: 'ztunnel' };

export interface DraftResult {
  readonly draft: Draft;
  readonly enrich: Enrichment;
}

export interface CorrelationContext {
  readonly snapshot: Snapshot | null;
}

export function originKey(o: LogOrigin | null): string {
  return o === null ? '' : `${o.namespace ?? ''}/${o.pod ?? ''}/${o.container ?? ''}/${o.label ?? ''}`;
}

function peerKey(p: DenialPeer | 'unknown'): string {
  if (p === 'unknown') return '?';
  return p.name !== null ? `${p.kind}:${p.namespace ?? ''}/${p.name}` : `ip:${p.ip ?? ''}`;
}

/** What makes two occurrences "the same denial" (repeats are counted, not listed). */
export function denialKey(d: Draft): string {
  const r = d.request;
  return [
    d.cause,
    d.layer ?? '',
    d.policyId ?? d.ruleRef ?? '',
    d.enforcement,
    peerKey(d.source),
    peerKey(d.destination),
    r.method ?? '',
    r.path ?? '',
    r.port ?? '',
    r.status ?? '',
  ].join('|');
}

export { ipOf };
