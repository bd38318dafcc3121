/**
 * The policies as they would be if the staged ones were enforced (pure): a staged policy with
 * stagedAction Set stands in for the enforced policy of the same name (or is added), Delete removes
 * it (api/pkg/apis/projectcalico/v3/stagednetworkpolicy.go StagedAction;
 * https://docs.tigera.io/calico/latest/network-policy/staged-network-policies).
 */
import type { CalicoPolicy, CalicoStagedKubernetesPolicy } from '../../model/calico/policy.js';
import type { Snapshot } from '../../model/snapshot.js';

function enforcedKind(p: CalicoPolicy): CalicoPolicy['kind'] {
  if (p.kind === 'StagedNetworkPolicy') return 'NetworkPolicy';
  if (p.kind === 'StagedGlobalNetworkPolicy') return 'GlobalNetworkPolicy';
  return p.kind;
}

function key(p: CalicoPolicy): string {
  return `${enforcedKind(p)}/${p.namespace ?? ''}/${p.name}`;
}

const applied = new WeakMap<readonly CalicoPolicy[], WeakMap<readonly CalicoPolicy[], CalicoPolicy[]>>();

/** The same array for the same inputs, so per-policy-set caches (members.ts) hold across queries. */
export function applyStaged(enforced: readonly CalicoPolicy[], staged: readonly CalicoPolicy[]): CalicoPolicy[] {
  let byStaged = applied.get(enforced);
  if (!byStaged) applied.set(enforced, (byStaged = new WeakMap()));
  let result = byStaged.get(staged);
  if (!result) byStaged.set(staged, (result = replaceStaged(enforced, staged)));
  return result;
}

function replaceStaged(enforced: readonly CalicoPolicy[], staged: readonly CalicoPolicy[]): CalicoPolicy[] {
  const byKey = new Map(enforced.map((p) => [key(p), p]));
  for (const s of staged) {
    if (s.stagedAction === 'Delete') byKey.delete(key(s));
    else byKey.set(key(s), s);
  }
  return [...byKey.values()];
}

/**
 * The policies one walk sees: the Calico ones, and the StagedKubernetesNetworkPolicies standing in
 * for the Kubernetes NetworkPolicies of the same namespace/name (Set) or removing them (Delete).
 * Kept per Snapshot, so per-view caches (members.ts) hold across queries.
 */
export interface PolicyView {
  readonly calico: readonly CalicoPolicy[];
  readonly stagedKubernetes: readonly CalicoStagedKubernetesPolicy[];
}

const views = new WeakMap<Snapshot, { enforced: PolicyView; staged: PolicyView }>();

function viewsOf(snapshot: Snapshot): { enforced: PolicyView; staged: PolicyView } {
  let v = views.get(snapshot);
  if (!v) {
    const c = snapshot.calico;
    v = {
      enforced: { calico: c?.policies ?? [], stagedKubernetes: [] },
      staged: { calico: applyStaged(c?.policies ?? [], c?.staged ?? []), stagedKubernetes: c?.stagedKubernetes ?? [] },
    };
    views.set(snapshot, v);
  }
  return v;
}

/** What is enforced today. */
export function enforcedView(snapshot: Snapshot): PolicyView {
  return viewsOf(snapshot).enforced;
}

/** What would be enforced if every staged policy were (null when nothing is staged). */
export function stagedView(snapshot: Snapshot): PolicyView | null {
  const c = snapshot.calico;
  return c && c.staged.length + c.stagedKubernetes.length > 0 ? viewsOf(snapshot).staged : null;
}
