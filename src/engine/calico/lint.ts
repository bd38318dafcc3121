/**
 * Calico policy checks (pure): valid for Calico's validator, likely not what was meant. Semantics
 * as evaluate.ts has them (tiers and Pass: https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy;
 * DNS under a default deny: https://docs.tigera.io/calico/latest/network-policy/get-started/kubernetes-default-deny).
 */
import type { CalicoPolicy, CalicoRule } from '../../model/calico/policy.js';
import { finding, objectLabel, placePrefix, type Finding } from '../../model/findings.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import { calicoPolicySelects, tiersInForce } from './members.js';
import { calicoKind } from './member-rules.js';
import { compareTiers } from './tier-order.js';
import { evaluateCalicoDirection } from './evaluate.js';
import { stagedView } from './staged.js';

function ref(p: CalicoPolicy): { kind: string; namespace: string | null; name: string } {
  return {
    kind: calicoKind({ type: 'calico', tier: p.tier, order: p.order, tieKey: '', policy: p }),
    namespace: p.namespace,
    name: p.name,
  };
}

function where(p: CalicoPolicy): string {
  return `${placePrefix(p.loc)}${objectLabel(ref(p))}`;
}

const EMPTY = (e: CalicoRule['source']): boolean =>
  e.nets.length + e.notNets.length + e.ports.length + e.notPorts.length + e.serviceAccountNames.length === 0 &&
  !e.selector &&
  !e.notSelector &&
  !e.namespaceSelector &&
  !e.serviceAccountSelector &&
  !e.service;

/** A rule with no match criteria: every packet matches it. */
export function isCatchAll(rule: CalicoRule): boolean {
  return (
    rule.protocol === null &&
    rule.notProtocol === null &&
    rule.icmp === null &&
    rule.notIcmp === null &&
    rule.ipVersion === null &&
    rule.http === null &&
    EMPTY(rule.source) &&
    EMPTY(rule.destination)
  );
}

function selectsNothing(snapshot: Snapshot, p: CalicoPolicy): Finding[] {
  if (snapshot.pods.length === 0 || snapshot.pods.some((pod) => calicoPolicySelects(snapshot, p, pod))) return [];
  return [
    finding(
      'selector-matches-nothing',
      `${where(p)}: selector ${p.selectorText || 'all()'} selects no pod in the input`,
      {
        object: ref(p),
        field: 'spec.selector',
        loc: p.loc,
      },
    ),
  ];
}

function shadowedRules(p: CalicoPolicy): Finding[] {
  return (['ingress', 'egress'] as const).flatMap((direction) => {
    const rules = p[direction];
    const first = rules.findIndex((r) => r.action !== 'Log' && isCatchAll(r));
    if (first < 0 || first === rules.length - 1) return [];
    return [
      finding(
        'calico-rule-shadowed',
        `${where(p)}: spec.${direction}[${first}] (${rules[first]?.action}) matches every packet, so spec.${direction}[${first + 1}..${rules.length - 1}] never match. Move the catch-all rule last`,
        { object: ref(p), field: `spec.${direction}[${first + 1}]`, loc: p.loc },
      ),
    ];
  });
}

function passInLastTier(snapshot: Snapshot, policies: readonly CalicoPolicy[]): Finding[] {
  const used = new Set(policies.map((p) => p.tier));
  if (snapshot.networkPolicies.length) used.add('default');
  const last = tiersInForce(snapshot)
    .filter((t) => used.has(t.name))
    .sort(compareTiers)
    .at(-1);
  if (!last) return [];
  return policies
    .filter((p) => p.tier === last.name && [...p.ingress, ...p.egress].some((r) => r.action === 'Pass'))
    .map((p) =>
      finding(
        'calico-pass-in-last-tier',
        `${where(p)}: has a Pass rule, but tier ${last.name} is the last tier with policies: passed traffic goes to the profiles, which allow it. Use Allow or Deny`,
        { object: ref(p), field: 'spec', loc: p.loc },
      ),
    );
}

function allowsDns(rule: CalicoRule): boolean {
  const udp = rule.protocol === null || rule.protocol === 'UDP' || rule.protocol === 17;
  const ports = rule.destination.ports;
  const port53 = ports.length === 0 || ports.some((p) => ('name' in p ? p.name === 'dns' : p.min <= 53 && 53 <= p.max));
  return rule.action === 'Allow' && udp && port53;
}

