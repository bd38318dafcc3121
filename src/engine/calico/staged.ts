/**
 * The policies as they would be if the staged ones were enforced (pure): a staged policy with
 * stagedAction Set stands in for the enforced policy of the same name (or is added), Delete removes
 * it (api/pkg/apis/projectcalico/v3/stagednetworkpolicy.go StagedAction;
 * https://docs.tigera.io/calico/latest/network-policy/staged-network-policies).
 */
import type { CalicoPolicy } from '../../model/calico/policy.js';

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
