/**
 * Which waypoint (if any) a flow to an ambient destination goes through, following istiod:
 * istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go (fetchWaypointForService,
 * fetchWaypointForWorkload, fetchWaypointForTarget, GetUseWaypoint) and
 * https://istio.io/latest/docs/ambient/usage/waypoint/ ("Use a waypoint proxy").
 */
import type { Labels, Pod, Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import {
  GATEWAY_NAME_LABEL,
  USE_WAYPOINT_LABEL,
  USE_WAYPOINT_NAMESPACE_LABEL,
  WAYPOINT_CLASS,
  type Waypoint,
} from '../../model/ambient.js';
import { selectorMatches } from '../../model/selectors.js';
import { assumedPod } from '../../model/assumed-pod.js';

export interface WaypointName {
  readonly namespace: string;
  readonly name: string;
}

/** Where the istio.io/use-waypoint label that decided was found. */
export type WaypointVia = 'service' | 'pod' | 'namespace';

export type WaypointBinding =
  | { readonly type: 'none'; readonly reason: string }
  | {
      readonly type: 'waypoint';
      readonly waypoint: Waypoint;
      readonly via: WaypointVia;
      /** service-addressed (Service VIP) or workload-addressed (pod IP) traffic */
      readonly addressed: 'service' | 'workload';
      readonly pod: Pod;
      readonly podAssumed: boolean;
    }
  | { readonly type: 'unusable'; readonly name: WaypointName; readonly via: WaypointVia; readonly reason: string };

/** GetUseWaypoint: `none` opts out; istio.io/use-waypoint-namespace names another namespace. */
function useWaypoint(labels: Labels | undefined, ownNamespace: string): WaypointName | 'none' | null {
  const value = labels?.[USE_WAYPOINT_LABEL];
  if (value === undefined) return null;
  if (value === 'none') return 'none';
  return { namespace: labels?.[USE_WAYPOINT_NAMESPACE_LABEL] ?? ownNamespace, name: value };
}

export function findWaypoint(snapshot: Snapshot, name: WaypointName): Waypoint | null {
  return (snapshot.waypoints ?? []).find((w) => w.namespace === name.namespace && w.name === name.name) ?? null;
}

/** AllowsAttachmentFromNamespace: the HBONE listener's allowedRoutes (default Same). */
function attachmentAllowed(snapshot: Snapshot, w: Waypoint, fromNamespace: string): boolean {
  switch (w.allowedRoutes.from) {
    case 'All':
      return true;
    case 'Same':
      return w.namespace === fromNamespace;
    case 'Selector':
      return (
        w.allowedRoutes.selector !== null &&
        selectorMatches(w.allowedRoutes.selector, snapshot.namespaces.get(fromNamespace)?.labels ?? {})
      );
  }
}

/** The waypoint's pods (label gateway.networking.k8s.io/gateway-name), or the one istiod would deploy. */
export function waypointPod(snapshot: Snapshot, w: Waypoint): { pod: Pod; assumed: boolean } {
  const found = (snapshot.index.podsByNamespace.get(w.namespace) ?? []).find(
    (p) => p.labels[GATEWAY_NAME_LABEL] === w.name,
  );
  if (found) return { pod: found, assumed: false };
  // labels from istio/istio manifests/charts/istio-control/istio-discovery/files/waypoint.yaml
  return {
    assumed: true,
    pod: assumedPod({
      namespace: w.namespace,
      name: w.name,
      labels: {
        [GATEWAY_NAME_LABEL]: w.name,
        'gateway.networking.k8s.io/gateway-class-name': WAYPOINT_CLASS,
        'istio.io/dataplane-mode': 'none',
        'sidecar.istio.io/inject': 'false',
        'service.istio.io/canonical-name': w.name,
      },
      serviceAccount: w.serviceAccount,
      containers: [
        { name: 'istio-proxy', ports: [{ name: 'mesh', containerPort: 15008, protocol: 'TCP' }], restartPolicy: null },
      ],
      owner: { kind: 'Deployment', name: w.name },
    }),
  };
}

interface Candidate {
  readonly name: WaypointName;
  readonly via: WaypointVia;
}

/** The object's own label first, then its namespace's (fetchWaypointForTarget). */
function candidate(
  snapshot: Snapshot,
  own: Labels | undefined,
  via: WaypointVia,
  namespace: string,
): Candidate | 'none' | null {
  const mine = useWaypoint(own, namespace);
  if (mine === 'none') return 'none';
  if (mine) return { name: mine, via };
  const fromNs = useWaypoint(snapshot.namespaces.get(namespace)?.labels, namespace);
  return fromNs && fromNs !== 'none' ? { name: fromNs, via: 'namespace' } : null;
}

function isServiceAddressed(service: Service | null): service is Service {
  return service !== null && service.clusterIP !== 'None';
}

/**
 * The waypoint for traffic to `dst`: Service-addressed traffic uses the Service's (or its
 * namespace's) waypoint, which must take `service` traffic; pod-addressed traffic the pod's (or
 * namespace's), which must take `workload` traffic. A waypoint missing or not ready leaves
 * traffic without one (istiod reports WaypointIsNotReady and ztunnel sends it direct).
 */
export function waypointFor(snapshot: Snapshot, dst: Pod, service: Service | null): WaypointBinding {
  const addressed = isServiceAddressed(service) ? 'service' : 'workload';
  const c = isServiceAddressed(service)
    ? candidate(snapshot, service.labels, 'service', service.namespace)
    : candidate(snapshot, dst.labels, 'pod', dst.namespace);
  if (c === 'none')
    return {
      type: 'none',
      reason: `istio.io/use-waypoint: none on the ${addressed === 'service' ? 'Service' : 'pod'}`,
    };
  if (c === null) return { type: 'none', reason: 'no istio.io/use-waypoint label on the destination or its namespace' };
  const w = findWaypoint(snapshot, c.name);
  const label = `${c.name.namespace}/${c.name.name}`;
  if (!w)
    return {
      type: 'unusable',
      ...c,
      reason: `waypoint ${label} (istio.io/use-waypoint on the ${c.via}) is not in the input: istiod reports it not ready and ztunnel sends traffic direct`,
    };
  if (w.ready === false)
    return {
      type: 'unusable',
      ...c,
      reason: `waypoint ${label} has no status.addresses (no ready pod): istiod does not use it yet`,
    };
  const fromNs = c.via === 'service' && service ? service.namespace : dst.namespace;
  if (!attachmentAllowed(snapshot, w, fromNs))
    return {
      type: 'unusable',
      ...c,
      reason: `waypoint ${label} does not allow attachment from namespace ${fromNs} (allowedRoutes.namespaces.from: ${w.allowedRoutes.from})`,
    };
  const wanted = addressed === 'service' ? 'service' : 'workload';
  if (w.trafficFor !== wanted && w.trafficFor !== 'all') {
    // a namespace-inherited binding that does not fit workload traffic is not an error (fetchWaypointForWorkload)
    if (c.via === 'namespace' && addressed === 'workload')
      return {
        type: 'none',
        reason: `the namespace waypoint ${label} takes ${w.trafficFor} traffic, not pod-addressed traffic`,
      };
    return {
      type: 'unusable',
      ...c,
      reason: `waypoint ${label} takes ${w.trafficFor} traffic (istio.io/waypoint-for), not ${wanted} traffic`,
    };
  }
  const p = waypointPod(snapshot, w);
  return { type: 'waypoint', waypoint: w, via: c.via, addressed, pod: p.pod, podAssumed: p.assumed };
}
