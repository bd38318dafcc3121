/**
 * The policy in force at a denial's destination when the log line names none: the CUSTOM
 * AuthorizationPolicy behind an ext_authz denial (or behind istiod's
 * `default-deny-all-due-to-bad-CUSTOM-action`), and the PeerAuthentication behind a STRICT
 * mTLS refusal (`NR filter_chain_not_found`). Found by the engine from the Snapshot: attribution `inferred`.
 */
import { authzPoliciesFor } from '../engine/index.js';
import { serverMode } from '../engine/index.js';
import type { PolicyMention } from '../engine/index.js';
import type { Pod } from '../model/k8s.js';
import type { Snapshot } from '../model/snapshot.js';
import type { DenialPeer } from './denial.js';
import { formatRuleRef, ztunnelRuleRef } from '../model/rule-ref.js';

/** The destination's pods (a workload's, or the pod itself). */
export function podsOf(snapshot: Snapshot, peer: DenialPeer | 'unknown'): readonly Pod[] {
  if (peer === 'unknown' || peer.name === null || peer.namespace === null) {
    const ip = peer === 'unknown' ? null : peer.ip;
    return ip === null ? [] : snapshot.pods.filter((p) => p.ip === ip);
  }
  const g = snapshot.groups.find(
    (x) => x.namespace === peer.namespace && (x.name === peer.name || x.aliases.some((a) => a.name === peer.name)),
  );
  return g?.pods ?? snapshot.pods.filter((p) => p.namespace === peer.namespace && p.name === peer.name);
}

/** The CUSTOM policies that apply to the destination, each as a mention without a rule. */
export function customPoliciesAt(snapshot: Snapshot, destination: DenialPeer | 'unknown'): PolicyMention[] {
  const pod = podsOf(snapshot, destination)[0];
  if (pod === undefined) return [];
  return authzPoliciesFor(snapshot, pod)
    .filter((p) => p.action === 'CUSTOM')
    .map((p) => ({
      kind: 'AuthorizationPolicy',
      namespace: p.namespace,
      name: p.name,
      rule: null,
      ruleRef: formatRuleRef(ztunnelRuleRef(p.namespace, p.name)),
    }));
}

/** The PeerAuthentication that makes the destination STRICT on `port`; null when it is not STRICT. */
export function strictPeerAuthenticationAt(
  snapshot: Snapshot,
  destination: DenialPeer | 'unknown',
  port: number | null,
): PolicyMention | null {
  const pod = podsOf(snapshot, destination)[0];
  if (pod === undefined) return null;
  const mode = serverMode(snapshot, pod, port);
  return mode.mode === 'STRICT' ? (mode.policies[0] ?? null) : null;
}
