/**
 * A partial view of the cluster (no cluster-wide rights) must never yield a confident
 * answer it cannot back: verdicts that depend on what could not be read become
 * `conditional` with a `partial-view` condition naming the gap.
 */
import type { Condition, Explanation } from '../../engine/explanation.js';
import type { LiveStatus } from './live-source.js';

/** Kinds whose absence can change any verdict when they are unreadable cluster-wide. */
const CLUSTER_POLICY_KINDS =
  /^(AdminNetworkPolicy|BaselineAdminNetworkPolicy|GlobalNetworkPolicy|StagedGlobalNetworkPolicy|CiliumClusterwideNetworkPolicy)\b/;

/** The gaps that affect a flow between these namespaces (null: an out-of-cluster peer). */
export function partialViewConditions(
  status: LiveStatus,
  namespaces: readonly (string | null)[],
  rootNamespace: string,
): Condition[] {
  const conditions: Condition[] = [];
  const add = (message: string): void => void conditions.push({ code: 'partial-view', message });
  for (const gap of status.unreadable) {
    if (gap.kind === 'Namespace' && gap.namespace === null)
      add('partial view: Namespace objects are unreadable, so namespaceSelector matches are unknown');
    else if (gap.namespace === rootNamespace)
      add(`partial view: ${gap.kind} in the root namespace ${rootNamespace} is unreadable (mesh-wide policy unknown)`);
    else if (gap.namespace !== null && namespaces.includes(gap.namespace))
      add(`partial view: ${gap.kind} in ${gap.namespace} is unreadable`);
    else if (gap.namespace === null && CLUSTER_POLICY_KINDS.test(gap.kind))
      add(`partial view: cluster-wide ${gap.kind} objects are unreadable`);
  }
  return [...new Map(conditions.map((c) => [c.message, c])).values()];
}

/** The explanation, made conditional when the partial view could change it. */
export function applyPartialView(explanation: Explanation, status: LiveStatus, rootNamespace: string): Explanation {
  const extra = partialViewConditions(
    status,
    [explanation.source.namespace, explanation.destination.namespace],
    rootNamespace,
  );
  if (extra.length === 0) return explanation;
  const verdict =
    explanation.verdict === 'allowed' || explanation.verdict === 'denied' ? 'conditional' : explanation.verdict;
  return { ...explanation, verdict, conditions: [...explanation.conditions, ...extra] };
}
