/**
 * Facts about one pod that the pods table and the pod detail show: which
 * NetworkPolicies, AuthorizationPolicies, PeerAuthentications and
 * RequestAuthentications select it. Display only: verdicts come from the engine.
 */
import type { NetworkPolicy, Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, MtlsMode, PeerAuthentication, RequestAuthentication } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { selectorMatches } from '../../model/selectors.js';

export function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export function networkPoliciesSelecting(snapshot: Snapshot, pod: Pod): NetworkPolicy[] {
  if (pod.hostNetwork) return [];
  const inNamespace = snapshot.index.networkPoliciesByNamespace.get(pod.namespace) ?? [];
  return inNamespace.filter((np) => selectorMatches(np.podSelector, pod.labels));
}

export interface Isolation {
  readonly ingress: boolean;
  readonly egress: boolean;
}

export function isolationOf(policies: readonly NetworkPolicy[]): Isolation {
  return { ingress: policies.some((p) => p.affectsIngress), egress: policies.some((p) => p.affectsEgress) };
}

function appliesTo(
  snapshot: Snapshot,
  pod: Pod,
  policy: { namespace: string; selector: AuthorizationPolicy['selector']; targetRefs?: AuthorizationPolicy['targetRefs'] },
): boolean {
  if (policy.targetRefs !== undefined && policy.targetRefs.length > 0) return false;
  const root = snapshot.istio.mesh.rootNamespace;
  if (policy.namespace !== pod.namespace && policy.namespace !== root) return false;
  return policy.selector === null || selectorMatches(policy.selector, pod.labels);
}

export function authorizationPoliciesFor(snapshot: Snapshot, pod: Pod): AuthorizationPolicy[] {
  return snapshot.istio.authorizationPolicies.filter((ap) => appliesTo(snapshot, pod, ap));
}

export function requestAuthenticationsFor(snapshot: Snapshot, pod: Pod): RequestAuthentication[] {
  return snapshot.istio.requestAuthentications.filter((ra) => appliesTo(snapshot, pod, ra));
}

export interface MtlsSummary {
  readonly mode: MtlsMode;
  /** the PeerAuthentication that set the mode, null for Istio's default */
  readonly from: PeerAuthentication | null;
  readonly ports: ReadonlyMap<number, MtlsMode>;
}

/** Workload PeerAuthentication, then namespace, then mesh (root namespace); PERMISSIVE by default. */
export function mtlsFor(snapshot: Snapshot, pod: Pod): MtlsSummary {
  const root = snapshot.istio.mesh.rootNamespace;
  const pas = snapshot.istio.peerAuthentications;
  const workload = pas.find((pa) => pa.namespace === pod.namespace && pa.selector !== null && selectorMatches(pa.selector, pod.labels));
  const namespace = pas.find((pa) => pa.namespace === pod.namespace && pa.selector === null);
  const mesh = pas.find((pa) => pa.namespace === root && pa.selector === null);
  const chain = [workload, namespace, mesh].filter((pa): pa is PeerAuthentication => pa !== undefined);
  const decided = chain.find((pa) => pa.mode !== null && pa.mode !== 'UNSET') ?? null;
  return { mode: decided?.mode ?? 'PERMISSIVE', from: decided, ports: workload?.portLevelMtls ?? new Map() };
}
