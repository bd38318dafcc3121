/** Label selector matching (Kubernetes semantics: the empty selector matches everything). */
import type { LabelSelector, Labels } from '../../model/k8s.js';

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && value !== undefined && e.values.includes(value))) return false;
    if (e.operator === 'NotIn' && has && value !== undefined && e.values.includes(value)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** An Istio workload selector with no labels selects the whole namespace, like no selector. */
export function isWorkloadSelector(selector: LabelSelector | null): selector is LabelSelector {
  return selector !== null && (Object.keys(selector.matchLabels).length > 0 || selector.matchExpressions.length > 0);
}
