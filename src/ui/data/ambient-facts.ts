/**
 * Ambient facts for the pods table and the pod detail: the dataplane mode, the waypoint its
 * Services' traffic goes through, and the policies in force per enforcer. Selection is the engine's.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { dataplaneMode, type DataplaneMode } from '../../model/ambient.js';
import { authzPoliciesFor, waypointAuthzPolicies, waypointFor, ztunnelAuthzPolicies } from '../../engine/index.js';
import { servicesSelecting } from '../../model/service-selection.js';

export function dataplaneOf(snapshot: Snapshot, pod: Pod): DataplaneMode {
  return dataplaneMode(pod, snapshot.namespaces.get(pod.namespace));
}

export interface WaypointUse {
  /** `ns/name` of the waypoint */
  readonly waypoint: string;
  /** `Service ns/name` or `pod` (pod-addressed traffic) */
  readonly for: string;
  readonly policies: readonly string[];
}

/** The waypoints traffic to this pod goes through: per Service it belongs to, and for its pod IP. */
export function waypointsOf(snapshot: Snapshot, pod: Pod): WaypointUse[] {
  if (dataplaneOf(snapshot, pod) !== 'ambient') return [];
  const out: WaypointUse[] = [];
  for (const svc of [...servicesSelecting(snapshot, pod), null]) {
    const b = waypointFor(snapshot, pod, svc);
    if (b.type !== 'waypoint') continue;
    out.push({
      waypoint: `${b.waypoint.namespace}/${b.waypoint.name}`,
      for: svc ? `Service ${svc.namespace}/${svc.name}` : 'pod',
      policies: waypointAuthzPolicies(snapshot, b.waypoint, svc).map((p) => `${p.action} ${p.namespace}/${p.name}`),
    });
  }
  return out;
}

export interface EnforcedPolicies {
  readonly enforcer: 'sidecar' | 'ztunnel' | 'waypoint';
  /** `ACTION ns/name`, with the reason for policies the enforcer never receives */
  readonly lines: readonly string[];
}

/** The AuthorizationPolicies in force for traffic to this pod, per enforcer. */
export function policiesPerEnforcer(snapshot: Snapshot, pod: Pod): EnforcedPolicies[] {
  const mode = dataplaneOf(snapshot, pod);
  if (mode === 'sidecar')
    return [
      {
        enforcer: 'sidecar',
        lines: authzPoliciesFor(snapshot, pod).map((p) => `${p.action} ${p.namespace}/${p.name}`),
      },
    ];
  if (mode !== 'ambient') return [];
  const z = ztunnelAuthzPolicies(snapshot, pod);
  const ztunnel = [
    ...z.enforced.map((p) => `${p.action} ${p.namespace}/${p.name}`),
    ...z.ignored.map((i) => `${i.policy.action} ${i.policy.namespace}/${i.policy.name} (not enforced: ${i.reason})`),
  ];
  const waypoint = waypointsOf(snapshot, pod).flatMap((w) =>
    w.policies.length === 0
      ? [`${w.waypoint} for ${w.for}: no policy`]
      : w.policies.map((p) => `${p}  (${w.waypoint} for ${w.for})`),
  );
  return [
    { enforcer: 'ztunnel', lines: ztunnel },
    { enforcer: 'waypoint', lines: waypoint },
  ];
}
