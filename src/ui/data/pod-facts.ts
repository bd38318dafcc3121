/**
 * Facts about one pod that the pods table and the pod detail show: which
 * NetworkPolicies, AuthorizationPolicies, PeerAuthentications and
 * RequestAuthentications apply to it. Selection is the engine's; this only gathers.
 */
import type { NetworkPolicy, Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, MtlsMode, RequestAuthentication } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { authzPoliciesFor, requestAuthenticationsFor as engineRequestAuthns } from '../../engine/index.js';
import { peerAuthnLevels, serverMode } from '../../engine/index.js';

export function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export { networkPoliciesSelecting } from '../../engine/index.js';

export interface Isolation {
  readonly ingress: boolean;
  readonly egress: boolean;
}

export function isolationOf(policies: readonly NetworkPolicy[]): Isolation {
  return { ingress: policies.some((p) => p.affectsIngress), egress: policies.some((p) => p.affectsEgress) };
}

export function authorizationPoliciesFor(snapshot: Snapshot, pod: Pod): readonly AuthorizationPolicy[] {
  return authzPoliciesFor(snapshot, pod);
}

export function requestAuthenticationsFor(snapshot: Snapshot, pod: Pod): readonly RequestAuthentication[] {
  return engineRequestAuthns(snapshot, pod);
}

export interface MtlsSummary {
  readonly mode: MtlsMode;
  /** the PeerAuthentication that set the mode, null for Istio's default */
  readonly from: { readonly namespace: string | null; readonly name: string } | null;
  /** port-level modes of the workload PeerAuthentication */
  readonly ports: ReadonlyMap<number, MtlsMode>;
}

/** The server mode as the engine resolves it (workload, namespace, mesh; PERMISSIVE by default). */
export function mtlsFor(snapshot: Snapshot, pod: Pod): MtlsSummary {
  const workload = serverMode(snapshot, pod, null);
  const ports = new Map<number, MtlsMode>();
  for (const port of peerAuthnLevels(snapshot, pod).workload?.portLevelMtls.keys() ?? [])
    ports.set(port, serverMode(snapshot, pod, port).mode);
  return { mode: workload.mode, from: workload.policies[0] ?? null, ports };
}
