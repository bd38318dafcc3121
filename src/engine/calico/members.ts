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
import { calicoSelectorMatches } from '../../model/calico/selector.js';
import { WELL_KNOWN_TIERS } from '../../model/convert/calico-policy.js';
import type { Direction } from '../../model/k8s.js';
import { networkPoliciesSelecting } from '../network-policy/kubernetes.js';
import { subjectSelects } from '../network-policy/admin.js';
import { calicoNamespaceLabels, workloadEndpointLabels } from './endpoint.js';
import { planTiers, type TierMember, type TierPlanStep } from './tier-order.js';
import { calicoPolicyIndex, candidatePolicies } from './policy-index.js';

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

/** Does a Calico policy select this pod's workload endpoint (host-network pods are not workload endpoints)? */
export function calicoPolicySelects(snapshot: Snapshot, policy: CalicoPolicy, pod: Pod): boolean {
  if (pod.hostNetwork) return false;
  if (policy.namespace !== null && policy.namespace !== pod.namespace) return false;
  if (
    policy.namespaceSelector &&
    !calicoSelectorMatches(policy.namespaceSelector, calicoNamespaceLabels(snapshot, pod.namespace))
  )
    return false;
  if (
    policy.serviceAccountSelector &&
    !calicoSelectorMatches(policy.serviceAccountSelector, {
      'projectcalico.org/name': pod.serviceAccount,
    })
  )
    return false;
  return calicoSelectorMatches(policy.selector, workloadEndpointLabels(snapshot, pod));
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
  };
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

/** Every member that selects `pod` for `direction`, from `calicoPolicies` (enforced, or with staged ones applied). */
function selectMembers(
  snapshot: Snapshot,
  pod: Pod,
  direction: Direction,
  calicoPolicies: readonly CalicoPolicy[],
): Member[] {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const endpoint = { type: 'pod', pod } as const;
  return [
    ...candidatePolicies(
      calicoPolicyIndex(calicoPolicies, () =>
        snapshot.pods.filter((p) => !p.hostNetwork).map((p) => workloadEndpointLabels(snapshot, p)),
      ),
      pod.namespace,
      workloadEndpointLabels(snapshot, pod),
    )
      .filter((p) => p.types.includes(type) && calicoPolicySelects(snapshot, p, pod))
      .map(calicoMember),
    ...networkPoliciesSelecting(snapshot, pod)
      .filter((p) => (direction === 'ingress' ? p.affectsIngress : p.affectsEgress))
      .map(kubernetesMember),
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
const planCache = new WeakMap<Snapshot, WeakMap<readonly CalicoPolicy[], Map<string, Plans>>>();

/**
 * Every member that selects `pod` for `direction` (from `calicoPolicies`: enforced, or with staged
 * ones applied), placed in its tier and ordered: kept per Snapshot (immutable, so never stale) and
 * selection class, so a query walks a ready plan.
 */
export function tierPlanFor(
  snapshot: Snapshot,
  pod: Pod,
  direction: Direction,
  calicoPolicies: readonly CalicoPolicy[],
): readonly TierPlanStep<Member>[] {
  let bySet = planCache.get(snapshot);
  if (!bySet) planCache.set(snapshot, (bySet = new WeakMap()));
  let byClass = bySet.get(calicoPolicies);
  if (!byClass) bySet.set(calicoPolicies, (byClass = new Map()));
  const key = selectionClass(pod);
  let plans = byClass.get(key);
  if (!plans) byClass.set(key, (plans = {}));
  return (plans[direction] ??= planTiers(
    tiersInForce(snapshot),
    selectMembers(snapshot, pod, direction, calicoPolicies),
  ));
}
