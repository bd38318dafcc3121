/**
 * A partial view of the cluster (no cluster-wide rights) must never yield a confident
 * answer it cannot back: verdicts that depend on what could not be read become
 * `conditional` with a `partial-view` condition naming the gap.
 */
import type { Condition, Explanation } from '../../engine/index.js';
import type { LiveStatus } from './live-source.js';

/**
 * The gaps that affect a flow between these namespaces (null: an out-of-cluster peer).
 * Generic per kind: a collection that could not be read cluster-wide (any kind, any status,
 * including a failed discovery) could hold objects in the peers' namespaces or cluster-wide
 * policy, so it applies to every answer; one read per namespace applies to flows that touch
 * that namespace or the root namespace.
 */
export function partialViewConditions(
  status: LiveStatus,
  namespaces: readonly (string | null)[],
  rootNamespace: string,
): Condition[] {
  const conditions: Condition[] = [];
  const add = (message: string): void => void conditions.push({ code: 'partial-view', message });
  for (const gap of status.unreadable) {
    const why = gap.reason.split(':')[0] ?? gap.reason;
    if (gap.kind === 'Namespace' && gap.namespace === null)
      add(`partial view: Namespace objects are unreadable (${why}), so namespaceSelector matches are unknown`);
    else if (gap.namespace === null) add(`partial view: ${gap.kind} in all namespaces is unreadable (${why})`);
    else if (gap.namespace === rootNamespace)
      add(
        `partial view: ${gap.kind} in the root namespace ${rootNamespace} is unreadable (${why}); mesh-wide policy unknown`,
      );
    else if (namespaces.includes(gap.namespace))
      add(`partial view: ${gap.kind} in ${gap.namespace} is unreadable (${why})`);
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
  return withConditions(explanation, extra);
}

/** A confident verdict becomes conditional when `extra` names something that could change it. */
export function withConditions(explanation: Explanation, extra: readonly Condition[]): Explanation {
  if (extra.length === 0) return explanation;
  const verdict =
    explanation.verdict === 'allowed' || explanation.verdict === 'denied' ? 'conditional' : explanation.verdict;
  return { ...explanation, verdict, conditions: [...explanation.conditions, ...extra] };
}
