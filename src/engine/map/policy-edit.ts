/**
 * What a diff whose two sides differ only in NetworkPolicies and AuthorizationPolicies (the usual
 * pull request) can skip. A NetworkPolicy decides only the traffic of the pods it selects
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/: "By default, a pod is
 * non-isolated ... a pod is isolated ... if there is any NetworkPolicy that both selects the pod
 * and has Egress/Ingress in its policyTypes"), and an AuthorizationPolicy only the requests the
 * sidecars it applies to receive (https://istio.io/latest/docs/reference/config/security/authorization-policy/,
 * "selector" / "workload selector"). So a pair of workloads neither of which a changed policy
 * (either version) selects has the same answer on both sides, and the diff need not evaluate it.
 *
 * Which pods a policy selects is asked of the engine's own functions (networkPoliciesSelecting,
 * authzPoliciesFor), never re-derived here. Everything else must be equal, compared without source
 * locations; otherwise, and wherever the engine reads policies of pods other than the pair, this
 * returns null and the diff evaluates every pair:
 * - the mesh layer checks each sidecar's reachability to istiod and kube-dns (istio/mesh.ts), and the
 *   JWT layer istiod's egress (istio/jwt.ts): a changed policy in the istio, kube-system or root
 *   namespace, or selecting istiod or kube-dns anywhere, may change every pair;
 * - ambient flows cross ztunnel and waypoints, and Calico's own policies are ordered with the
 *   NetworkPolicies in tiers: either on either side means every pair.
 */
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { NetworkPolicy, Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { dataplaneMode } from '../../model/ambient.js';
import { networkPoliciesSelecting } from '../network-policy/kubernetes.js';
import { authzPoliciesFor } from '../istio/policy-index.js';
import { isIstiod, kubeDns } from '../istio/istiod.js';

/** A Snapshot part as text: equal for equal content, source locations left out (the same object read from another file is the same object). */
function contentOf(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'loc') return undefined;
    if (v instanceof Map) return [...(v as Map<unknown, unknown>)];
    if (v instanceof Set) return [...(v as Set<unknown>)];
    return v;
  });
}

/** Everything of a Snapshot the flow evaluation may read, but its NetworkPolicies and AuthorizationPolicies. */
function restOf(snapshot: Snapshot): string {
  const { authorizationPolicies: _, ...istio } = snapshot.istio;
  return contentOf([
    snapshot.namespaces,
    snapshot.pods,
    snapshot.groups,
    snapshot.services,
    snapshot.serviceAccounts ?? null,
    snapshot.adminNetworkPolicies,
    snapshot.baselineAdminNetworkPolicy,
    snapshot.unmodelled,
    istio,
    snapshot.calico ?? null,
    snapshot.waypoints ?? null,
    snapshot.routeTimeouts ?? null,
    snapshot.detectedCni,
    snapshot.assumptions,
  ]);
}

type Named = NetworkPolicy | AuthorizationPolicy;

/** Policies by namespace/name with their content; null when a name is taken twice (which one applies is then unclear). */
function byName(policies: readonly Named[]): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const p of policies) {
    const name = `${p.namespace}/${p.name}`;
    if (out.has(name)) return null;
    out.set(name, contentOf(p));
  }
  return out;
}

/** The namespace/name of each policy added, removed or changed; null when names repeat. */
function changedNames(before: readonly Named[], after: readonly Named[]): Set<string> | null {
  const b = byName(before);
  const a = byName(after);
  if (!b || !a) return null;
  const changed = new Set<string>();
  for (const [name, content] of b) if (a.get(name) !== content) changed.add(name);
  for (const name of a.keys()) if (!b.has(name)) changed.add(name);
  return changed;
}

function usesAmbientOrCalico(snapshot: Snapshot): boolean {
  const calico = snapshot.calico;
  if (calico && calico.policies.length + calico.staged.length + calico.stagedKubernetes.length > 0) return true;
  if ((snapshot.waypoints?.length ?? 0) > 0) return true;
  return snapshot.pods.some((p) => dataplaneMode(p, snapshot.namespaces.get(p.namespace)) === 'ambient');
}

/** Whether a changed policy selects the pod on this side. */
function selectedBy(snapshot: Snapshot, pod: Pod, nps: ReadonlySet<string>, aps: ReadonlySet<string>): boolean {
  const named = (names: ReadonlySet<string>) => (p: Named) => names.has(`${p.namespace}/${p.name}`);
  if (nps.size > 0 && networkPoliciesSelecting(snapshot, pod).some(named(nps))) return true;
  return aps.size > 0 && authzPoliciesFor(snapshot, pod).some(named(aps));
}

/**
 * The ids (`namespace/kind/name`, as MapWorkload.id) of the workloads whose pairs a change from
 * `before` to `after` may change; null when any pair may change (see the module comment).
 */
export function workloadsAPolicyEditTouches(before: Snapshot, after: Snapshot): ReadonlySet<string> | null {
  if (usesAmbientOrCalico(before) || usesAmbientOrCalico(after)) return null;
  if (restOf(before) !== restOf(after)) return null;
  const nps = changedNames(before.networkPolicies, after.networkPolicies);
  const aps = changedNames(before.istio.authorizationPolicies, after.istio.authorizationPolicies);
  if (!nps || !aps) return null;
  const everywhere = new Set([before.istio.mesh.istioNamespace, before.istio.mesh.rootNamespace, 'kube-system']);
  if ([...nps, ...aps].some((name) => everywhere.has(name.slice(0, name.indexOf('/'))))) return null;
  const touched = new Set<string>();
  for (const snapshot of [before, after]) {
    if (selectedBy(snapshot, kubeDns(snapshot), nps, aps)) return null;
    for (const group of snapshot.groups)
      for (const pod of group.pods) {
        if (!selectedBy(snapshot, pod, nps, aps)) continue;
        if (isIstiod(pod)) return null;
        touched.add(`${group.namespace}/${group.kind}/${group.name}`);
      }
  }
  return touched;
}
