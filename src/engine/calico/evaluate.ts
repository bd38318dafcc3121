/**
 * One direction of a connection under Calico (pure): every policy that selects the endpoint, in
 * Calico's tiers (members.ts), walked as felix does (tier-order.ts); profiles allow at the end
 * (the kns.NAMESPACE profile's allow rules, projectcalico/calico:libcalico-go/lib/backend/k8s/
 * conversion/conversion.go NamespaceToProfile). Staged policies are walked again as a shadow:
 * reported, never deciding (https://docs.tigera.io/calico/latest/network-policy/staged-network-policies).
 */
import { objectLabel } from '../../model/findings.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { CalicoDecidingEffect, Fix, PolicyMention, RuleMiss } from '../explanation.js';
import type { DirectionQuery, TierResult, Uncertainty } from '../network-policy/types.js';
import { describeEndpoint, selectablePod } from '../network-policy/endpoint.js';
import { nodeException } from '../network-policy/kubernetes.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import { policiesThatMaySelect, tierPlanFor, type Member } from './members.js';
import { memberMention, runMember, runMisses, type MemberRun } from './member-rules.js';
import { walkPlan, type TierWalk } from './tier-order.js';
import { enforcedView, stagedView, type PolicyView } from './staged.js';
import { calicoFix } from './fix.js';

/** Does the input hold anything that makes Calico's model, not the Kubernetes one, decide? */
export function calicoInForce(snapshot: Snapshot): boolean {
  const c = snapshot.calico;
  return (
    c !== undefined && c.policies.length + c.staged.length + c.stagedKubernetes.length + c.hostEndpoints.length > 0
  );
}

/**
 * The rule index explain gives the end of a tier (no rule of the selecting policy matched) for a
 * policy of `kind`: -1 for Calico's own kinds, and for every kind once Calico walks the tiers
 * (Kubernetes policies sit in its default/admin tiers); none (`null`, the isolation ref) for
 * Kubernetes kinds when Kubernetes' model decides.
 */
export function endOfTierRule(kind: string, snapshot: Snapshot | null): number | null {
  const k8sKind = kind === 'NetworkPolicy' || kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy';
  return k8sKind && !(snapshot !== null && calicoInForce(snapshot)) ? null : -1;
}

interface Walked {
  readonly walk: TierWalk<Member>;
  readonly runs: ReadonlyMap<Member, MemberRun>;
}

function walk(snapshot: Snapshot, q: DirectionQuery, pod: Pod, view: PolicyView): Walked {
  const runs = new Map<Member, MemberRun>();
  const result = walkPlan(tierPlanFor(snapshot, pod, q.direction, view), (m) => {
    const run = runMember(m, q, snapshot);
    runs.set(m, run);
    return run.outcome;
  });
  return { walk: result, runs };
}

type DecidingMention = PolicyMention & { readonly effect: CalicoDecidingEffect };

function profileMention(pod: Pod, q: DirectionQuery): DecidingMention {
  const name = `kns.${pod.namespace}`;
  return {
    kind: 'Profile',
    namespace: null,
    name,
    rule: 0,
    ruleRef: formatRuleRef(sectionRuleRef('Profile', null, name, q.direction, 0)),
    effect: 'allowed',
  };
}

/** What decided, as a mention: the deciding rule, the end-of-tier (-1), or the namespace profile. */
function decidingMention(w: Walked, pod: Pod, q: DirectionQuery): DecidingMention {
  const r = w.walk;
  if (r.type === 'profiles') return profileMention(pod, q);
  if (r.type === 'unknown') return { ...memberMention(r.member, q, r.rule, 'unknown'), effect: 'unknown' };
  const effect = r.rule === -1 ? 'end-of-tier' : r.action === 'Allow' ? 'allowed' : 'denied';
  return { ...memberMention(r.member, q, r.rule, effect), effect };
}

/** The Pass rules that left a tier, and the ends of tiers whose defaultAction Pass did (rule -1). */
function passedMentions(w: Walked, q: DirectionQuery): PolicyMention[] {
  return [
    ...[...w.runs].flatMap(([m, run]) =>
      run.outcome && 'pass' in run.outcome ? [memberMention(m, q, run.outcome.rule, 'passed')] : [],
    ),
    ...w.walk.defaultPasses.map((m) => memberMention(m, q, -1, 'passed')),
  ];
}

function describeWalk(w: Walked, side: string, q: DirectionQuery, deciding: PolicyMention): string {
  const r = w.walk;
  const passed = r.passedTiers.length
    ? ` after tier${r.passedTiers.length > 1 ? 's' : ''} ${r.passedTiers.join(', ')} passed`
    : '';
  const who = objectLabel(deciding);
  if (r.type === 'profiles')
    return `no Calico tier decided ${side}'s ${q.direction}${passed}: profile ${deciding.name} allows it`;
  if (r.type === 'unknown')
    return `${who} ${q.direction}[${r.rule}] (tier ${r.tier}) may match: ${w.runs.get(r.member)?.uncertain?.message ?? ''}`;
  if (r.rule === -1)
    return `no policy of tier ${r.tier} matched ${side}'s ${q.direction} (last: ${who}): end of tier ${r.tier} denies it${passed}`;
  return `${who} ${q.direction}[${r.rule}] ${r.action === 'Allow' ? 'allows' : 'denies'} it (tier ${r.tier})${passed}`;
}

