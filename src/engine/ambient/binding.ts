/**
 * Which enforcer applies an AuthorizationPolicy in ambient mode
 * (https://istio.io/latest/docs/ambient/usage/l4-policy/, "Authorization policy attachment"):
 * `targetRefs` to a waypoint Gateway, to the istio-waypoint GatewayClass (root namespace), or to a
 * Service/ServiceEntry using the waypoint -> the waypoint (istio/istio pilot/pkg/model/policyattachment.go
 * ShouldAttachPolicy: waypoints never use `selector`); `selector`, namespace-wide or root-namespace
 * policies -> the destination ztunnel (pilot/pkg/serviceregistry/ambient/authorization.go: "TargetRef
 * is not intended for ztunnel"; CUSTOM and AUDIT are not sent to ztunnel; dry-run only behind
 * AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY, off by default).
 */
import type { Pod, Service } from '../../model/k8s.js';
import type { AuthorizationPolicy, RequestAuthentication, TargetRef } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { WAYPOINT_CLASS, type Waypoint } from '../../model/ambient.js';
import { authzPoliciesFor, authzPoliciesIn } from '../istio/policy-index.js';

export type { Enforcer } from '../explanation.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const groupIs = (r: TargetRef, ...groups: string[]): boolean => groups.includes(r.group);

/** One targetRef that attaches to waypoint `w` serving `service` (null: pod-addressed traffic). */
function refAttaches(
  r: TargetRef,
  policyNs: string,
  w: Waypoint,
  service: Service | null,
  rootNamespace: string,
): boolean {
  if (r.kind === 'GatewayClass' && groupIs(r, GATEWAY_GROUP))
    return policyNs === rootNamespace && r.name === WAYPOINT_CLASS;
  if (r.kind === 'Service' && groupIs(r, '', 'core'))
    return service !== null && r.name === service.name && policyNs === service.namespace;
  if (r.kind === 'Gateway' && groupIs(r, GATEWAY_GROUP))
    return policyNs === w.namespace && (r.namespace ?? policyNs) === w.namespace && r.name === w.name;
  return false;
}

type Targeted = { readonly namespace: string; readonly targetRefs: readonly TargetRef[] };

export function attachesToWaypoint(p: Targeted, w: Waypoint, service: Service | null, rootNamespace: string): boolean {
  return p.targetRefs.some((r) => refAttaches(r, p.namespace, w, service, rootNamespace));
}

/** Policies the waypoint enforces for this traffic: looked up in the root, waypoint and Service namespaces. */
export function waypointAuthzPolicies(
  snapshot: Snapshot,
  w: Waypoint,
  service: Service | null,
): readonly AuthorizationPolicy[] {
  const root = snapshot.istio.mesh.rootNamespace;
  const namespaces = [...new Set([root, w.namespace, ...(service ? [service.namespace] : [])])];
  return namespaces
    .flatMap((ns) => authzPoliciesIn(snapshot, ns))
    .filter((p) => attachesToWaypoint(p, w, service, root));
}

export function waypointRequestAuthentications(
  snapshot: Snapshot,
  w: Waypoint,
  service: Service | null,
): readonly RequestAuthentication[] {
  const root = snapshot.istio.mesh.rootNamespace;
  return snapshot.istio.requestAuthentications.filter((p) => attachesToWaypoint(p, w, service, root));
}

export interface ZtunnelPolicies {
  /** DENY/ALLOW policies ztunnel receives for the pod */
  readonly enforced: readonly AuthorizationPolicy[];
  /** selected policies ztunnel never receives, with the reason */
  readonly ignored: readonly { readonly policy: AuthorizationPolicy; readonly reason: string }[];
}

/** Selector / namespace / root-namespace policies that select an ambient pod. */
export function ztunnelAuthzPolicies(snapshot: Snapshot, pod: Pod): ZtunnelPolicies {
  const selected = authzPoliciesFor(snapshot, pod).filter((p) => p.targetRefs.length === 0);
  const enforced: AuthorizationPolicy[] = [];
  const ignored: { policy: AuthorizationPolicy; reason: string }[] = [];
  for (const p of selected) {
    if (p.action === 'CUSTOM' || p.action === 'AUDIT')
      ignored.push({ policy: p, reason: `ztunnel does not support the ${p.action} action` });
    else if (p.dryRun)
      ignored.push({
        policy: p,
        reason: 'dry-run policies reach ztunnel only with AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY (off by default)',
      });
    else enforced.push(p);
  }
  return { enforced, ignored };
}
