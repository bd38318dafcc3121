/**
 * The engine's public surface: what parsers, correlate, sources, report, ui and commands use.
 * Those layers import the engine only through this module (eslint.config.js enforces it); the
 * modules behind it may move without touching them.
 */
export * from './explanation.js';
export { explain } from './explain.js';
export { servicePortTargeting } from './explain/ports.js';
export { groupsOfService, resolvePeer, type ResolvedPeer } from './peers.js';
export { lintNetworkPolicies } from './lint.js';
export { lintIstio } from './istio/lint.js';
export { lintAmbient } from './ambient/lint.js';
export { lintCalico } from './calico/lint.js';
export { calicoInForce, endOfTierRule } from './calico/evaluate.js';
export { calicoTiersInForce, type TierInForce } from './calico/in-force.js';
export { serviceAccountLabels } from './calico/endpoint.js';
export { appliesToPod, authzPoliciesFor, requestAuthenticationsFor } from './istio/policy-index.js';
export {
  ANONYMOUS_MATCH_NOTHING,
  AUTHZ_ACTION_ORDER,
  authzCheckRows,
  type AuthzCheckAction,
} from './istio/authz-check.js';
export { peerAuthnLevels, serverMode } from './istio/peer-authn.js';
export { waypointAuthzPolicies, ztunnelAuthzPolicies } from './ambient/binding.js';
export { waypointFor } from './ambient/waypoints.js';
export { networkPoliciesSelecting } from './network-policy/kubernetes.js';
export {
  planMap,
  type ClassPairTable,
  type MapConnection,
  type MapEdge,
  type MapOptions,
  type MapPlan,
  type MapWorkload,
  type SourceProgress,
} from './map/connectivity-map.js';
export { diffMaps, indexEdges, type ChangeKind, type MapChange } from './map/diff.js';
export { changesOf, diffSources, type SourceChanges } from './map/diff-plans.js';
export { workloadsAnEditTouches } from './map/edit-scope.js';
export type { PortRange } from './map/port-intervals.js';
