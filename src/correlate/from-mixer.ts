/**
 * Mixer telemetry entries (Istio 1.0-1.4) -> denial drafts. A `permissiveResponseCode` of `denied`
 * is what the RBAC policies in PERMISSIVE mode would have refused while the request went through: a
 * shadow denial (istio.io docs tasks/security/authz-permissive: "a `responseCode` of `200` and a
 * `permissiveResponseCode` of `denied`"). A 403 the destination reported is the enforced decision;
 * Mixer's entries carry no response details, so, as a 403 in an access log without details, it is
 * likely RBAC's (Envoy answers `RBAC: access denied`, 19 bytes) but the application may have sent it.
 */
import type { MixerLogEntry, MixerPeer } from '../parsers/log-event.js';
import type { DenialPeer, DenialRequest } from './denial.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { fixedReporter } from './reporter.js';
import { namedInLog, parsePrincipal, resolveAddress, resolveHost } from './resolve-peer.js';

/** Envoy's RBAC local reply body `RBAC: access denied` (envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc). */
const RBAC_BODY_BYTES = 19;

function peerOf(ctx: CorrelationContext, p: MixerPeer): DenialPeer | 'unknown' {
  const s = ctx.snapshot;
  const byIp = p.ip === null ? 'unknown' : resolveAddress(s, p.ip, p.principal);
  // a pod or workload of the Snapshot; else the pod Mixer names beats a service account
  if (byIp !== 'unknown' && byIp.kind !== 'IP' && byIp.kind !== 'ServiceAccount') return byIp;
  if (p.pod !== null)
    return namedInLog({
      namespace: p.namespace,
      name: p.pod,
      kind: 'Pod',
      ip: p.ip,
      principal: parsePrincipal(p.principal)?.principal ?? null,
    });
  const byPrincipal = p.principal === null ? 'unknown' : resolveAddress(s, null, p.principal);
  if (byPrincipal !== 'unknown') return byPrincipal;
  if (p.app === null) return byIp;
  // the rbacsamplelog names only the `app` label: the Service of that name when the Snapshot has one
  return (
    resolveHost(s, p.app, 'authority', p.namespace) ??
    namedInLog({ namespace: p.namespace, name: p.app, kind: 'App', ip: null, principal: null })
  );
}

function requestOf(e: MixerLogEntry): DenialRequest {
  const tcp = e.protocol === 'tcp';
  return {
    // a response code is HTTP's (the rbacsamplelog prints no protocol)
    protocol: e.protocol === null ? (e.method === null && e.status === null ? null : 'HTTP') : tcp ? 'TCP' : 'HTTP',
    method: e.method,
    path: e.path,
    host: e.authority,
    port: null,
    sni: e.requestedServerName,
    status: tcp ? null : e.status,
  };
}

function base(ctx: CorrelationContext, e: MixerLogEntry): Omit<Draft, 'enforcement' | 'confidence' | 'reason'> {
  return {
    kind: 'Denial',
    time: e.time,
    source: peerOf(ctx, e.source),
    destination: peerOf(ctx, e.destination),
    request: requestOf(e),
    cause: e.status === 401 ? 'jwt' : 'rbac',
    layer: null,
    policy: null,
    ruleRef: null,
    policyId: null,
    policyInSnapshot: null,
    attribution: 'unknown',
    // the RBAC filter runs in the destination's sidecar, whichever proxy reported the request
    reporter: fixedReporter('sidecar', {
      namespace: e.destination.namespace,
      pod: e.destination.pod,
      container: null,
      label: null,
    }),
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
}

function enforcedReason(e: MixerLogEntry): string {
  if (e.status === 401)
    return "401 in Mixer's log: likely a JWT / origin authentication rejection; Mixer's entry does not say why, and the application itself may have answered 401";
  const body =
    e.responseSize === RBAC_BODY_BYTES ? ` (a ${RBAC_BODY_BYTES}-byte body, as Envoy's "RBAC: access denied")` : '';
  return `403 in Mixer's log${body}: likely an authorization denial; Mixer's entry names no policy, and the application itself may have answered 403`;
}

/** A denial the entry shows; null for allowed requests and for the source proxy's report (the destination reports the same request). */
export function draftFromMixer(ctx: CorrelationContext, e: MixerLogEntry): DraftResult | null {
  if (e.reporter === 'source') return null;
  if (e.status === 401 || e.status === 403)
    return {
      draft: { ...base(ctx, e), enforcement: 'enforced', confidence: 'likely', reason: enforcedReason(e) },
      enrich: e.status === 403 ? { type: 'allow-miss', mtls: null } : { type: 'none' },
    };
  if (e.permissive?.result !== 'denied') return null;
  const policyId = e.permissive.policyId;
  return {
    draft: {
      ...base(ctx, e),
      cause: 'rbac',
      layer: 'authz-allow',
      policyId,
      enforcement: 'shadow',
      attribution: policyId === null ? 'unknown' : 'policy',
      confidence: 'certain',
      reason:
        policyId === null
          ? 'permissive mode (shadow), not enforced: no policy in PERMISSIVE mode would allow this request'
          : `permissive mode (shadow), not enforced: denied by ${policyId}`,
    },
    enrich: { type: 'none' },
  };
}
