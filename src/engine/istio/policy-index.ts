/**
 * Istio policies indexed once per Snapshot (WeakMap cache): by namespace, so a question
 * looks only at the destination's namespace and the root namespace, never at every policy.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, PeerAuthentication, RequestAuthentication, TargetRef } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { isWorkloadSelector, selectorMatches } from './labels.js';
import { WAYPOINT_CLASS } from '../../model/ambient.js';

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';

interface Index {
  readonly authz: ReadonlyMap<string, readonly AuthorizationPolicy[]>;
  readonly peer: ReadonlyMap<string, readonly PeerAuthentication[]>;
  readonly request: ReadonlyMap<string, readonly RequestAuthentication[]>;
  readonly authzOfPod: WeakMap<Pod, readonly AuthorizationPolicy[]>;
  /** one list per distinct selection (pods selected alike share it, so what is derived from it is derived once) */
  readonly authzBySet: Map<string, readonly AuthorizationPolicy[]>;
}

const cache = new WeakMap<Snapshot, Index>();

function byNamespace<T extends { readonly namespace: string }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const list = m.get(i.namespace);
    if (list) list.push(i);
    else m.set(i.namespace, [i]);
  }
  return m;
}

function index(snapshot: Snapshot): Index {
  let i = cache.get(snapshot);
  if (!i) {
    i = {
      authz: byNamespace(snapshot.istio.authorizationPolicies),
      peer: byNamespace(snapshot.istio.peerAuthentications),
      request: byNamespace(snapshot.istio.requestAuthentications),
      authzOfPod: new WeakMap(),
      authzBySet: new Map(),
    };
    cache.set(snapshot, i);
  }
  return i;
}

function isGatewayRef(r: TargetRef): boolean {
  return r.kind === 'Gateway' && (r.group === 'gateway.networking.k8s.io' || r.group === '');
}

/** A waypoint's pod: a Gateway API pod of the istio-waypoint class. */
function isWaypointPod(pod: Pod): boolean {
  return pod.labels[GATEWAY_NAME_LABEL] !== undefined && pod.labels[GATEWAY_CLASS_LABEL] === WAYPOINT_CLASS;
}

/**
 * As istiod attaches policies to a proxy (istio/istio pilot/pkg/model/policyattachment.go
 * ShouldAttachPolicy): targetRefs policies never apply to sidecars; a Gateway ref attaches to that
 * Gateway's pods (same namespace); a GatewayClass ref only from the root namespace, only to
 * waypoints, and only for the class istio-waypoint (an ingress gateway of class `istio` is not
 * attached by a GatewayClass ref). Service and ServiceEntry refs attach to waypoints per Service
 * (engine/ambient/binding.ts), never to a pod as such.
 */
function attachedByTargetRefs(refs: readonly TargetRef[], policyNs: string, pod: Pod, rootNamespace: string): boolean {
  const gateway = pod.labels[GATEWAY_NAME_LABEL];
  return refs.some(
    (r) =>
      (isGatewayRef(r) &&
        gateway !== undefined &&
        pod.namespace === policyNs &&
        r.name === gateway &&
        (r.namespace ?? policyNs) === policyNs) ||
      (r.kind === 'GatewayClass' && policyNs === rootNamespace && r.name === WAYPOINT_CLASS && isWaypointPod(pod)),
  );
}

type Scoped = {
  readonly namespace: string;
  readonly selector: AuthorizationPolicy['selector'];
  readonly targetRefs?: readonly TargetRef[];
};

/** Scope rules shared by AuthorizationPolicy and RequestAuthentication. */
export function appliesToPod(p: Scoped, pod: Pod, rootNamespace: string): boolean {
  const refs = p.targetRefs ?? [];
  if (refs.length > 0) return attachedByTargetRefs(refs, p.namespace, pod, rootNamespace);
  // a waypoint never takes a selector (or namespace-wide) policy (policyattachment.go: "waypoints never use selector")
  if (isWaypointPod(pod)) return false;
  if (p.namespace !== pod.namespace && p.namespace !== rootNamespace) return false;
  return !isWorkloadSelector(p.selector) || selectorMatches(p.selector, pod.labels);
}

function candidates<T>(m: ReadonlyMap<string, readonly T[]>, pod: Pod, root: string): readonly T[] {
  const own = m.get(pod.namespace) ?? [];
  return pod.namespace === root ? own : [...own, ...(m.get(root) ?? [])];
}

/** AuthorizationPolicies that apply to the pod's sidecar (all actions, dry-run included). */
export function authzPoliciesFor(snapshot: Snapshot, pod: Pod): readonly AuthorizationPolicy[] {
  const i = index(snapshot);
  let out = i.authzOfPod.get(pod);
  if (!out) {
    const root = snapshot.istio.mesh.rootNamespace;
    const selected: AuthorizationPolicy[] = [];
    const ids: number[] = [];
    candidates(i.authz, pod, root).forEach((p, n) => {
      if (!appliesToPod(p, pod, root)) return;
      selected.push(p);
      ids.push(n);
    });
    const key = `${pod.namespace}/${ids.join(',')}`;
    out = i.authzBySet.get(key);
    if (!out) i.authzBySet.set(key, (out = selected));
    i.authzOfPod.set(pod, out);
  }
  return out;
}

export function requestAuthenticationsFor(snapshot: Snapshot, pod: Pod): readonly RequestAuthentication[] {
  const root = snapshot.istio.mesh.rootNamespace;
  return candidates(index(snapshot).request, pod, root).filter((p) => appliesToPod(p, pod, root));
}

export function peerAuthenticationsIn(snapshot: Snapshot, namespace: string): readonly PeerAuthentication[] {
  return index(snapshot).peer.get(namespace) ?? [];
}

/** All AuthorizationPolicies of one namespace (for waypoint-target detection). */
export function authzPoliciesIn(snapshot: Snapshot, namespace: string): readonly AuthorizationPolicy[] {
  return index(snapshot).authz.get(namespace) ?? [];
}
