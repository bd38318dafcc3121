/**
 * Calico flow records with action Deny -> the NetworkPolicy (or Calico policy) and rule that
 * denied: an end-of-tier hit means "isolated, and no rule allowed", attributed to the policy
 * that selected the endpoint (`trigger`); an explicit deny rule keeps its rule index.
 */
import { endOfTierRule, type Layer, type PolicyMention } from '../engine/index.js';
import { formatRuleRef, sectionRuleRef } from '../model/rule-ref.js';
import type { PodGroup, Snapshot } from '../model/snapshot.js';
import type { CalicoPolicy } from '../model/calico/policy.js';
import type { CalicoFlow, CalicoPolicyHit } from '../parsers/log-event.js';
import type { DenialPeer } from './denial.js';

export interface FlowAttribution {
  readonly layer: Layer;
  /** the tier of the deciding hit, as Calico printed it */
  readonly tier: string | null;
  /** exact: the hit names policy and rule (`-1` = end of tier) */
  readonly exact: boolean;
  readonly policy: PolicyMention | null;
  readonly inSnapshot: boolean | null;
  readonly reason: string;
}

const isDeny = (hit: CalicoPolicyHit): boolean => (hit.action ?? '').toLowerCase() === 'deny';

function policyExists(snapshot: Snapshot, hit: CalicoPolicyHit): boolean {
  switch (hit.kind) {
    case 'NetworkPolicy':
      return snapshot.networkPolicies.some((p) => p.namespace === hit.namespace && p.name === hit.name);
    case 'AdminNetworkPolicy':
      return snapshot.adminNetworkPolicies.some((p) => p.name === hit.name);
    case 'BaselineAdminNetworkPolicy':
      return snapshot.baselineAdminNetworkPolicy !== null;
    default:
      return (
        calicoPolicyFor(snapshot, hit) !== null ||
        snapshot.unmodelled.some(
          (p) => p.name === hit.name && (hit.namespace === null || p.namespace === hit.namespace),
        )
      );
  }
}

/** The kinds flow logs use for Calico's own policies -> the kinds of the objects. */
const CALICO_OBJECT_KIND: Readonly<Record<string, string>> = {
  CalicoNetworkPolicy: 'NetworkPolicy',
  GlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedNetworkPolicy: 'StagedNetworkPolicy',
  StagedGlobalNetworkPolicy: 'StagedGlobalNetworkPolicy',
};

/**
 * The Calico policy a hit names. v3.30/3.31 flow logs print a tiered policy as `tier.name`
 * (goldmane/proto/methods.go), and policies in a tier other than default were long required to be
 * named `tier.name`: either spelling finds it.
 */
export function calicoPolicyFor(snapshot: Snapshot, hit: CalicoPolicyHit): CalicoPolicy | null {
  const kind = CALICO_OBJECT_KIND[hit.kind];
  const c = snapshot.calico;
  if (!kind || !c) return null;
  const names = new Set([hit.name, hit.tier ? `${hit.tier}.${hit.name}` : hit.name]);
  if (hit.tier && hit.name.startsWith(`${hit.tier}.`)) names.add(hit.name.slice(hit.tier.length + 1));
  return (
    [...c.policies, ...c.staged].find(
      (p) => p.kind === kind && names.has(p.name) && (p.namespace ?? null) === (hit.namespace ?? null),
    ) ?? null
  );
}

/** Which policy hit decided the Deny, and what it means for users. */
export function attributeFlow(snapshot: Snapshot | null, flow: CalicoFlow): FlowAttribution {
  const section = (flow.reporter ?? '').toLowerCase() === 'src' ? 'egress' : 'ingress';
  const layer: Layer = section === 'egress' ? 'networkpolicy-egress' : 'networkpolicy-ingress';
  const hit = flow.enforced.find(isDeny);
  if (hit === undefined)
    return {
      layer,
      tier: null,
      exact: false,
      policy: null,
      inSnapshot: null,
      reason: `Calico denied the flow (${section}) without naming a policy`,
    };
  const endOfTier = hit.kind === 'EndOfTier';
  const decider = endOfTier ? hit.trigger : hit;
  if (decider === null)
    return {
      layer,
      tier: hit.tier,
      exact: false,
      policy: null,
      inSnapshot: null,
      reason: `Calico end of tier ${hit.tier ?? ''}: no policy allowed the flow (${section})`,
    };
  const rule = endOfTier || decider.ruleIndex === null || decider.ruleIndex < 0 ? null : decider.ruleIndex;
  const ns = decider.namespace;
  // the name the object has (a log may print a tiered policy as tier.name): the ruleRef explain gives
  const name = (snapshot === null ? null : calicoPolicyFor(snapshot, decider))?.name ?? decider.name;
  // the end of a tier as explain names it; the mention's rule is the one its ruleRef names
  const refRule = rule ?? endOfTierRule(decider.kind, snapshot);
  const policy: PolicyMention = {
    kind: decider.kind,
    namespace: ns,
    name,
    rule: refRule,
    ...(decider.tier ? { tier: decider.tier } : {}),
    ruleRef: formatRuleRef(sectionRuleRef(decider.kind, ns, name, section, refRule, decider.tier)),
  };
  const inSnapshot = snapshot === null ? null : policyExists(snapshot, decider);
  const what = `${decider.kind} ${ns ? `${ns}/` : ''}${decider.name}`;
  const base =
    rule === null
      ? `${what} isolates the ${section === 'ingress' ? 'destination' : 'source'} and none of its ${section} rules allow this flow`
      : `${what} ${section} rule ${rule} denies this flow`;
  const staged = flow.pending.filter(isDeny).length > 0 ? ' (a staged policy would also deny it)' : '';
  return {
    layer,
    tier: hit.tier ?? decider.tier,
    exact: true,
    policy,
    inSnapshot,
    reason: `${base}${staged}${inSnapshot === false ? `; ${what} is not in your manifests (stale or deleted)` : ''}`,
  };
}

/** `client-7d9c*` in namespace `a` -> the workload whose pods carry that prefix. */
export function flowEndpoint(
  snapshot: Snapshot | null,
  namespace: string | null,
  name: string | null,
): DenialPeer | 'unknown' {
  if (name === null) return 'unknown';
  const prefix = name.endsWith('*') ? name.slice(0, -1) : name;
  if (namespace === null || namespace === '-' || namespace === '') {
    return {
      namespace: null,
      name,
      kind: 'Network',
      workload: null,
      ip: null,
      principal: null,
      resolvedBy: 'calico-flow',
      ipMayHaveChanged: false,
    };
  }
  const groups =
    snapshot === null
      ? []
      : (snapshot.index.groupsByNamespace.get(namespace) ?? []).filter(
          (g) => prefix === g.name || prefix.startsWith(`${g.name}-`),
        );
  const best = groups.sort((a, b) => b.name.length - a.name.length)[0] as PodGroup | undefined;
  if (best !== undefined) {
    return {
      namespace,
      name: best.name,
      kind: best.kind,
      workload: best.kind === 'Pod' ? null : `${best.kind}/${best.name}`,
      ip: null,
      principal: null,
      resolvedBy: 'calico-flow',
      ipMayHaveChanged: false,
    };
  }
  return {
    namespace,
    name,
    kind: 'Pod',
    workload: null,
    ip: null,
    principal: null,
    resolvedBy: 'calico-flow',
    ipMayHaveChanged: false,
  };
}
