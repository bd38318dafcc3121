/**
 * Who printed a denial. An Envoy line comes from a waypoint when its pod says so (waypoint pods
 * are named after their Gateway, istio.io/latest/docs/ambient/usage/waypoint/) or when the access
 * log shows the waypoint's clusters (`inbound-vip|...`, upstream `envoy://connect_originate/...`,
 * istio/istio pilot/pkg/networking/core/waypoint.go); from a gateway when the pod is an Istio
 * gateway, or when an authorization denial (RBAC, ext_authz, JWT) was routed to an `outbound|` cluster:
 * istiod puts the authorization filters on a sidecar's inbound listeners and on a gateway's listeners,
 * never on a sidecar's outbound ones (istio/istio pilot/pkg/networking/plugin/authz/authorization.go,
 * OnOutboundListener "Only care about router"); else from a sidecar (Istio formats) or a plain Envoy.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { AccessLogEntry, LogOrigin } from '../parsers/log-event.js';
import { isWaypointOrigin } from './resolve-peer.js';
import type { DenialReporter, ReporterKind } from './denial.js';

function podOf(origin: LogOrigin | null): string | null {
  return origin?.pod ?? null;
}

function byOrigin(origin: LogOrigin | null): ReporterKind | null {
  const who = `${origin?.pod ?? ''} ${origin?.container ?? ''}`;
  if (who.includes('waypoint')) return 'waypoint';
  if (who.includes('gateway')) return 'gateway';
  return null;
}

/** `snapshot`: a pod of one of its waypoints is a waypoint whatever its name. */
export function envoyReporter(
  origin: LogOrigin | null,
  istioFormat: boolean,
  snapshot: Snapshot | null = null,
): DenialReporter {
  if (isWaypointOrigin(snapshot, origin)) return { kind: 'waypoint', pod: podOf(origin) };
  return { kind: byOrigin(origin) ?? (istioFormat ? 'sidecar' : 'envoy'), pod: podOf(origin) };
}

export function accessLogReporter(e: AccessLogEntry, snapshot: Snapshot | null = null): DenialReporter {
  const cluster = e.upstreamCluster ?? '';
  const waypoint = cluster.startsWith('inbound-vip|') || (e.upstreamHost ?? '').startsWith('envoy://connect_originate');
  if (waypoint) return { kind: 'waypoint', pod: podOf(e.origin) };
  const authzDenial = e.rbac !== null || e.extAuthz !== null || e.jwt !== null;
  if (authzDenial && cluster.startsWith('outbound|') && !isWaypointOrigin(snapshot, e.origin))
    return { kind: byOrigin(e.origin) ?? 'gateway', pod: podOf(e.origin) };
  const istio = cluster.includes('|') || e.requestedServerName !== null || e.responseCodeDetails !== null;
  return envoyReporter(e.origin, istio, snapshot);
}

export function fixedReporter(kind: ReporterKind, origin: LogOrigin | null): DenialReporter {
  return { kind, pod: podOf(origin) };
}
