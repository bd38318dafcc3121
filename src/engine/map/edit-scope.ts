/**
 * What a diff of two versions of one mesh (the usual pull request: policies, Deployments, Services,
 * namespace labels changed) can skip. The map's answer for a pair of pods reads, of everything in
 * the input, the two pods, their namespaces, the NetworkPolicies that select them
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/: a policy isolates and
 * admits only the traffic of the pods it selects), the AuthorizationPolicies that apply to them
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/, "selector"), the
 * Services that select them (the port's declared protocol), and mesh-wide objects. So when the
 * mesh-wide objects are equal, a pair of workloads whose pods read the same of all that on both
 * sides has the same answer on both, and the diff need not evaluate it.
 *
 * What each pod reads is asked of the engine's own functions (networkPoliciesSelecting,
 * authzPoliciesFor, servicesSelecting), never re-derived here, and compared by content without
 * source locations. Wherever the engine reads objects of pods other than the pair, this returns
 * null and the diff evaluates every pair:
 * - the mesh layer checks each sidecar's reachability to istiod and kube-dns (istio/mesh.ts), and the
 *   JWT layer istiod's egress (istio/jwt.ts): a change to istiod or kube-dns, to what they read, or to
 *   a policy in the istio, root or kube-system namespace (where an assumed istiod or kube-dns would
 *   live) may change every pair;
 * - ambient flows cross ztunnel and waypoints, and Calico's own policies are ordered with the
 *   NetworkPolicies in tiers: either on either side means every pair.
 */
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { NetworkPolicy, Pod } from '../../model/k8s.js';
import type { PodGroup, Snapshot } from '../../model/snapshot.js';
import { dataplaneMode } from '../../model/ambient.js';
import { servicesSelecting } from '../../model/service-selection.js';
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

/** Everything of a Snapshot the flow evaluation may read but the pods' own objects (pods, namespaces, Services, NetworkPolicies, AuthorizationPolicies). */
function meshWide(snapshot: Snapshot): string {
  const { authorizationPolicies: _, ...istio } = snapshot.istio;
  return contentOf([
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

/** Whether a namespace/name is taken twice (which object applies is then unclear). */
function repeats(objects: readonly { readonly namespace: string | null; readonly name: string }[]): boolean {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.namespace ?? ''}/${o.name}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function usesAmbientOrCalico(snapshot: Snapshot): boolean {
  const calico = snapshot.calico;
  if (calico && calico.policies.length + calico.staged.length + calico.stagedKubernetes.length > 0) return true;
  if ((snapshot.waypoints?.length ?? 0) > 0) return true;
  return snapshot.pods.some((p) => dataplaneMode(p, snapshot.namespaces.get(p.namespace)) === 'ambient');
}

/** contentOf for objects many pods share (a namespace, a policy, the policy lists the engine shares per selection): once each. */
const sharedContent = new WeakMap<object, string>();

function contentOfShared(value: object | undefined): string {
  if (value === undefined) return 'null';
  let text = sharedContent.get(value);
  if (text === undefined) sharedContent.set(value, (text = contentOf(value)));
  return text;
}

/** contentOf(list), from its items' shared texts (JSON.stringify of an array is its items' texts in brackets). */
function contentOfList(list: readonly object[]): string {
  let text = sharedContent.get(list);
  if (text === undefined) sharedContent.set(list, (text = `[${list.map(contentOfShared).join(',')}]`));
  return text;
}

/** What the map reads for one pod: itself, its namespace, and the policies and Services that select it. */
function podContext(snapshot: Snapshot, pod: Pod): string {
  // no layer reads a container's restart count, which a live cluster bumps between two reads
  const { restarts: _, ...read } = pod;
  return [
    contentOf(read),
    contentOfShared(snapshot.namespaces.get(pod.namespace)),
    contentOfList(networkPoliciesSelecting(snapshot, pod)),
    contentOfList(authzPoliciesFor(snapshot, pod)),
    contentOf(servicesSelecting(snapshot, pod)),
  ].join('\n');
}

const podKey = (pod: Pod): string => `${pod.namespace}/${pod.name}`;
const workloadId = (g: PodGroup): string => `${g.namespace}/${g.kind}/${g.name}`;

/** Per workload id: its pods' keys, representative (the map's pods[0]) first, and what each reads. */
function workloadsOf(snapshot: Snapshot): Map<string, { readonly pods: readonly string[]; readonly reads: string[] }> {
  return new Map(
    snapshot.groups.map((g) => [
      workloadId(g),
      { pods: g.pods.map(podKey), reads: g.pods.map((p) => podContext(snapshot, p)) },
    ]),
  );
}

/** The changed policies' namespaces: where an assumed istiod or kube-dns would read them, or (root) every pod does. */
function changedNamespacesOfPolicies(before: Snapshot, after: Snapshot): Set<string> {
  const byName = (policies: readonly (NetworkPolicy | AuthorizationPolicy)[]): Map<string, string> =>
    new Map(policies.map((p) => [`${p.namespace}/${p.name}`, contentOfShared(p)]));
  const out = new Set<string>();
  for (const [b, a] of [
    [before.networkPolicies, after.networkPolicies],
    [before.istio.authorizationPolicies, after.istio.authorizationPolicies],
  ] as const) {
    const bm = byName(b);
    const am = byName(a);
    for (const [name, content] of bm) if (am.get(name) !== content) out.add(name.slice(0, name.indexOf('/')));
    for (const name of am.keys()) if (!bm.has(name)) out.add(name.slice(0, name.indexOf('/')));
  }
  return out;
}

/**
 * The ids (`namespace/kind/name`, as MapWorkload.id) of the workloads whose pairs a change from
 * `before` to `after` may change; null when any pair may change (see the module comment).
 */
export function workloadsAnEditTouches(before: Snapshot, after: Snapshot): ReadonlySet<string> | null {
  if (usesAmbientOrCalico(before) || usesAmbientOrCalico(after)) return null;
  if (meshWide(before) !== meshWide(after)) return null;
  for (const s of [before, after])
    if (repeats(s.pods) || repeats(s.networkPolicies) || repeats(s.istio.authorizationPolicies) || repeats(s.services))
      return null;
  const mesh = before.istio.mesh;
  const everywhere = [mesh.istioNamespace, mesh.rootNamespace, 'kube-system'];
  const policyNamespaces = changedNamespacesOfPolicies(before, after);
  if (everywhere.some((ns) => policyNamespaces.has(ns))) return null;
  // two unrelated inputs (policies changed in most namespaces) touch nearly every workload: the
  // per-pod comparison would cost its ~4% of a map for nothing (null is always a sound answer)
  const withPods = new Set(before.pods.map((p) => p.namespace));
  if (withPods.size >= 4 && [...withPods].filter((ns) => policyNamespaces.has(ns)).length * 2 > withPods.size)
    return null;
  // the pods every pair's mesh check reads: what they read must not change
  const infra = (s: Snapshot): string =>
    contentOf([podContext(s, kubeDns(s)), s.pods.filter(isIstiod).map((p) => podContext(s, p))]);
  if (infra(before) !== infra(after)) return null;
  const b = workloadsOf(before);
  const a = workloadsOf(after);
  const touched = new Set<string>();
  for (const [id, w] of b) {
    const other = a.get(id);
    const same =
      other !== undefined &&
      other.pods.length === w.pods.length &&
      w.pods.every((p, i) => other.pods[i] === p && other.reads[i] === w.reads[i]);
    if (!same) touched.add(id);
  }
  for (const id of a.keys()) if (!b.has(id)) touched.add(id);
  return touched;
}
