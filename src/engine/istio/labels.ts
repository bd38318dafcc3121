/** Istio workload selectors (label matching itself is the model's). */
import type { LabelSelector } from '../../model/k8s.js';

export { selectorMatches } from '../../model/selectors.js';

/** An Istio workload selector with no labels selects the whole namespace, like no selector. */
export function isWorkloadSelector(selector: LabelSelector | null): selector is LabelSelector {
  return selector !== null && (Object.keys(selector.matchLabels).length > 0 || selector.matchExpressions.length > 0);
}