function defaultDenyWithoutDns(snapshot: Snapshot, p: CalicoPolicy): Finding[] {
  if (p.kind !== 'GlobalNetworkPolicy' || !p.types.includes('Egress')) return [];
  const tier = tiersInForce(snapshot).find((t) => t.name === p.tier);
  if (tier?.defaultAction === 'Pass' || p.egress.some((r) => r.action === 'Pass' && isCatchAll(r))) return [];
  if (p.egress.some(allowsDns)) return [];
  return [
    finding(
      'calico-default-deny-without-dns',
      `${where(p)}: selects pods for egress and allows no UDP 53: the pods it selects cannot resolve names. Add an egress rule "action: Allow, protocol: UDP, destination: {selector: k8s-app == 'kube-dns', ports: [53]}"`,
      { object: ref(p), field: 'spec.egress', loc: p.loc },
    ),
  ];
}

function mixedOrder(policies: readonly CalicoPolicy[]): Finding[] {
  const tiers = [...new Set(policies.map((p) => p.tier))];
  return tiers.flatMap((tier) => {
    const inTier = policies.filter((p) => p.tier === tier);
    const without = inTier.filter((p) => p.order === null);
    if (without.length === 0 || without.length === inTier.length) return [];
    return [
      finding(
        'calico-mixed-order',
        `tier ${tier} mixes policies with and without order: ${without.map((p) => p.name).join(', ')} run after every ordered policy, by name. Give them an order`,
        { object: ref(without[0] as CalicoPolicy), field: 'spec.order', loc: (without[0] as CalicoPolicy).loc },
      ),
    ];
  });
}

const STAGED_PAIR_LIMIT = 5000;

/** A destination's declared ports (the ports a flow to it would use), at most a few. */
function portsOf(pod: Pod): number[] {
  return [...new Set(pod.containers.flatMap((c) => c.ports.map((p) => p.containerPort)))].slice(0, 4);
}

/** The staged object a shadow mention names: a Staged(Global)NetworkPolicy or a StagedKubernetesNetworkPolicy. */
function stagedObject(
  snapshot: Snapshot,
  ruleRef: string,
): { ref: ReturnType<typeof ref>; where: string; loc: CalicoPolicy['loc'] } | null {
  const [kind, name] = ruleRef.split(':');
  const qualified = (ns: string | null, n: string) => (ns ? `${ns}/${n}` : n);
  const p = snapshot.calico?.staged.find((x) => qualified(x.namespace, x.name) === name);
  if (p) return { ref: ref(p), where: where(p), loc: p.loc };
  const k =
    kind === 'StagedKubernetesNetworkPolicy'
      ? snapshot.calico?.stagedKubernetes.find((x) => qualified(x.policy.namespace, x.policy.name) === name)
      : undefined;
  if (!k) return null;
  const loc = k.policy.loc;
  return {
    ref: { kind: 'StagedKubernetesNetworkPolicy', namespace: k.policy.namespace, name: k.policy.name },
    where: `${placePrefix(loc)}StagedKubernetesNetworkPolicy ${name}`,
    loc,
  };
}

function stagedWouldDeny(snapshot: Snapshot): Finding[] {
  if (!stagedView(snapshot)) return [];
  const reps = snapshot.groups.map((g) => g.pods[0] as Pod).filter((p) => !p.hostNetwork);
  const hits = new Map<string, string>();
  let budget = STAGED_PAIR_LIMIT;
  for (const dst of reps)
    for (const port of portsOf(dst))
      for (const src of reps) {
        if (budget-- <= 0 || src === dst) continue;
        const s: Endpoint = { type: 'pod', pod: src };
        const d: Endpoint = { type: 'pod', pod: dst };
        for (const direction of ['egress', 'ingress'] as const) {
          const r = evaluateCalicoDirection(snapshot, {
            direction,
            source: s,
            destination: d,
            protocol: 'TCP',
            port,
            cni: 'calico',
          });
          const shadow =
            r?.verdict === 'allowed'
              ? r.policies.find((m) => m.effect === 'shadow-denied' || m.effect === 'shadow-end-of-tier')
              : undefined;
          if (shadow && !hits.has(shadow.ruleRef))
            hits.set(shadow.ruleRef, `${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} TCP ${port}`);
        }
      }
  return [...hits].map(([ruleRef, flow]) => {
    const o = stagedObject(snapshot, ruleRef);
    return finding(
      'calico-staged-would-deny',
      `${o ? o.where : ruleRef}: once enforced, ${ruleRef} would deny ${flow}, which is allowed today`,
      {
        object: o ? o.ref : null,
        field: null,
        loc: o?.loc ?? null,
      },
    );
  });
}

export function lintCalico(snapshot: Snapshot): Finding[] {
  const c = snapshot.calico;
  if (!c) return [];
  const all = [...c.policies, ...c.staged];
  return [
    ...all.flatMap((p) => [...selectsNothing(snapshot, p), ...shadowedRules(p), ...defaultDenyWithoutDns(snapshot, p)]),
    ...passInLastTier(snapshot, c.policies),
    ...mixedOrder(c.policies),
    ...stagedWouldDeny(snapshot),
  ];
}
