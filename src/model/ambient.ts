/**
 * Istio ambient mode as the engine sees it: the dataplane mode of a pod and the waypoints
 * (Gateways of class istio-waypoint). README "Ambient mode"; https://istio.io/latest/docs/ambient/usage/waypoint/.
 */
import type { LabelSelector, Labels, Namespace, Pod, SourceLocation } from './k8s.js';
import { podHasSidecar } from './convert/sidecar.js';

export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
export const WAYPOINT_CLASS = 'istio-waypoint';
/** Waypoint pods carry the Gateway name (istio/istio manifests/charts/istio-control/istio-discovery/files/waypoint.yaml). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** HBONE: mTLS tunnel between ambient peers (https://istio.io/latest/docs/ambient/usage/networkpolicy/). */
export const HBONE_PORT = 15008;
/** kubelet probes are SNATed to this link-local address in ambient pods (same doc). */
export const PROBE_SOURCE_IP = '169.254.7.127';

/** `istio.io/waypoint-for`: which traffic a waypoint takes (https://istio.io/latest/docs/ambient/usage/waypoint/). */
export type WaypointFor = 'service' | 'workload' | 'all' | 'none';
export const WAYPOINT_FOR_VALUES: readonly WaypointFor[] = ['service', 'workload', 'all', 'none'];

export interface Waypoint {
  readonly namespace: string;
  readonly name: string;
  readonly trafficFor: WaypointFor;
  /** the waypoint pods' service account: the Gateway name unless gateway.istio.io/service-account overrides it */
  readonly serviceAccount: string;
  /**
   * istiod uses a waypoint only once its Gateway has status.addresses (a ready pod):
   * true/false from a live status, null when the input has no status (manifests)
   * (istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go gatewayToWaypointTransform).
   */
  readonly ready: boolean | null;
  /** status condition Programmed, when the Gateway has one */
  readonly programmed: boolean | null;
  /** the HBONE listener's allowedRoutes.namespaces (Gateway API default `Same`): who may use it from another namespace */
  readonly allowedRoutes: { readonly from: 'All' | 'Same' | 'Selector'; readonly selector: LabelSelector | null };
  readonly loc: SourceLocation | null;
}

export type DataplaneMode = 'sidecar' | 'ambient' | 'none';

/** istio-cni's default `excludeNamespaces` (istio/istio manifests/charts/istio-cni/values.yaml). */
const CNI_EXCLUDED_NAMESPACES = new Set(['kube-system']);

/**
 * Ambient when the pod or its namespace carries istio.io/dataplane-mode=ambient, the pod does not
 * opt out with `none`, and it has no sidecar (sidecar injection takes precedence); namespaces in
 * istio-cni's exclude list are skipped (https://istio.io/latest/docs/ambient/usage/add-workloads/,
 * "Pod selection logic"). hostNetwork pods share the node's network namespace and are never captured.
 */
export function dataplaneMode(pod: Pod, namespace: Pick<Namespace, 'labels'> | undefined): DataplaneMode {
  if (podHasSidecar(pod)) return 'sidecar';
  if (pod.hostNetwork || CNI_EXCLUDED_NAMESPACES.has(pod.namespace)) return 'none';
  const own = pod.labels[DATAPLANE_MODE_LABEL];
  if (own === 'none') return 'none';
  return own === 'ambient' || namespace?.labels[DATAPLANE_MODE_LABEL] === 'ambient' ? 'ambient' : 'none';
}

/** Both modes asked for: the namespace or pod says ambient and the pod has a sidecar (the sidecar wins). */
export function ambientRequested(pod: Pod, nsLabels: Labels | undefined): boolean {
  const own = pod.labels[DATAPLANE_MODE_LABEL];
  return own !== 'none' && (own === 'ambient' || nsLabels?.[DATAPLANE_MODE_LABEL] === 'ambient');
}
