/**
 * The ambient proxies whose logs carry ambient denials (README "Ambient mode"): the ztunnel pods
 * on the nodes of the Snapshot's ambient pods (ztunnel logs the connections of its own node,
 * https://istio.io/latest/docs/ambient/usage/troubleshoot-ztunnel/) and the waypoints' pods, found by
 * the label the waypoint Deployment carries (istio/istio
 * manifests/charts/istio-control/istio-discovery/files/waypoint.yaml: gateway.networking.k8s.io/gateway-name).
 * Both run their proxy in a container named istio-proxy (the ztunnel chart's daemonset.yaml, waypoint.yaml).
 */
import { dataplaneMode, GATEWAY_NAME_LABEL } from '../../model/ambient.js';
import { isZtunnelPod, PROXY_CONTAINER } from '../../model/convert/sidecar.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { FollowTarget } from '../../sources/kube/follow-pods.js';

const target = (p: Pod): FollowTarget => ({
  pod: { namespace: p.namespace, name: p.name },
  container: PROXY_CONTAINER,
});

/** Nodes that run at least one ambient pod; null when a pod's node is unknown (then every ztunnel counts). */
function ambientNodes(snapshot: Snapshot): Set<string> | null {
  const nodes = new Set<string>();
  for (const p of snapshot.pods) {
    if (p.fromTemplate || dataplaneMode(p, snapshot.namespaces.get(p.namespace)) !== 'ambient') continue;
    if (p.nodeName === null) return null;
    nodes.add(p.nodeName);
  }
  return nodes;
}

export function ztunnelTargets(snapshot: Snapshot): FollowTarget[] {
  const nodes = ambientNodes(snapshot);
  if (nodes?.size === 0) return [];
  return snapshot.pods
    .filter((p) => !p.fromTemplate && isZtunnelPod(p))
    .filter((p) => nodes === null || p.nodeName === null || nodes.has(p.nodeName))
    .map(target);
}

export function waypointTargets(snapshot: Snapshot): FollowTarget[] {
  const waypoints = new Set((snapshot.waypoints ?? []).map((w) => `${w.namespace}/${w.name}`));
  return snapshot.pods
    .filter((p) => !p.fromTemplate && waypoints.has(`${p.namespace}/${p.labels[GATEWAY_NAME_LABEL] ?? ''}`))
    .map(target);
}
