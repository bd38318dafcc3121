/**
 * The Snapshot's policies by reference: which policy (and which rule of it) a RuleRef or a
 * (kind, namespace, name) key names. Built once per Snapshot, on first use.
 */
import type { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from './istio.js';
import type { AdminNetworkPolicy, NetworkPolicy, UnmodelledPolicy } from './k8s.js';
import type { RuleRef } from './rule-ref.js';
import type { Snapshot } from './snapshot.js';

export type IndexedPolicy =
  | { readonly kind: 'AuthorizationPolicy'; readonly policy: AuthorizationPolicy }
  | { readonly kind: 'NetworkPolicy'; readonly policy: NetworkPolicy }
  | { readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy'; readonly policy: AdminNetworkPolicy }
  | { readonly kind: 'PeerAuthentication'; readonly policy: PeerAuthentication }
  | { readonly kind: 'RequestAuthentication'; readonly policy: RequestAuthentication }
  | { readonly kind: 'unmodelled'; readonly policy: UnmodelledPolicy };

const key = (kind: string, namespace: string | null, name: string): string =>
  `${kind}\u0000${namespace ?? ''}\u0000${name}`;

function build(snapshot: Snapshot): Map<string, IndexedPolicy> {
  const index = new Map<string, IndexedPolicy>();
  const put = (entry: IndexedPolicy, kind: string, namespace: string | null, name: string): void => {
    const k = key(kind, namespace, name);
    if (!index.has(k)) index.set(k, entry);
  };
  for (const policy of snapshot.istio.authorizationPolicies)
    put({ kind: 'AuthorizationPolicy', policy }, 'AuthorizationPolicy', policy.namespace, policy.name);
  for (const policy of snapshot.istio.peerAuthentications)
    put({ kind: 'PeerAuthentication', policy }, 'PeerAuthentication', policy.namespace, policy.name);
  for (const policy of snapshot.istio.requestAuthentications)
    put({ kind: 'RequestAuthentication', policy }, 'RequestAuthentication', policy.namespace, policy.name);
  for (const policy of snapshot.networkPolicies)
    put({ kind: 'NetworkPolicy', policy }, 'NetworkPolicy', policy.namespace, policy.name);
  const admin = [
    ...snapshot.adminNetworkPolicies,
    ...(snapshot.baselineAdminNetworkPolicy ? [snapshot.baselineAdminNetworkPolicy] : []),
  ];
  for (const policy of admin) put({ kind: policy.kind, policy }, policy.kind, null, policy.name);
  for (const policy of snapshot.unmodelled)
    put({ kind: 'unmodelled', policy }, policy.kind, policy.namespace, policy.name);
  return index;
}

const cache = new WeakMap<Snapshot, Map<string, IndexedPolicy>>();

function indexOf(snapshot: Snapshot): Map<string, IndexedPolicy> {
  let index = cache.get(snapshot);
  if (index === undefined) {
    index = build(snapshot);
    cache.set(snapshot, index);
  }
  return index;
}

/** The policy of that kind, namespace (null for cluster-scoped kinds) and name. */
export function policyByKey(
  snapshot: Snapshot,
  kind: string,
  namespace: string | null,
  name: string,
): IndexedPolicy | null {
  return indexOf(snapshot).get(key(kind, namespace, name)) ?? null;
}

/** The policy a reference names; null for `none` and for policies the Snapshot lacks. */
export function policyOfRef(snapshot: Snapshot, ref: RuleRef): IndexedPolicy | null {
  switch (ref.type) {
    case 'istio':
    case 'ztunnel':
      return policyByKey(snapshot, 'AuthorizationPolicy', ref.namespace, ref.name);
    case 'section':
    case 'calico':
      return policyByKey(snapshot, ref.kind, ref.namespace, ref.name);
    case 'none':
      return null;
  }
}

/** The AuthorizationPolicy an Istio or ztunnel reference names. */
export function authorizationPolicyOfRef(snapshot: Snapshot, ref: RuleRef): AuthorizationPolicy | null {
  const entry = policyOfRef(snapshot, ref);
  return entry?.kind === 'AuthorizationPolicy' ? entry.policy : null;
}

/** The object as read from its source (undefined for kinds meshdbg does not convert). */
export function rawOfPolicy(entry: IndexedPolicy): unknown {
  return entry.kind === 'unmodelled' ? undefined : entry.policy.raw;
}