function missesOf(w: Walked): RuleMiss[] {
  return [...w.runs.values()].flatMap(runMisses);
}

function shadowMentions(snapshot: Snapshot, q: DirectionQuery, pod: Pod, enforced: PolicyMention): PolicyMention[] {
  const view = stagedView(snapshot);
  if (!view) return [];
  const pending = walk(snapshot, q, pod, view);
  const m = decidingMention(pending, pod, q);
  return m.ruleRef === enforced.ruleRef && m.effect === enforced.effect ? [] : [{ ...m, effect: `shadow-${m.effect}` }];
}

/** A step Calico's tier walk cannot decide, for the reason given. */
function conditionalResult(uncertain: Uncertainty): TierResult {
  return {
    verdict: 'conditional',
    tier: 'calico',
    policies: [],
    misses: [],
    uncertain: [uncertain],
    summary: uncertain.message,
  };
}

function hostEndpointResult(snapshot: Snapshot, q: DirectionQuery, pod: Pod): TierResult | null {
  const heps = snapshot.calico?.hostEndpoints ?? [];
  if (!pod.hostNetwork || heps.length === 0) return null;
  const uncertain: Uncertainty = {
    code: 'calico-host-endpoint',
    message: `${describeEndpoint({ type: 'pod', pod })} uses the host network; HostEndpoint policy (${heps.map((h) => h.name).join(', ')}) is not evaluated`,
  };
  return conditionalResult(uncertain);
}

/**
 * A policy whose serviceAccountSelector reads labels of a ServiceAccount that is not in the input may
 * or may not select the pod: the tier walk cannot be told, so the step is conditional.
 */
function unknownSelectionResult(snapshot: Snapshot, q: DirectionQuery, pod: Pod): TierResult | null {
  const maybe = policiesThatMaySelect(snapshot, pod, q.direction);
  if (maybe.length === 0) return null;
  const uncertain: Uncertainty = {
    code: 'calico-service-account-labels',
    message: `the ServiceAccount ${pod.namespace}/${pod.serviceAccount} is not in the input, so whether ${maybe.map(objectLabel).join(', ')} select${maybe.length === 1 ? 's' : ''} ${describeEndpoint({ type: 'pod', pod })} (serviceAccountSelector) is not known`,
  };
  return conditionalResult(uncertain);
}

function fixOf(w: Walked, q: DirectionQuery, verdict: TierResult['verdict']): { fix?: Fix } {
  const r = w.walk;
  if (verdict !== 'denied' || r.type !== 'end') return {};
  const orders = [...w.runs.keys()].filter((m) => m.tier === r.tier && m.order !== null).map((m) => m.order as number);
  const fix = calicoFix(q.direction, r.member, r.rule, orders, q);
  return fix ? { fix } : {};
}

/** null when Calico is not in force (the Kubernetes tiers decide) or the side is not a pod. */
export function evaluateCalicoDirection(snapshot: Snapshot, q: DirectionQuery): TierResult | null {
  if (!calicoInForce(snapshot)) return null;
  const subject = q.direction === 'ingress' ? q.destination : q.source;
  if (subject.type !== 'pod') return null;
  const hep = hostEndpointResult(snapshot, q, subject.pod);
  if (hep) return hep;
  const pod = selectablePod(subject);
  if (!pod) return null;
  const unknownSelection = unknownSelectionResult(snapshot, q, pod);
  if (unknownSelection) return unknownSelection;
  const w = walk(snapshot, q, pod, enforcedView(snapshot));
  const node = w.walk.type === 'end' && w.walk.action === 'Deny' ? nodeException(q) : false;
  if (node === true) return { verdict: 'allowed', tier: 'node', policies: [], misses: [] };
  const deciding = decidingMention(w, pod, q);
  const verdict =
    w.walk.type === 'unknown' || node !== false
      ? 'conditional'
      : w.walk.type === 'end' && w.walk.action === 'Deny'
        ? 'denied'
        : 'allowed';
  const uncertain = w.walk.type === 'unknown' ? w.runs.get(w.walk.member)?.uncertain : node !== false ? node : null;
  const logged = [...w.runs.values()].flatMap((r) => r.logged);
  return {
    verdict,
    tier: 'calico',
    policies: [deciding, ...passedMentions(w, q), ...logged, ...shadowMentions(snapshot, q, pod, deciding)],
    misses: verdict === 'allowed' ? [] : missesOf(w),
    ...(uncertain ? { uncertain: [uncertain] } : {}),
    summary: describeWalk(w, describeEndpoint(subject), q, deciding),
    ...fixOf(w, q, verdict),
  };
}
