/**
 * What applies to one endpoint in one direction, placed in Calico's tiers as Calico places it (pure):
 * - Calico NetworkPolicy / GlobalNetworkPolicy in their `tier` (selector, a GlobalNetworkPolicy's
 *   namespaceSelector and serviceAccountSelector: api/pkg/apis/projectcalico/v3/globalnetworkpolicy.go);
 * - Kubernetes NetworkPolicy in the `default` tier at order 1000, named knp.default.NAME
 *   (projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/conversion.go "We insert all the
 *   NetworkPolicy Policies at order 1000.0");
 * - AdminNetworkPolicy in `kube-admin` at order = priority, BaselineAdminNetworkPolicy in
 *   `kube-baseline` at order 1000 (v3.30.0 conversion.go K8sAdminNetworkPolicyToCalico /
 *   K8sBaselineAdminNetworkPolicyToCalico; the tiers were named adminnetworkpolicy /
 *   baselineadminnetworkpolicy up to v3.31 and kube-admin / kube-baseline since v3.32,
 *   libcalico-go/lib/names/policy.go, same orders: api/pkg/apis/projectcalico/v3/tier.go).
 */
import type { AdminNetworkPolicy, NetworkPolicy, Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { CalicoPolicy, CalicoTier } from '../../model/calico/policy.js';
import { calicoSelectorMatches, calicoSelectorMatchesPartly, type PartialMatch } from '../../model/calico/selector.js';
import { WELL_KNOWN_TIERS } from '../../model/convert/calico-policy.js';
import type { Direction } from '../../model/k8s.js';
import { networkPoliciesSelecting } from '../network-policy/kubernetes.js';
import { subjectSelects } from '../network-policy/admin.js';
import {
  calicoNamespaceLabels,
  serviceAccountKnown,
  serviceAccountLabels,
  workloadEndpointLabels,
} from './endpoint.js';
import { planTiers, type TierMember, type TierPlanStep } from './tier-order.js';
import { calicoPolicyIndex, candidatePolicies } from './policy-index.js';
import type { PolicyView } from './staged.js';
import { selectorMatches } from '../../model/selectors.js';

export const KUBE_ADMIN_TIER = 'kube-admin';
export const KUBE_BASELINE_TIER = 'kube-baseline';
export const DEFAULT_TIER = 'default';
/** conversion.go: every Kubernetes NetworkPolicy's order in the default tier */
export const KUBERNETES_POLICY_ORDER = 1000;

export type Member =
  | (TierMember & { readonly type: 'calico'; readonly policy: CalicoPolicy })
  | (TierMember & {
      readonly type: 'kubernetes';
      readonly policy: NetworkPolicy;
      /** a StagedKubernetesNetworkPolicy's NetworkPolicy (only in the staged walk) */
      readonly staged: boolean;
    })
  | (TierMember & {
      readonly type: 'admin';
      readonly policy: AdminNetworkPolicy;
    });

/** The tiers in force: the input's, and the three Calico creates itself when the input lacks them. */
export function tiersInForce(snapshot: Snapshot): CalicoTier[] {
  const tiers = [...(snapshot.calico?.tiers ?? [])];
  for (const [name, [order, defaultAction]] of Object.entries(WELL_KNOWN_TIERS))
    if (!tiers.some((t) => t.name === name)) tiers.push({ name, order, defaultAction, loc: null });
  return tiers;
}

/**
 * Does a Calico policy select this pod's workload endpoint (host-network pods are not workload
 * endpoints)? `unknown` when only its serviceAccountSelector could tell and the pod's ServiceAccount
 * is not in the input.
 */
export function calicoPolicySelectsPartly(snapshot: Snapshot, policy: CalicoPolicy, pod: Pod): PartialMatch {
  if (pod.hostNetwork) return false;
  if (policy.namespace !== null && policy.namespace !== pod.namespace) return false;
  if (
    policy.namespaceSelector &&
    !calicoSelectorMatches(policy.namespaceSelector, calicoNamespaceLabels(snapshot, pod.namespace))
  )
    return false;
  if (!calicoSelectorMatches(policy.selector, workloadEndpointLabels(snapshot, pod))) return false;
  if (!policy.serviceAccountSelector) return true;
  const sa = serviceAccountLabels(snapshot, pod);
  return calicoSelectorMatchesPartly(policy.serviceAccountSelector, sa.labels, sa.complete);
}

/** Does a Calico policy select this pod's workload endpoint? (`unknown` counts as no: see policiesThatMaySelect.) */
export function calicoPolicySelects(snapshot: Snapshot, policy: CalicoPolicy, pod: Pod): boolean {
  return calicoPolicySelectsPartly(snapshot, policy, pod) === true;
}

const policiesWithServiceAccountSelector = new WeakMap<Snapshot, readonly CalicoPolicy[]>();

/**
 * The enforced Calico policies for `direction` that may select `pod`: their answer is `unknown`.
 * Only a ServiceAccount missing from the input makes one unknown, so a query whose pod has its
 * ServiceAccount costs one lookup; the policies with a serviceAccountSelector are listed once per Snapshot.
 */
export function policiesThatMaySelect(snapshot: Snapshot, pod: Pod, direction: Direction): CalicoPolicy[] {
  if (serviceAccountKnown(snapshot, pod)) return [];
  let candidates = policiesWithServiceAccountSelector.get(snapshot);
  if (!candidates) {
    candidates = (snapshot.calico?.policies ?? []).filter((p) => p.serviceAccountSelector !== null);
    policiesWithServiceAccountSelector.set(snapshot, candidates);
  }
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  return candidates.filter((p) => p.types.includes(type) && calicoPolicySelectsPartly(snapshot, p, pod) === 'unknown');
}

function calicoMember(policy: CalicoPolicy): Member {
  return {
    type: 'calico',
    tier: policy.tier,
    order: policy.order,
    tieKey: `${policy.name}/${policy.namespace ?? ''}/${policy.kind}`,
    policy,
  };
}

function kubernetesMember(policy: NetworkPolicy): Member {
  return {
    type: 'kubernetes',
    tier: DEFAULT_TIER,
    order: KUBERNETES_POLICY_ORDER,
    tieKey: `knp.default.${policy.name}/${policy.namespace}/KubernetesNetworkPolicy`,
    policy,
    staged: false,
  };
}

/**
 * A StagedKubernetesNetworkPolicy as felix gets it: converted like the NetworkPolicy it stages
 * (default tier, order 1000: K8sNetworkPolicyToCalico), keyed by its own name and kind
 * (projectcalico/calico:libcalico-go/lib/backend/syncersv1/updateprocessors/
 * stagedkubernetesnetworkpolicyprocessor.go ConvertStagedKubernetesNetworkPolicyV3ToV1Key/Value).
 */
function stagedKubernetesMember(policy: NetworkPolicy): Member {
  return {
    type: 'kubernetes',
    tier: DEFAULT_TIER,
    order: KUBERNETES_POLICY_ORDER,
    tieKey: `${policy.name}/${policy.namespace}/StagedKubernetesNetworkPolicy`,
    policy,
    staged: true,
  };
}

/** The Kubernetes NetworkPolicies selecting `pod` in this view: enforced ones, with staged ones set or deleted. */
function kubernetesMembers(snapshot: Snapshot, pod: Pod, direction: Direction, view: PolicyView): Member[] {
  const key = (p: NetworkPolicy) => `${p.namespace}/${p.name}`;
  const affects = (p: NetworkPolicy) => (direction === 'ingress' ? p.affectsIngress : p.affectsEgress);
  const stagedKeys = new Set(view.stagedKubernetes.map((s) => key(s.policy)));
  const staged = view.stagedKubernetes
    .filter(
      (s) =>
        s.stagedAction === 'Set' &&
        affects(s.policy) &&
        !pod.hostNetwork &&
        s.policy.namespace === pod.namespace &&
        selectorMatches(s.policy.podSelector, pod.labels),
    )
    .map((s) => stagedKubernetesMember(s.policy));
  const enforced = networkPoliciesSelecting(snapshot, pod).filter((p) => affects(p) && !stagedKeys.has(key(p)));
  return [...enforced.map(kubernetesMember), ...staged];
}

function adminMember(policy: AdminNetworkPolicy): Member {
  const admin = policy.kind === 'AdminNetworkPolicy';
  return {
    type: 'admin',
    tier: admin ? KUBE_ADMIN_TIER : KUBE_BASELINE_TIER,
    order: admin ? policy.priority : 1000,
    tieKey: `${admin ? 'kanp' : 'kbanp'}.${policy.name}//${policy.kind}`,
    policy,
  };
}

/** Every member that selects `pod` for `direction` in this view (enforced, or with staged policies applied). */
function selectMembers(snapshot: Snapshot, pod: Pod, direction: Direction, view: PolicyView): Member[] {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const endpoint = { type: 'pod', pod } as const;
  return [
    ...candidatePolicies(
      calicoPolicyIndex(view.calico, () =>
        snapshot.pods.filter((p) => !p.hostNetwork).map((p) => workloadEndpointLabels(snapshot, p)),
      ),
      pod.namespace,
      workloadEndpointLabels(snapshot, pod),
    )
      .filter((p) => p.types.includes(type) && calicoPolicySelects(snapshot, p, pod))
      .map(calicoMember),
    ...kubernetesMembers(snapshot, pod, direction, view),
    ...[
      ...snapshot.adminNetworkPolicies,
      ...(snapshot.baselineAdminNetworkPolicy ? [snapshot.baselineAdminNetworkPolicy] : []),
    ]
      .filter((p) => !pod.hostNetwork && subjectSelects(p, endpoint, snapshot))
      .map(adminMember),
  ];
}

/**
 * What selection depends on: namespace, service account, host network and labels. Pods alike in
 * these (a Deployment's replicas) get the same members, so the plan is kept per class, not per pod.
 */
function selectionClass(pod: Pod): string {
  let key = classKeys.get(pod);
  if (key === undefined) {
    const labels = Object.entries(pod.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`);
    key = [pod.namespace, pod.serviceAccount, String(pod.hostNetwork), ...labels].join('\0');
    classKeys.set(pod, key);
  }
  return key;
}

const classKeys = new WeakMap<Pod, string>();
type Plans = Partial<Record<Direction, TierPlanStep<Member>[]>>;
const planCache = new WeakMap<Snapshot, WeakMap<PolicyView, Map<string, Plans>>>();

/**
 * Every member that selects `pod` for `direction` (in `view`: enforced, or with staged policies
 * applied), placed in its tier and ordered: kept per Snapshot (immutable, so never stale) and
 * selection class, so a query walks a ready plan.
 */
export function tierPlanFor(
  snapshot: Snapshot,
  pod: Pod,
  direction: Direction,
  view: PolicyView,
): readonly TierPlanStep<Member>[] {
  let bySet = planCache.get(snapshot);
  if (!bySet) planCache.set(snapshot, (bySet = new WeakMap()));
  let byClass = bySet.get(view);
  if (!byClass) bySet.set(view, (byClass = new Map()));
  const key = selectionClass(pod);
  let plans = byClass.get(key);
  if (!plans) byClass.set(key, (plans = {}));
  return (plans[direction] ??= planTiers(tiersInForce(snapshot), selectMembers(snapshot, pod, direction, view)));
}
